"""The bidding app's API routes for the /api/v1/ router, and its paths outside the router."""

from __future__ import annotations

from typing import Any

from steward.bidding.api.views import BidAttachmentViewSet, BidLineViewSet, BidViewSet

ROUTES: list[tuple[str, Any, str]] = [
    ("bids", BidViewSet, "bid"),
    ("bid-lines", BidLineViewSet, "bid-line"),
    ("bid-attachments", BidAttachmentViewSet, "bid-attachment"),
]
PATHS: list[Any] = []
