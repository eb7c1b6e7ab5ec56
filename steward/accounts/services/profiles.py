"""The account profile: segment, currency, wallet, expected margin; made on its first edit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.accounts.choices import Segment
from steward.accounts.models import AccountProfile
from steward.accounts.services.common import currency_code, optional_amount, require_account
from steward.core.errors import DomainError
from steward.core.services import create_record, refuse_unknown_fields, update_record
from steward.parties.models import Relationship
from steward.spend.money import base_currency

PROFILE_FIELDS = frozenset(
    {"segment", "currency", "wallet", "expected_margin_percent", "customer_since", "notes"}
)


def _check_profile(profile: AccountProfile) -> None:
    if profile.segment and profile.segment not in Segment.values:
        raise DomainError(
            f"The segment is one of {', '.join(Segment.values)}.", field="segment", code="invalid"
        )
    profile.currency = currency_code(profile.currency, field="currency")
    profile.wallet = optional_amount(profile.wallet, field="wallet", label="wallet")
    margin = profile.expected_margin_percent
    if margin is not None and not (Decimal(-100) <= margin <= Decimal(100)):
        raise DomainError(
            "The expected margin is a percentage between -100 and 100.",
            field="expected_margin_percent",
            code="out_of_range",
        )
    since = profile.customer_since
    if since is not None and since > timezone.localdate():
        raise DomainError(
            "A customer since a day still to come? Give a past day.",
            field="customer_since",
            code="future",
        )


def account_profile_update(
    *,
    actor: Any,
    relationship: Relationship,
    expected_version: int | None = None,
    **fields: Any,
) -> AccountProfile:
    """Change the account's profile, creating it on the first edit (refused on a supply-side
    relationship). An existing profile's edit names the version it read."""
    require_account(actor, relationship)
    refuse_unknown_fields(fields, PROFILE_FIELDS)
    with transaction.atomic():
        existing = AccountProfile.objects.select_for_update().filter(relationship=relationship)
        profile = existing.first()
        if profile is None:
            profile = AccountProfile(relationship=relationship, currency=base_currency())
            for name, value in fields.items():
                setattr(profile, name, value)
            _check_profile(profile)
            return create_record(profile, actor=actor, reason="Profile created")
        if expected_version is None:
            raise DomainError(
                "Name the version of the profile you read.", field="version", code="required"
            )
        return update_record(
            profile,
            actor=actor,
            expected_version=expected_version,
            changes=fields,
            validate=_check_profile,
        )
