"""The permission matrix of the sourcing app (issue 8): every role of the cast, through the UI and
the API, on the sourcing records.

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy's rules (access.py and the models' access
specs), every role acts on the same starting state (its writes are rolled back), an allowed role
gets the row or the change, a denied role gets neither and the database is untouched.

The cast has no buyer: this module adds ``buyer``, an inside user of the procurement function
(no job role), and walks ``ROLES + ("buyer",)``.

The rules, as the policy states them:

- an event is read by its owner (``owner``), the owner's managers (``manager``, ``director``),
  its team (``member`` edits, ``reviewer`` reads), procurement, auditors and administrators;
  it is changed by its owner, editing team members, procurement and administrators;
- its parts (lines, documents, questions to bidders, criteria, team, invitations, questions and
  answers, the log) follow the event; lines, questions and criteria change only while a draft;
- vendor A's portal user sees A's invitation once the event is published, downloads the
  event's documents through its invitation, and declines; it sees nothing of vendor B's (also
  invited), and no question waiting from B; portal users reach no event, clarification or log
  row directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from steward.core.access import Access
from steward.parties.tests.cast import ROLES, Cast
from steward.sourcing import services
from steward.sourcing.models import (
    BidderQuestion,
    Clarification,
    EvaluationCriterion,
    EventAttachment,
    EventInvitation,
    EventLine,
    EventLogEntry,
    SourcingEvent,
    SourcingEventMember,
)
from steward.sourcing.tests.factories import (
    BidderQuestionFactory,
    CriterionFactory,
    EventFactory,
    LineFactory,
    MemberFactory,
    OpenEventFactory,
    drawing,
    prequalified_vendor,
    procurement_user,
)
from steward.suppliers.tests.factories import CategoryFactory
from tests.test_permission_matrix import WRITERS, Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "buyer")
READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer", "buyer"}
)
CHANGERS = frozenset({"admin", "owner", "member", "buyer"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("event", "list"): READERS,
    ("event", "detail"): READERS,
    ("event", "create"): WRITERS | {"buyer"},
    ("event", "update"): CHANGERS,
    ("line", "list"): READERS,
    ("line", "detail"): READERS,
    ("line", "create"): CHANGERS,
    ("line", "update"): CHANGERS,
    ("line", "delete"): CHANGERS,
    ("attachment", "list"): READERS,
    # Every invitee's portal user downloads the open event's document through its invitation
    # (the UI); the API's document rows are the team's.
    ("attachment", "detail"): READERS,
    ("attachment", "create"): CHANGERS,
    ("attachment", "delete"): CHANGERS,
    ("question", "list"): READERS,
    ("question", "detail"): READERS,
    ("question", "create"): CHANGERS,
    ("question", "update"): CHANGERS,
    ("question", "delete"): CHANGERS,
    ("criterion", "list"): READERS,
    ("criterion", "detail"): READERS,
    ("criterion", "create"): CHANGERS,
    ("criterion", "update"): CHANGERS,
    ("criterion", "delete"): CHANGERS,
    ("member", "list"): READERS,
    ("member", "detail"): READERS,
    ("member", "create"): CHANGERS,
    ("member", "update"): CHANGERS,
    ("member", "delete"): CHANGERS,
    ("invitation", "list"): READERS | {"portal_a"},
    ("invitation", "detail"): READERS | {"portal_a"},
    ("invitation", "create"): CHANGERS,
    # "update" is declining: only the invited vendor's portal user
    ("invitation", "update"): frozenset({"portal_a"}),
    ("clarification", "list"): READERS,
    ("clarification", "detail"): READERS,
    # "create" is the buyer's own clarification; "update" is answering a question
    ("clarification", "create"): CHANGERS,
    ("clarification", "update"): CHANGERS,
    ("log", "list"): READERS,
    ("log", "detail"): READERS,
}
# Where a channel differs from the table above.
CHANNEL_EXPECTED: dict[tuple[str, str, str], frozenset[str]] = {
    ("ui", "attachment", "detail"): READERS | {"portal_a", "portal_b"},
}


@dataclass
class Matrix:
    cast: Cast
    buyer: Any
    draft: SourcingEvent
    event: SourcingEvent
    line: EventLine
    question: BidderQuestion
    criterion: EvaluationCriterion
    member: SourcingEventMember
    attachment: EventAttachment
    draft_attachment: EventAttachment
    invitation: EventInvitation
    invitation_b: EventInvitation
    clarification: Clarification
    waiting_b: Clarification
    log: EventLogEntry

    def user(self, role: str) -> Any:
        return self.buyer if role == "buyer" else self.cast.user(role)


def _team(event: SourcingEvent, cast: Cast) -> None:
    MemberFactory(event=event, user=cast.member, access=Access.EDIT)
    MemberFactory(event=event, user=cast.reviewer, access=Access.REVIEW)


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    buyer = procurement_user()
    category = CategoryFactory()
    vendor_a = prequalified_vendor(category, relationship=cast.rel_a)
    vendor_b = prequalified_vendor(category, relationship=cast.rel_b)
    # A weighted draft owned by ``owner`` for the parts that change while a draft.
    draft = EventFactory(owner=cast.owner, category=category, evaluation_method="weighted")
    _team(draft, cast)
    # An event open for bids, A and B invited, with a question from each.
    event = OpenEventFactory(owner=cast.owner, category=category, title="Matrix bearings")
    _team(event, cast)
    invitation = services.invitation_create(actor=cast.owner, event=event, supplier=vendor_a)
    invitation_b = services.invitation_create(actor=cast.owner, event=event, supplier=vendor_b)
    clarification = services.clarification_ask(
        actor=cast.portal_a, invitation=invitation, question="Matrix question from A?"
    )
    waiting_b = services.clarification_ask(
        actor=cast.portal_b, invitation=invitation_b, question="Matrix question from B?"
    )
    return Matrix(
        cast=cast,
        buyer=buyer,
        draft=draft,
        event=event,
        line=LineFactory(event=draft, description="Matrix line"),
        question=BidderQuestionFactory(event=draft, text="Matrix warranty question"),
        criterion=CriterionFactory(event=draft, name="Matrix quality"),
        member=SourcingEventMember.objects.get(event=draft, user=cast.reviewer),
        attachment=services.attachment_add(
            actor=cast.owner, event=event, upload=drawing("matrix-open.pdf")
        ),
        draft_attachment=services.attachment_add(
            actor=cast.owner, event=draft, upload=drawing("matrix-draft.pdf")
        ),
        invitation=invitation,
        invitation_b=invitation_b,
        clarification=clarification,
        waiting_b=waiting_b,
        log=EventLogEntry.objects.filter(event=event).earliest("pk"),
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "event": lambda m: m.event,
    "line": lambda m: m.line,
    "attachment": lambda m: m.attachment,
    "question": lambda m: m.question,
    "criterion": lambda m: m.criterion,
    "member": lambda m: m.member,
    "invitation": lambda m: m.invitation,
    "clarification": lambda m: m.clarification,
    "log": lambda m: m.log,
}
API_BASE = {
    "event": "sourcing-events",
    "line": "sourcing-event-lines",
    "attachment": "sourcing-event-attachments",
    "question": "sourcing-bidder-questions",
    "criterion": "sourcing-criteria",
    "member": "sourcing-event-members",
    "invitation": "sourcing-invitations",
    "clarification": "sourcing-clarifications",
    "log": "sourcing-event-log",
}


def _target(m: Matrix, model: str) -> Any:
    record = TARGETS[model](m)
    return type(record).objects.get(pk=record.pk)


def _is_portal(role: str) -> bool:
    return role.startswith("portal_")


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return str(response.content.decode(errors="replace"))


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    return Outcome(
        allowed=response.status_code == 200 and marker in _body(response),
        detail=str(response.status_code),
    )


# --- reading -----------------------------------------------------------------------------------


def _ui_list(m: Matrix, model: str, t: Any, role: str) -> tuple[str, str] | None:
    """(page, marker) showing the record in the web interface, for this role."""
    if model == "event":
        return "/sourcing/", t.reference
    if _is_portal(role):
        return None  # the invitee's pages are the bidding app's
    markers: dict[str, Callable[[], str]] = {
        "line": lambda: t.description,
        "attachment": lambda: t.original_name,
        "question": lambda: t.text,
        "criterion": lambda: t.name,
        "member": lambda: f'id="member-{t.pk}"',
        "invitation": lambda: f'id="invitation-{t.pk}"',
        "clarification": lambda: t.question,
        "log": lambda: t.summary,
    }
    return t.event.get_absolute_url(), markers[model]()


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        page = _ui_list(m, model, target, role)
        return _shown(client.get(page[0]), page[1]) if page else None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "event":
            return _shown(client.get(target.get_absolute_url()), target.title)
        if model == "attachment":
            url = (
                f"/portal/sourcing/documents/{target.pk}/download/"
                if _is_portal(role)
                else f"/sourcing/documents/{target.pk}/download/"
            )
            return _shown(client.get(url), "%PDF")
        if model == "log":
            return _shown(client.get(f"/sourcing/events/{target.event_id}/log/"), target.summary)
        return None
    urls = [f"/api/v1/{API_BASE[model]}/{target.pk}/"]
    if model == "attachment":
        urls.append(f"/api/v1/{API_BASE[model]}/{target.pk}/download/")
    seen = [client.get(url).status_code for url in urls]
    assert all(code in (200, 403, 404) for code in seen), seen
    assert len(set(seen)) == 1, f"mixed: {seen}"
    return Outcome(allowed=seen[0] == 200, detail=str(seen[0]))


# --- writing -----------------------------------------------------------------------------------


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    """A write took effect with a success code, or was refused (a page may re-render its form
    with the refusal: 400, or a redirect with a message) and left no trace."""
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def _post(channel: str, client: Any, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    if channel == "api":
        return client.post(url, data, format=kwargs.get("format", "json"))
    return client.post(url, data)


def _create_calls(m: Matrix, channel: str) -> dict[str, tuple[type[Any], str, dict[str, Any]]]:
    """(model, url, body) creating one of each, for the channel."""
    ui = channel == "ui"
    extra = prequalified_vendor(m.event.category)
    closes = timezone.now() + dt.timedelta(days=9)
    event_body: dict[str, Any] = {
        "kind": "rfq",
        "title": "Matrix event",
        "category": m.event.category_id,
        "currency": "EUR",
        "evaluation_method": "lowest_price",
        "award_rule": "single",
        "confirm_days": 5,
        "scorecard_weight": "0.1",
        "quality_cost_rate": "0",
    }
    if ui:
        event_body["closes_at"] = timezone.localtime(closes).strftime("%Y-%m-%dT%H:%M")
        return {
            "event": (SourcingEvent, "/sourcing/events/new/", event_body),
            "line": (
                EventLine,
                f"/sourcing/events/{m.draft.pk}/lines/",
                {
                    "line-kind": "part",
                    "line-description": "New",
                    "line-quantity": "2",
                    "line-unit": "pc",
                },
            ),
            "question": (
                BidderQuestion,
                f"/sourcing/events/{m.draft.pk}/questions/",
                {"question-text": "New question?", "question-required": "on"},
            ),
            "criterion": (
                EvaluationCriterion,
                f"/sourcing/events/{m.draft.pk}/criteria/",
                {"criterion-name": "Delivery", "criterion-max_value": "0.05"},
            ),
            "member": (
                SourcingEventMember,
                f"/sourcing/events/{m.draft.pk}/team/",
                {"member-user": m.cast.outsider.pk, "member-access": "review"},
            ),
            "attachment": (
                EventAttachment,
                f"/sourcing/events/{m.event.pk}/documents/",
                {"document-file": drawing("new.pdf")},
            ),
            "invitation": (
                EventInvitation,
                f"/sourcing/events/{m.event.pk}/invite/",
                {"supplier": extra.pk},
            ),
            "clarification": (
                Clarification,
                f"/sourcing/events/{m.event.pk}/clarifications/",
                {"clarification-question": "Site", "clarification-answer": "Visit Tuesday"},
            ),
        }
    event_body["closes_at"] = closes.isoformat()
    api = "/api/v1/"
    return {
        "event": (SourcingEvent, f"{api}sourcing-events/", event_body),
        "line": (
            EventLine,
            f"{api}sourcing-event-lines/",
            {"event": m.draft.pk, "description": "New", "quantity": "2"},
        ),
        "question": (
            BidderQuestion,
            f"{api}sourcing-bidder-questions/",
            {"event": m.draft.pk, "text": "New question?"},
        ),
        "criterion": (
            EvaluationCriterion,
            f"{api}sourcing-criteria/",
            {"event": m.draft.pk, "name": "Delivery", "max_value": "0.05"},
        ),
        "member": (
            SourcingEventMember,
            f"{api}sourcing-event-members/",
            {"event": m.draft.pk, "user": m.cast.outsider.pk},
        ),
        "attachment": (
            EventAttachment,
            f"{api}sourcing-event-attachments/",
            {"event": m.event.pk, "file": drawing("new.pdf")},
        ),
        "invitation": (
            EventInvitation,
            f"{api}sourcing-invitations/",
            {"event": m.event.pk, "supplier": extra.pk},
        ),
        "clarification": (
            Clarification,
            f"{api}sourcing-clarifications/",
            {"event": m.event.pk, "question": "Site", "answer": "Visit Tuesday"},
        ),
    }


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "log":
        return None  # written by the services, never by hand
    client = _client(channel, m.user(role))
    model_class, url, data = _create_calls(m, channel)[model]
    before = model_class.objects.count()
    response = _post(
        channel, client, url, data, format="multipart" if model == "attachment" else "json"
    )
    return _outcome(response, model_class.objects.count() > before, (302, 201))


def _ui_update(m: Matrix, model: str, t: Any) -> tuple[str, dict[str, Any]] | None:
    if model == "event":
        draft = m.draft
        data = {
            "title": draft.title,
            "description": "Changed by the matrix",
            "category": draft.category_id,
            "currency": draft.currency,
            "closes_at": timezone.localtime(draft.closes_at).strftime("%Y-%m-%dT%H:%M"),
            "evaluation_method": draft.evaluation_method,
            "award_rule": draft.award_rule,
            "confirm_days": draft.confirm_days,
            "scorecard_weight": draft.scorecard_weight,
            "quality_cost_rate": draft.quality_cost_rate,
            "version": draft.version,
        }
        return f"/sourcing/events/{draft.pk}/edit/", data
    forms: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
        "line": lambda: (
            f"/sourcing/line/{t.pk}/edit/",
            {
                "line-kind": "part",
                "line-description": "Changed by the matrix",
                "line-quantity": "3",
                "line-unit": "pc",
                "line-version": t.version,
            },
        ),
        "question": lambda: (
            f"/sourcing/question/{t.pk}/edit/",
            {"question-text": "Changed by the matrix", "question-version": t.version},
        ),
        "criterion": lambda: (
            f"/sourcing/criterion/{t.pk}/edit/",
            {
                "criterion-name": "Changed by the matrix",
                "criterion-max_value": "0.1",
                "criterion-version": t.version,
            },
        ),
        "clarification": lambda: (
            f"/sourcing/clarifications/{t.pk}/answer/",
            {"answer": "Changed by the matrix", "publish": "on"},
        ),
    }
    maker = forms.get(model)
    return maker() if maker else None


def _api_update(m: Matrix, model: str, t: Any, client: Any) -> Any:
    api = f"/api/v1/{API_BASE[model]}/"
    if model == "invitation":
        return client.post(f"{api}{t.pk}/decline/", {"reason": "Matrix"}, format="json")
    if model == "clarification":
        return client.post(
            f"{api}{t.pk}/answer/", {"answer": "Changed by the matrix"}, format="json"
        )
    if model == "event":
        t = m.draft
    field = {
        "event": ("description", "Changed by the matrix"),
        "line": ("description", "Changed by the matrix"),
        "question": ("text", "Changed by the matrix"),
        "criterion": ("name", "Changed by the matrix"),
        "member": ("access", "edit"),
    }[model]
    return client.patch(f"{api}{t.pk}/", {field[0]: field[1], "version": t.version}, format="json")


def _updated(m: Matrix, model: str, t: Any) -> bool:
    if model == "event":
        return SourcingEvent.objects.get(pk=m.draft.pk).description == "Changed by the matrix"
    fresh = type(t).objects.get(pk=t.pk)
    checks: dict[str, Callable[[], bool]] = {
        "line": lambda: fresh.description == "Changed by the matrix",
        "question": lambda: fresh.text == "Changed by the matrix",
        "criterion": lambda: fresh.name == "Changed by the matrix",
        "member": lambda: fresh.access == "edit",
        "invitation": lambda: fresh.status == "declined",
        "clarification": lambda: fresh.answer == "Changed by the matrix",
    }
    return checks[model]()


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model in ("log", "attachment"):
        return None  # the log is append-only; a document is replaced, never changed
    client = _client(channel, m.user(role))
    target = _target(m, model)
    if channel == "ui":
        form = _ui_update(m, model, target)
        if form is None:
            return None  # the team's access and declining have no page here
        response = client.post(*form)
    else:
        response = _api_update(m, model, target, client)
    return _outcome(response, _updated(m, model, target), (302, 200))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    parts = {
        "line": "line",
        "question": "question",
        "criterion": "criterion",
        "member": "member",
        "attachment": "attachment",
    }
    if model not in parts:
        return None  # events are cancelled, invitations declined; the log stays
    target = m.draft_attachment if model == "attachment" else _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        response = client.post(f"/sourcing/{parts[model]}/{target.pk}/remove/")
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    made = type(target).objects.get(pk=target.pk).archived_at is not None
    return _outcome(response, made, (302, 204))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(TARGETS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        SourcingEvent,
        SourcingEventMember,
        EventLine,
        EventAttachment,
        BidderQuestion,
        EvaluationCriterion,
        EventInvitation,
        Clarification,
        EventLogEntry,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_sourcing_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = CHANNEL_EXPECTED.get((channel, model, action), EXPECTED.get((model, action)))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(MODELS)


# --- vendor B's portal user: nothing of A's, whatever it guesses -------------------------------


def test_portal_b_reaches_nothing_of_vendor_a(matrix: Matrix) -> None:
    m = matrix
    ui = _client("ui", m.cast.portal_b)
    api = _client("api", m.cast.portal_b)
    for url in (
        m.event.get_absolute_url(),
        f"/sourcing/events/{m.event.pk}/log/",
        f"/sourcing/documents/{m.attachment.pk}/download/",
        f"/api/v1/sourcing-invitations/{m.invitation.pk}/",
        f"/api/v1/sourcing-clarifications/{m.clarification.pk}/",
        f"/api/v1/sourcing-event-attachments/{m.attachment.pk}/download/",
        f"/api/v1/sourcing-events/{m.event.pk}/",
    ):
        response = (api if url.startswith("/api/") else ui).get(url)
        assert response.status_code == 404, url
    rows = api.get("/api/v1/sourcing-invitations/").json()["results"]
    assert [row["id"] for row in rows] == [m.invitation_b.pk]
    # B downloads the open event's document through its own invitation, nothing of a draft
    assert ui.get(f"/portal/sourcing/documents/{m.attachment.pk}/download/").status_code == 200
    hidden = f"/portal/sourcing/documents/{m.draft_attachment.pk}/download/"
    assert ui.get(hidden).status_code == 404
    for url in ("/api/v1/sourcing-clarifications/", "/api/v1/sourcing-event-log/"):
        assert api.get(url).json()["results"] == [], url


def test_a_waiting_question_is_seen_by_its_asker_only(matrix: Matrix) -> None:
    m = matrix
    # A sees its own waiting question, never B's; once B's is answered both see it, unnamed
    assert [c.pk for c in services.published_for(m.invitation)] == [m.clarification.pk]
    assert [c.pk for c in services.published_for(m.invitation_b)] == [m.waiting_b.pk]
    services.clarification_answer(actor=m.cast.owner, clarification=m.waiting_b, answer="Yes")
    seen_by_a = services.published_for(m.invitation)
    assert m.waiting_b.pk in [c.pk for c in seen_by_a]
