"""The permission matrix of the handoffs app (issue 9): every role of the cast, through the UI
and the API, on handoffs and their items.

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy (``Handoff.access_spec``: owner = who hands
over, parent = the account) and the app's rules (``steward/handoffs/rules.py``); every role acts
on the same starting state (its writes are rolled back); an allowed role gets the row or the
change, a denied role gets neither and the database is untouched.

The cast has nobody in business development: this module adds ``bd``, an inside user of that
function who prepares the handoffs, and walks ``ROLES + ("bd",)``.

The rules, as written:

- a handoff is read by its preparer (``bd``), the account's owner (``owner``, the receiver) and
  team (``member`` edits, ``reviewer`` reads), the managers of the account's owner (``manager``,
  ``director``), auditors and administrators; ``outsider`` (a peer) and portal users see nothing;
- business development and administrators prepare a handoff of any customer account, others
  of the accounts they may change (``owner``, ``member``);
- a draft is edited and cancelled ("delete") by its preparer and administrators only;
- items are read like their handoff; once handed over they are worked (added, changed) by who
  may change the account (``owner``, ``member``, administrators), no longer by the preparer;
  a draft's items are removed by its preparer, the account's editors and administrators;
- only the receiver accepts: not an administrator, not the preparer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from steward.accounts.tests.world import demand_accounts
from steward.handoffs import services
from steward.handoffs.models import Handoff, HandoffItem
from steward.handoffs.tests.factories import bd_user, days, handed_over, step
from steward.parties.choices import Side
from steward.parties.models import Relationship
from steward.parties.tests.cast import ROLES, Cast
from steward.parties.tests.factories import (
    OrganizationFactory,
    RelationshipFactory,
    RelationshipMemberFactory,
)
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "bd")
READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer", "bd"}
)
ACCOUNT_EDITORS = frozenset({"admin", "owner", "member"})
PREPARERS = frozenset({"admin", "bd"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("handoff", "list"): READERS,
    ("handoff", "detail"): READERS,
    ("handoff", "create"): ACCOUNT_EDITORS | {"bd"},
    ("handoff", "update"): PREPARERS,
    # a handoff is cancelled, never deleted
    ("handoff", "delete"): PREPARERS,
    ("item", "list"): READERS,
    ("item", "detail"): READERS,
    ("item", "create"): ACCOUNT_EDITORS,
    ("item", "update"): ACCOUNT_EDITORS,
    # removing is for a draft's items: its preparer and the account's editors
    ("item", "delete"): ACCOUNT_EDITORS | {"bd"},
}


@dataclass
class Matrix:
    cast: Cast
    bd: Any
    handoff: Handoff  # handed over to ``owner``, account A
    item: HandoffItem
    draft: Handoff  # a draft of another account of ``owner``'s with the same team
    draft_item: HandoffItem
    fresh_account: Relationship  # no handoff yet

    def user(self, role: str) -> Any:
        return self.bd if role == "bd" else self.cast.user(role)


def _account(cast: Cast) -> Relationship:
    account: Relationship = RelationshipFactory(  # type: ignore[assignment]
        organization=OrganizationFactory(), side=Side.DEMAND, owner=cast.owner
    )
    RelationshipMemberFactory(relationship=account, user=cast.member, access="edit")
    RelationshipMemberFactory(relationship=account, user=cast.reviewer, access="review")
    return account


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    bd = bd_user()
    handoff = handed_over(cast, world, bd)
    draft = services.handoff_create(actor=bd, relationship=_account(cast), first_review_on=days(9))
    return Matrix(
        cast=cast,
        bd=bd,
        handoff=handoff,
        item=handoff.items.order_by("pk")[0],
        draft=draft,
        draft_item=step(bd, draft, title="Matrix draft step"),
        fresh_account=_account(cast),
    )


def _is_portal(role: str) -> bool:
    return role.startswith("portal_")


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    return Outcome(
        allowed=response.status_code == 200 and marker in response.content.decode(),
        detail=str(response.status_code),
    )


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


API_BASE = {"handoff": "handoffs", "item": "handoff-items"}


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    target = m.handoff if model == "handoff" else m.item
    if channel == "ui":
        if model == "handoff":
            return _shown(client.get("/handoffs/"), f'<tr id="handoff-{target.pk}"')
        return _shown(client.get(m.handoff.get_absolute_url()), f'id="item-{target.pk}"')
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "item":
            return None  # an item is shown on its handoff's page (the list above)
        return _shown(client.get(m.handoff.get_absolute_url()), 'data-testid="handoff-facts"')
    target = m.handoff if model == "handoff" else m.item
    response = client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if model == "handoff":
        body = {"relationship": m.fresh_account.pk, "first_review_on": days(5).isoformat()}
        url = "/handoffs/new/" if channel == "ui" else "/api/v1/handoffs/"
        response = client.post(url, body, **({"format": "json"} if channel == "api" else {}))
        made = Handoff.objects.filter(relationship=m.fresh_account).exists()
        return _outcome(response, made, (302, 201))
    body = {"kind": "checklist", "title": "Matrix new step", "owner": m.cast.owner.pk}
    if channel == "ui":
        response = client.post(f"/handoffs/{m.handoff.pk}/items/", body)
    else:
        response = client.post(
            "/api/v1/handoff-items/", {**body, "handoff": m.handoff.pk}, format="json"
        )
    made = HandoffItem.objects.filter(title="Matrix new step").exists()
    return _outcome(response, made, (302, 201))


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if model == "handoff":
        target: Any = m.draft
        if channel == "ui":
            response = client.post(
                f"/handoffs/{target.pk}/edit/",
                {"version": target.version, "summary": "Matrix changed"},
            )
        else:
            response = client.patch(
                f"/api/v1/handoffs/{target.pk}/",
                {"version": target.version, "summary": "Matrix changed"},
                format="json",
            )
        made = Handoff.objects.get(pk=target.pk).summary == "Matrix changed"
        return _outcome(response, made, (302, 200))
    item = m.item
    if channel == "ui":
        response = client.post(
            f"/handoffs/items/{item.pk}/edit/",
            {
                "version": item.version,
                "kind": item.kind,
                "title": "Matrix changed",
                "owner": item.owner_id,
                "due_on": item.due_on.isoformat() if item.due_on else "",
                "contact": item.contact_id or "",
            },
        )
    else:
        response = client.patch(
            f"/api/v1/handoff-items/{item.pk}/",
            {"version": item.version, "title": "Matrix changed"},
            format="json",
        )
    made = HandoffItem.objects.get(pk=item.pk).title == "Matrix changed"
    return _outcome(response, made, (302, 200))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    if model == "handoff":
        target: Any = m.draft
        if channel == "ui":
            response = client.post(f"/handoffs/{target.pk}/cancel/", {"reason": "Matrix"})
        else:
            response = client.post(
                f"/api/v1/handoffs/{target.pk}/cancel/", {"reason": "Matrix"}, format="json"
            )
        made = Handoff.objects.get(pk=target.pk).status == "cancelled"
        return _outcome(response, made, (302, 200))
    item = m.draft_item
    if channel == "ui":
        response = client.post(f"/handoffs/items/{item.pk}/remove/")
    else:
        response = client.delete(f"/api/v1/handoff-items/{item.pk}/")
    made = HandoffItem.objects.get(pk=item.pk).archived_at is not None
    return _outcome(response, made, (302, 204))


CHECKS: dict[str, Callable[[str, str, Matrix, str], Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = ("handoff", "item")
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]
# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({Handoff, HandoffItem})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_handoffs_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED[(model, action)]
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


@pytest.mark.parametrize("channel", ["ui", "api"])
def test_only_the_receiver_accepts(matrix: Matrix, channel: str) -> None:
    accepted = []
    for role in MATRIX_ROLES:
        client = _client(channel, matrix.user(role))
        with transaction.atomic():
            url = f"/handoffs/{matrix.handoff.pk}/accept/"
            if channel == "api":
                url = f"/api/v1/handoffs/{matrix.handoff.pk}/accept/"
            response = client.post(url, {}, **({"format": "json"} if channel == "api" else {}))
            assert response.status_code in (200, 302, 403, 404), response.status_code
            if Handoff.objects.get(pk=matrix.handoff.pk).status == "accepted":
                accepted.append(role)
            transaction.set_rollback(True)
    assert accepted == ["owner"]


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(MODELS)
