"""Handoffs for tests, built through the services so every row is one the app could make."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.handoffs import services
from steward.handoffs.choices import ItemKind
from steward.handoffs.models import Handoff, HandoffItem
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory


def bd_user(username: str = "bd", **kwargs: Any) -> Any:
    """An inside person of business development: prepares handoffs of any customer account."""
    return UserFactory(username=username, profile__function=Function.BUSINESS_DEVELOPMENT, **kwargs)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def draft(cast: Cast, world: DemandWorld, bd: Any, **kwargs: Any) -> Handoff:
    """A draft handoff of account A (received by its owner) with a first review in 30 days."""
    values: dict[str, Any] = {
        "summary": "Aurora signed a three-year supply agreement.",
        "implementation_start": days(0),
        "go_live": days(60),
        "first_review_on": days(30),
    }
    values.update(kwargs)
    return services.handoff_create(actor=bd, relationship=world.account_a, **values)


def step(
    actor: Any, handoff: Handoff, title: str = "Send welcome pack", **kwargs: Any
) -> HandoffItem:
    values: dict[str, Any] = {"kind": ItemKind.CHECKLIST, "owner": actor}
    values.update(kwargs)
    return services.item_add(actor=actor, handoff=handoff, title=title, **values)


def commitment(actor: Any, handoff: Handoff, contact: Any, **kwargs: Any) -> HandoffItem:
    values: dict[str, Any] = {
        "kind": ItemKind.COMMITMENT,
        "title": "Quarterly on-site review for the first year",
        "owner": actor,
        "contact": contact,
        "due_on": days(-2),
    }
    values.update(kwargs)
    return services.item_add(actor=actor, handoff=handoff, **values)


def handed_over(cast: Cast, world: DemandWorld, bd: Any) -> Handoff:
    """Account A handed over to ``owner``: an overdue commitment and an open checklist step."""
    handoff = draft(cast, world, bd)
    commitment(bd, handoff, cast.contact_a_private)
    step(bd, handoff, due_on=days(5))
    return services.handoff_submit(actor=bd, handoff=handoff)
