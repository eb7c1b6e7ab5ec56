"""The bidding app's write path: submitting a bid version."""

from steward.bidding.services.checks import BidFile, BidRefusedError, LineOffer
from steward.bidding.services.submission import bid_submit, moment_text, timing_refusal

__all__ = [
    "BidFile",
    "BidRefusedError",
    "LineOffer",
    "bid_submit",
    "moment_text",
    "timing_refusal",
]
