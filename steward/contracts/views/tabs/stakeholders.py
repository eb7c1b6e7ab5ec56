"""The contract's internal stakeholders: the contract page's "stakeholders" tab."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.contracts.models import Contract


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
