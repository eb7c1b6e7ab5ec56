"""Questions and answers: asked by an invitee, answered and published to every invitee, never
naming who asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.parties.tests.cast import Cast
from steward.people.tests.factories import UserFactory
from steward.sourcing import services
from steward.sourcing.choices import InvitationStatus, LogAction
from steward.sourcing.models import Clarification, EventInvitation, EventLogEntry
from steward.sourcing.tests.factories import (
    InvitationFactory,
    OpenEventFactory,
    prequalified_vendor,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def two_invitees(cast: Cast) -> tuple[EventInvitation, EventInvitation]:
    """Vendor A (portal_a) and vendor B (portal_b) invited to one open event."""
    category = CategoryFactory()
    event = OpenEventFactory(category=category)
    a: Any = InvitationFactory(
        event=event, supplier=prequalified_vendor(category, relationship=cast.rel_a)
    )
    b: Any = InvitationFactory(
        event=event, supplier=prequalified_vendor(category, relationship=cast.rel_b)
    )
    return a, b


def texts(rows: list[Clarification]) -> list[str]:
    return [row.question for row in rows]


def test_a_question_waits_for_the_buyer_and_is_seen_only_by_its_asker(cast: Cast) -> None:
    a, b = two_invitees(cast)
    asked = services.clarification_ask(
        actor=cast.portal_b, invitation=b, question="May we offer a 6204-2RS instead?"
    )
    assert asked.invitation == b
    assert texts(services.published_for(b)) == ["May we offer a 6204-2RS instead?"]
    # vendor A sees nothing of B's waiting question
    assert services.published_for(a) == []
    # the buyer's team hears of it, with the question but without the asker
    alert = Notification.objects.get(recipient=a.event.owner, kind="sourcing.question")
    assert "Borealis" not in alert.title + alert.body
    assert EventLogEntry.objects.filter(event=a.event, action=LogAction.QUESTION_ASKED).exists()


def test_an_answer_is_published_to_every_invitee_without_the_asker(cast: Cast) -> None:
    a, b = two_invitees(cast)
    asked = services.clarification_ask(actor=cast.portal_b, invitation=b, question="Sealed?")

    answered = services.clarification_answer(
        actor=a.event.owner, clarification=asked, answer="Yes, 2RS seals both sides."
    )

    assert answered.published_at is not None
    assert texts(services.published_for(a)) == ["Sealed?"]
    assert texts(services.published_for(b)) == ["Sealed?"]
    for portal in (cast.portal_a, cast.portal_b):
        alert = Notification.objects.get(recipient=portal, kind="sourcing.clarification")
        assert "Borealis" not in alert.title + alert.body
        assert "Aurora" not in alert.title + alert.body


def test_an_answer_may_be_kept_back_and_published_later(cast: Cast) -> None:
    a, b = two_invitees(cast)
    asked = services.clarification_ask(actor=cast.portal_a, invitation=a, question="Drawing?")
    held = services.clarification_answer(
        actor=a.event.owner, clarification=asked, answer="Attached.", publish=False
    )
    assert held.published_at is None
    assert services.published_for(b) == []
    assert not Notification.objects.filter(kind="sourcing.clarification").exists()

    published = services.clarification_publish(actor=a.event.owner, clarification=held)
    assert published.published_at is not None
    assert texts(services.published_for(b)) == ["Drawing?"]
    with pytest.raises(DomainError) as again:
        services.clarification_answer(actor=a.event.owner, clarification=published, answer="x")
    assert again.value.code == "published"


def test_an_answer_is_required(cast: Cast) -> None:
    a, _ = two_invitees(cast)
    asked = services.clarification_ask(actor=cast.portal_a, invitation=a, question="Q?")
    with pytest.raises(DomainError) as refused:
        services.clarification_answer(actor=a.event.owner, clarification=asked, answer="  ")
    assert refused.value.field == "answer"
    with pytest.raises(DomainError) as unanswered:
        services.clarification_publish(actor=a.event.owner, clarification=asked)
    assert unanswered.value.field == "answer"


def test_the_buyer_publishes_a_clarification_of_its_own(cast: Cast) -> None:
    a, b = two_invitees(cast)
    posted = services.clarification_post(
        actor=a.event.owner,
        event=a.event,
        question="Delivery address",
        answer="Deliver to the Stuttgart plant.",
    )
    assert posted.invitation is None
    assert posted.published_at is not None
    assert (
        texts(services.published_for(a)) == texts(services.published_for(b)) == ["Delivery address"]
    )
    assert Notification.objects.filter(kind="sourcing.clarification").count() == 2


def test_declined_vendors_are_not_told_of_answers(cast: Cast) -> None:
    a, b = two_invitees(cast)
    EventInvitation.objects.filter(pk=b.pk).update(status=InvitationStatus.DECLINED)
    services.clarification_post(actor=a.event.owner, event=a.event, question="Q", answer="A")
    assert list(
        Notification.objects.filter(kind="sourcing.clarification").values_list(
            "recipient", flat=True
        )
    ) == [cast.portal_a.pk]


def test_only_invitees_ask_and_only_while_open(cast: Cast) -> None:
    a, _ = two_invitees(cast)
    for user in (cast.portal_b, cast.owner, a.event.owner):
        with pytest.raises(DomainError) as refused:
            services.clarification_ask(actor=user, invitation=a, question="Let me in?")
        assert refused.value.code == "forbidden"
    a.event.closes_at = timezone.now() - dt.timedelta(seconds=1)
    a.event.save()
    with pytest.raises(DomainError) as closed:
        services.clarification_ask(actor=cast.portal_a, invitation=a, question="Late?")
    assert closed.value.code == "closed"
    assert not Clarification.objects.exists()


def test_only_who_may_change_the_event_answers(cast: Cast) -> None:
    a, _ = two_invitees(cast)
    asked = services.clarification_ask(actor=cast.portal_a, invitation=a, question="Q?")
    reader = UserFactory()
    for user in (cast.auditor, reader):
        with pytest.raises(PermissionDenied):
            services.clarification_answer(actor=user, clarification=asked, answer="A")
    for user in (cast.portal_a, cast.portal_b):
        with pytest.raises(PermissionDenied):
            services.clarification_post(actor=user, event=a.event, question="Q", answer="A")


def _log_summaries(invitation: Any) -> str:
    return " ".join(
        EventLogEntry.objects.filter(event=invitation.event).values_list("summary", flat=True)
    )


def test_the_log_records_questions_and_answers_without_their_text(cast: Cast) -> None:
    a, _ = two_invitees(cast)
    asked = services.clarification_ask(
        actor=cast.portal_a, invitation=a, question="Our price is 4.20, fine?"
    )
    services.clarification_answer(actor=a.event.owner, clarification=asked, answer="Noted.")
    assert "4.20" not in _log_summaries(a)
