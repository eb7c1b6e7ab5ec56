"""The permission matrix of the pipeline app (issue 9): every role of the cast, through the UI and
the API, on its records.

The same approach as tests/test_permission_matrix.py and its sourcing module: expectations are
written out by hand from the policy's rules (access.py and the models' access specs), every role
acts on the same starting state (its writes are rolled back), an allowed role gets the row or the
change, a denied role gets neither and the database is untouched.

The rules, as the policy states them:

- an opportunity follows its owner and its account: it is read by its owner (``owner``), the
  owner's managers (``manager``, ``director``), the account's team (``member`` edits,
  ``reviewer`` reads), auditors and administrators; it is changed (and archived) by its owner,
  the account's editing team and administrators; opening one takes the right to change the
  account;
- ``outsider`` (a peer of ``owner``) and the portal users see nothing of it;
- its lines, contacts, credits, proposal documents and stage changes follow the opportunity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld, demand_accounts
from steward.catalog.tests.factories import ProductFactory
from steward.parties.tests.cast import ROLES, Cast
from steward.pipeline import services
from steward.pipeline.models import (
    Opportunity,
    OpportunityContact,
    OpportunityCredit,
    OpportunityLine,
    ProposalDocument,
    StageChange,
)
from tests.test_permission_matrix import Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset({"admin", "auditor", "director", "manager", "owner", "member", "reviewer"})
CHANGERS = frozenset({"admin", "owner", "member"})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("opportunity", "list"): READERS,
    ("opportunity", "detail"): READERS,
    ("opportunity", "create"): CHANGERS,
    ("opportunity", "update"): CHANGERS,
    ("opportunity", "delete"): CHANGERS,
    ("line", "list"): READERS,
    ("line", "detail"): READERS,
    ("line", "create"): CHANGERS,
    ("line", "update"): CHANGERS,
    ("line", "delete"): CHANGERS,
    ("contact", "list"): READERS,
    ("contact", "detail"): READERS,
    ("contact", "create"): CHANGERS,
    ("contact", "update"): CHANGERS,
    ("contact", "delete"): CHANGERS,
    # "create" is setting the splits (which replaces them)
    ("credit", "list"): READERS,
    ("credit", "detail"): READERS,
    ("credit", "create"): CHANGERS,
    ("proposal", "list"): READERS,
    ("proposal", "detail"): READERS,
    ("proposal", "create"): CHANGERS,
    ("proposal", "delete"): CHANGERS,
    ("stage_change", "list"): READERS,
    ("stage_change", "detail"): READERS,
}
MODELS = ("opportunity", "line", "contact", "credit", "proposal", "stage_change")


@dataclass
class Matrix:
    cast: Cast
    world: DemandWorld
    opportunity: Opportunity
    line: OpportunityLine
    contact: OpportunityContact
    credit: OpportunityCredit
    proposal: ProposalDocument
    stage_change: StageChange

    def user(self, role: str) -> Any:
        return self.cast.user(role)


def _pdf(name: str = "matrix-offer.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% matrix\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    owner = cast.owner
    opportunity = services.opportunity_create(
        actor=owner,
        relationship=world.account_a,
        name="Matrix labels deal",
        close_date=timezone.localdate() + dt.timedelta(days=30),
        penetration_type="new_product",
    )
    line = services.line_add(
        actor=owner, opportunity=opportunity, product=ProductFactory(), quantity=Decimal(2)
    )
    contact = services.contact_add(
        actor=owner,
        opportunity=opportunity,
        contact=cast.contact_a_shared,
        buying_role="decision_maker",
    )
    credit = services.credits_set(
        actor=owner,
        opportunity=opportunity,
        splits=[(owner, "owner", Decimal("62.5")), (cast.member, "specialist", Decimal("37.5"))],
    )[1]
    proposal = services.proposal_upload(
        actor=owner, opportunity=opportunity, title="Matrix offer", upload=_pdf()
    )
    return Matrix(
        cast=cast,
        world=world,
        opportunity=Opportunity.objects.get(pk=opportunity.pk),
        line=line,
        contact=contact,
        credit=credit,
        proposal=proposal,
        stage_change=StageChange.objects.filter(opportunity=opportunity).earliest("pk"),
    )


API_BASE = {
    "opportunity": "opportunities",
    "line": "opportunity-lines",
    "contact": "opportunity-contacts",
    "credit": "opportunity-credits",
    "proposal": "proposal-documents",
    "stage_change": "stage-changes",
}


def _target(m: Matrix, model: str) -> Any:
    record = getattr(m, model)
    return type(record).objects.get(pk=record.pk)


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

UI_MARKERS: dict[str, Callable[[Any], str]] = {
    "line": lambda t: f'id="line-{t.pk}"',
    "contact": lambda t: f'id="contact-{t.pk}"',
    "credit": lambda t: f"{t.percent} %",
    "proposal": lambda t: f'id="proposal-{t.pk}"',
    "stage_change": lambda t: 'data-testid="stage-history"',
}


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "opportunity":
            return _shown(client.get("/pipeline/"), target.name)
        return _shown(client.get(m.opportunity.get_absolute_url()), UI_MARKERS[model](target))
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "opportunity":
            return _shown(client.get(target.get_absolute_url()), target.name)
        if model == "proposal":
            return _shown(client.get(f"/pipeline/proposals/{target.pk}/download/"), "%PDF")
        return None
    urls = [f"/api/v1/{API_BASE[model]}/{target.pk}/"]
    if model == "proposal":
        urls.append(f"/api/v1/{API_BASE[model]}/{target.pk}/download/")
    seen = [client.get(url).status_code for url in urls]
    assert all(code in (200, 403, 404) for code in seen), seen
    assert len(set(seen)) == 1, f"mixed: {seen}"
    return Outcome(allowed=seen[0] == 200, detail=str(seen[0]))


# --- writing -----------------------------------------------------------------------------------


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def check_create(  # noqa: PLR0912 - one branch per kind of record
    channel: str, model: str, m: Matrix, role: str
) -> Outcome | None:
    client = _client(channel, m.user(role))
    ui = channel == "ui"
    opp = m.opportunity
    base = opp.get_absolute_url()
    if model == "opportunity":
        body = {
            "relationship": m.world.account_a.pk,
            "name": "Matrix new deal",
            "close_date": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
            "stage": "prospecting",
            "penetration_type": "expansion",
            "currency": "EUR",
        }
        url = "/pipeline/new/" if ui else "/api/v1/opportunities/"
        response = client.post(url, body) if ui else client.post(url, body, format="json")
        made = Opportunity.objects.filter(name="Matrix new deal").exists()
        return _outcome(response, made, (302,) if ui else (201,))
    if model == "line":
        product = ProductFactory(name="Matrix added product")
        if ui:
            response = client.post(
                f"{base}lines/", {"line-product": product.pk, "line-quantity": "1"}
            )
        else:
            response = client.post(
                "/api/v1/opportunity-lines/",
                {"opportunity": opp.pk, "product": product.pk, "quantity": "1"},
                format="json",
            )
        made = OpportunityLine.objects.filter(product=product).exists()
        return _outcome(response, made, (302,) if ui else (201,))
    if model == "contact":
        if ui:
            response = client.post(
                f"{base}contacts/",
                {"contact-contact": m.cast.contact_a_private.pk, "contact-buying_role": "user"},
            )
        else:
            response = client.post(
                "/api/v1/opportunity-contacts/",
                {
                    "opportunity": opp.pk,
                    "contact": m.cast.contact_a_private.pk,
                    "buying_role": "user",
                },
                format="json",
            )
        made = OpportunityContact.objects.filter(contact=m.cast.contact_a_private).exists()
        return _outcome(response, made, (302,) if ui else (201,))
    if model == "credit":
        if ui:
            response = client.post(
                f"{base}credits/",
                {
                    "credits-user_0": m.cast.member.pk,
                    "credits-role_0": "proposal",
                    "credits-percent_0": "100",
                },
            )
        else:
            response = client.post(
                f"/api/v1/opportunities/{opp.pk}/credits/",
                {"splits": [{"user": m.cast.member.pk, "role": "proposal", "percent": "100"}]},
                format="json",
            )
        made = OpportunityCredit.objects.filter(
            opportunity=opp, percent=100, archived_at__isnull=True
        ).exists()
        return _outcome(response, made, (302,) if ui else (200,))
    if model == "proposal":
        if ui:
            response = client.post(
                f"{base}proposals/",
                {"proposal-title": "Matrix second", "proposal-file": _pdf("second.pdf")},
            )
        else:
            response = client.post(
                "/api/v1/proposal-documents/",
                {"opportunity": opp.pk, "title": "Matrix second", "file": _pdf("second.pdf")},
                format="multipart",
            )
        made = ProposalDocument.objects.filter(title="Matrix second").exists()
        return _outcome(response, made, (302,) if ui else (201,))
    return None


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    target = _target(m, model)
    if model == "opportunity":
        if channel == "ui":
            response = client.post(
                f"{target.get_absolute_url()}edit/",
                {
                    "name": "Matrix renamed",
                    "close_date": target.close_date.isoformat(),
                    "penetration_type": target.penetration_type,
                    "currency": "EUR",
                    "version": target.version,
                },
            )
        else:
            response = client.patch(
                f"/api/v1/opportunities/{target.pk}/",
                {"name": "Matrix renamed", "version": target.version},
                format="json",
            )
        made = Opportunity.objects.filter(name="Matrix renamed").exists()
        return _outcome(response, made, (302,) if channel == "ui" else (200,))
    if channel == "ui":
        return None
    if model == "line":
        response = client.patch(
            f"/api/v1/opportunity-lines/{target.pk}/",
            {"quantity": "7", "version": target.version},
            format="json",
        )
        made = OpportunityLine.objects.filter(pk=target.pk, quantity=7).exists()
        return _outcome(response, made, (200,))
    if model == "contact":
        response = client.patch(
            f"/api/v1/opportunity-contacts/{target.pk}/",
            {"notes": "Matrix note", "version": target.version},
            format="json",
        )
        made = OpportunityContact.objects.filter(pk=target.pk, notes="Matrix note").exists()
        return _outcome(response, made, (200,))
    return None


UI_PARTS = {"line": "lines", "contact": "contacts", "proposal": "proposals"}


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model not in ("opportunity", *UI_PARTS):
        return None
    client = _client(channel, m.user(role))
    target = _target(m, model)
    if channel == "ui":
        url = (
            f"{target.get_absolute_url()}archive/"
            if model == "opportunity"
            else f"/pipeline/{UI_PARTS[model]}/{target.pk}/remove/"
        )
        response = client.post(url)
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    made = type(target).objects.filter(pk=target.pk, archived_at__isnull=False).exists()
    return _outcome(response, made, (302,) if channel == "ui" else (204,))


CHECKS: dict[str, Callable[[str, str, Matrix, str], Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        Opportunity,
        OpportunityLine,
        OpportunityContact,
        OpportunityCredit,
        ProposalDocument,
        StageChange,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_pipeline_permission_matrix(matrix: Matrix, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in ROLES:
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


def test_a_peer_reaches_nothing_of_owners(matrix: Matrix) -> None:
    m = matrix
    for channel in ("ui", "api"):
        for role in ("outsider", "portal_a", "portal_b"):
            client = _client(channel, m.user(role))
            urls = (
                [m.opportunity.get_absolute_url(), f"/pipeline/proposals/{m.proposal.pk}/download/"]
                if channel == "ui"
                else [f"/api/v1/{API_BASE[name]}/{getattr(m, name).pk}/" for name in MODELS]
            )
            for url in urls:
                assert client.get(url).status_code == 404, (role, url)
