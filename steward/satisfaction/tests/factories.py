"""Test data of the satisfaction app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.parties.models import ContactRole
from steward.parties.services import contact_roles_ensure
from steward.satisfaction.choices import ResponseChannel
from steward.satisfaction.models import SatisfactionResponse


def response(relationship: Any, kind: str, score: int, *, days_ago: int = 1, **fields: Any) -> Any:
    """A stored response, written directly (the services are tested on their own)."""
    return SatisfactionResponse.objects.create(
        relationship=relationship,
        kind=kind,
        score=score,
        answered_on=fields.pop("answered_on", timezone.localdate() - dt.timedelta(days=days_ago)),
        channel=fields.pop("channel", ResponseChannel.ENTERED),
        **fields,
    )


def tag(contact: Any, *codes: str) -> Any:
    contact_roles_ensure()  # seeded by a migration; a transactional test's flush empties it
    contact.roles.add(*ContactRole.objects.filter(code__in=codes))
    return contact
