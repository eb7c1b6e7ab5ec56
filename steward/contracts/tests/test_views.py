"""The contract pages through Django's test client: list, detail tabs, forms and workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steward.contracts import services
from steward.contracts.choices import ContractKind, ContractStatus, Decision
from steward.contracts.models import ApprovalRule, Contract, ContractApproval, NegotiationEntry
from steward.contracts.views_feed import feed_token
from steward.core.registry import navigation
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def draft(cast: Cast, relationship: Any = None, **fields: Any) -> Contract:
    """A draft contract through the service, as the relationship's owner."""
    relationship = relationship or cast.rel_a
    fields.setdefault("title", "Castings supply")
    fields.setdefault("kind", ContractKind.MASTER)
    return services.contract_create(actor=relationship.owner, relationship=relationship, **fields)


def submitted(cast: Cast) -> tuple[Contract, ContractApproval]:
    """A contract waiting for legal's approval, which falls to ``member``."""
    ApprovalRule.objects.create(name="Legal always", function="legal", approver=cast.member)
    contract = draft(cast, start_date=TODAY, term_months=12)
    services.contract_transition(
        actor=cast.owner, contract=contract, to_status=ContractStatus.PENDING_APPROVAL
    )
    return contract, contract.approvals.get()


def contract_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Freight framework",
        "kind": "master",
        "reference": "FR-1",
        "currency": "eur",
        "annual_value": "80000",
        "start_date": "2026-01-01",
        "term_months": "24",
        "notice_count": "3",
        "notice_unit": "months",
    }
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_what_the_user_may_see_and_the_nav_entry(cast: Cast) -> None:
    # given a contract on A and one on B
    draft(cast, annual_value=Decimal("50000"), start_date=TODAY, term_months=12)
    draft(cast, cast.rel_b, title="Borealis services")
    # when the owner of A opens the list
    html = web_client(cast.owner).get("/contracts/").content.decode()
    # then only A's contract shows, with its value and side
    assert "Castings supply" in html
    assert "Borealis services" not in html
    assert "EUR 50,000" in html
    assert "buy" in html
    assert any(entry.url_name == "contracts:contract-list" for entry in navigation())


def test_list_shows_an_empty_state(cast: Cast) -> None:
    html = web_client(cast.owner).get("/contracts/").content.decode()
    assert "No contracts to show." in html


def test_a_list_narrowed_to_a_relationship_offers_a_new_contract_to_editors(cast: Cast) -> None:
    new = f"/relationships/{cast.rel_a.pk}/contracts/new/"
    query = {"relationship": cast.rel_a.pk}
    assert new in web_client(cast.member).get("/contracts/", query).content.decode()
    assert new not in web_client(cast.reviewer).get("/contracts/", query).content.decode()


def test_list_filters_by_status_kind_side_expiry_and_archive(cast: Cast) -> None:
    # given a draft NDA, and an active master ending within 90 days
    draft(cast, title="Mutual NDA", kind=ContractKind.NDA)
    ending = draft(cast, title="Ending soon", start_date=TODAY - dt.timedelta(days=300))
    services.contract_update(
        actor=cast.owner,
        contract=ending,
        expected_version=ending.version,
        end_date=TODAY + dt.timedelta(days=30),
    )
    Contract.objects.filter(pk=ending.pk).update(status=ContractStatus.ACTIVE)
    client = web_client(cast.owner)

    def titles(**params: Any) -> set[str]:
        html = client.get("/contracts/", params).content.decode()
        return {t for t in ("Mutual NDA", "Ending soon") if t in html}

    # then every filter narrows the list
    assert titles(status="active") == {"Ending soon"}
    assert titles(kind="nda") == {"Mutual NDA"}
    assert titles(side="buy") == {"Mutual NDA", "Ending soon"}
    assert titles(side="sell") == set()
    assert titles(expiring="true") == {"Ending soon"}
    assert titles(q="nda") == {"Mutual NDA"}
    assert titles(archived="true") == set()


def test_pending_my_approval_shows_only_the_approvers_open_contracts(cast: Cast) -> None:
    # given a contract waiting on member's approval and another draft
    submitted(cast)
    draft(cast, title="Another draft")
    # when member and owner ask for what waits on them
    mine = web_client(cast.member).get("/contracts/", {"pending_mine": "true"}).content.decode()
    theirs = web_client(cast.owner).get("/contracts/", {"pending_mine": "true"}).content
    # then only the approver sees the contract in approval
    assert "Castings supply" in mine
    assert "Another draft" not in mine
    assert b"Castings supply" not in theirs


def test_export_follows_filters_and_policy(cast: Cast) -> None:
    draft(cast, title="=cmd|calc")
    draft(cast, title="Second one")
    draft(cast, cast.rel_b, title="Borealis only")
    client = web_client(cast.owner)
    csv = b"".join(client.get("/contracts/", {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0].startswith("Id,Title,Reference,Counterparty,Side,Kind,Status")
    assert "'=cmd|calc" in csv
    assert "Borealis only" not in csv
    filtered = b"".join(
        client.get("/contracts/", {"export": "csv", "q": "second"}).streaming_content
    ).decode("utf-8-sig")
    assert "Second one" in filtered
    assert "calc" not in filtered
    xlsx = client.get("/contracts/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_issues_a_constant_number_of_queries(cast: Cast) -> None:
    client = web_client(cast.owner)
    for n in range(3):
        draft(cast, title=f"Contract {n}")
    client.get("/contracts/")  # warm up: session and principal

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/contracts/").status_code == 200
        return len(queries)

    few = count()
    for n in range(3, 10):
        draft(cast, title=f"Contract {n}", owner=cast.member if n % 2 else None)
    assert count() == few


# --- detail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["terms", "approvals", "negotiation", "history"])
def test_every_tab_renders_for_the_owner_and_a_reader(cast: Cast, tab: str) -> None:
    contract, _ = submitted(cast)
    for user in (cast.owner, cast.reviewer):
        response = web_client(user).get(f"/contracts/{contract.pk}/", {"tab": tab})
        assert response.status_code == 200
        assert "Castings supply" in response.content.decode()


def test_the_page_offers_allowed_moves_to_editors_only(cast: Cast) -> None:
    contract = draft(cast)
    owner_html = web_client(cast.owner).get(contract.get_absolute_url()).content.decode()
    reader_html = web_client(cast.reviewer).get(contract.get_absolute_url()).content.decode()
    assert 'value="in_negotiation"' in owner_html
    assert 'value="pending_approval"' in owner_html
    assert 'value="active"' not in owner_html
    assert "Workflow" not in reader_html


def test_an_outsider_gets_404_and_a_reader_cannot_change(cast: Cast) -> None:
    contract = draft(cast)
    outsider = web_client(cast.outsider)
    assert outsider.get(f"/contracts/{contract.pk}/").status_code == 404
    assert outsider.get(f"/contracts/{contract.pk}/edit/").status_code == 404
    assert (
        outsider.post(
            f"/contracts/{contract.pk}/transition/", {"to_status": "in_negotiation"}
        ).status_code
        == 404
    )
    reader = web_client(cast.reviewer)
    assert reader.get(f"/contracts/{contract.pk}/edit/").status_code == 403
    assert (
        reader.post(
            f"/contracts/{contract.pk}/transition/", {"to_status": "in_negotiation"}
        ).status_code
        == 403
    )
    assert outsider.get(f"/relationships/{cast.rel_a.pk}/contracts/new/").status_code == 404
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.version == 1


# --- create and edit -----------------------------------------------------------------------------


def test_create_drafts_a_contract_with_derived_dates(cast: Cast) -> None:
    client = web_client(cast.member)
    url = f"/relationships/{cast.rel_a.pk}/contracts/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, contract_form())
    contract = Contract.objects.get(title="Freight framework")
    assert response.status_code == 302
    assert response["Location"] == contract.get_absolute_url()
    assert contract.end_date == dt.date(2027, 12, 31)
    assert contract.currency == "EUR"
    assert contract.owner == cast.owner  # the relationship's, by default


def test_create_with_bad_input_shows_the_field_error_and_writes_nothing(cast: Cast) -> None:
    client = web_client(cast.owner)
    url = f"/relationships/{cast.rel_a.pk}/contracts/new/"
    # a term without a start date: the service names start_date
    response = client.post(url, contract_form(start_date=""))
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == ["A term needs a start date."]
    # a negative value: the form refuses it
    response = client.post(url, contract_form(annual_value="-5"))
    assert "annual_value" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_edit_is_version_checked(cast: Cast) -> None:
    contract = draft(cast)
    client = web_client(cast.owner)
    url = f"/contracts/{contract.pk}/edit/"
    edit = contract_form(title="Renamed", owner=cast.owner.pk)
    stale = client.post(url, {**edit, "version": contract.version + 1})
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    saved = client.post(url, {**edit, "version": contract.version})
    assert saved.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Renamed"


def test_edit_refuses_fixed_terms_once_approved(cast: Cast) -> None:
    # given an active contract, and its edit form as the page fills it in
    contract = draft(cast, start_date=dt.date(2026, 1, 1), term_months=24, annual_value=80000)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    client = web_client(cast.owner)
    url = f"/contracts/{contract.pk}/edit/"
    shown = client.get(url).context["form"]
    data = {
        name: value
        for name, value in ((f.name, f.value()) for f in shown)
        if value is not None and value is not False
    }
    # when only the title changes, it saves; when the value changes, it is refused
    renamed = client.post(url, {**data, "title": "Castings supply 2026"})
    assert renamed.status_code == 302
    data["version"] = contract.version + 1
    response = client.post(url, {**data, "annual_value": "90000"})
    assert response.status_code == 200
    assert "are fixed" in response.context["form"].errors["annual_value"][0]
    contract.refresh_from_db()
    assert contract.annual_value == Decimal(80000)


# --- workflow ------------------------------------------------------------------------------------


def test_a_refused_transition_shows_the_services_message(cast: Cast) -> None:
    contract = draft(cast)
    response = web_client(cast.owner).post(
        f"/contracts/{contract.pk}/transition/", {"to_status": "active"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A contract cannot move from Draft to Active" in html
    # the re-rendered page's tabs lead back to the contract, not to the POST-only URL
    assert f'href="/contracts/{contract.pk}/?tab=approvals"' in html
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_terminating_needs_a_reason_on_the_field(cast: Cast) -> None:
    contract = draft(cast)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    response = web_client(cast.owner).post(
        f"/contracts/{contract.pk}/transition/", {"to_status": "terminated", "reason": " "}
    )
    assert response.context["transition_form"].errors["reason"] == [
        "Say why the contract is terminated."
    ]
    ended = web_client(cast.owner).post(
        f"/contracts/{contract.pk}/transition/", {"to_status": "terminated", "reason": "Breach"}
    )
    assert ended.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED


def test_the_approver_approves_from_the_page(cast: Cast) -> None:
    contract, approval = submitted(cast)
    client = web_client(cast.member)
    page = client.get(f"/contracts/{contract.pk}/", {"tab": "approvals"}).content.decode()
    assert f"/contract-approvals/{approval.pk}/decide/" in page
    response = client.post(f"/contract-approvals/{approval.pk}/decide/", {"decision": "approved"})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.decision == Decision.APPROVED


def test_a_non_approver_cannot_decide(cast: Cast) -> None:
    contract, approval = submitted(cast)
    owner_page = web_client(cast.owner).get(f"/contracts/{contract.pk}/", {"tab": "approvals"})
    assert f"/contract-approvals/{approval.pk}/decide/" not in owner_page.content.decode()
    for user, status in ((cast.owner, 403), (cast.reviewer, 403), (cast.outsider, 404)):
        response = web_client(user).post(
            f"/contract-approvals/{approval.pk}/decide/", {"decision": "approved"}
        )
        assert response.status_code == status
    approval.refresh_from_db()
    assert approval.decision == Decision.PENDING


def test_a_rejection_without_a_comment_shows_the_field_error(cast: Cast) -> None:
    contract, approval = submitted(cast)
    response = web_client(cast.member).post(
        f"/contract-approvals/{approval.pk}/decide/", {"decision": "rejected", "comment": ""}
    )
    assert response.status_code == 200
    assert "Say why you reject it." in response.content.decode()
    approval.refresh_from_db()
    contract.refresh_from_db()
    assert approval.decision == Decision.PENDING
    assert contract.status == ContractStatus.PENDING_APPROVAL


def test_negotiation_is_logged_from_the_page(cast: Cast) -> None:
    contract = draft(cast)
    client = web_client(cast.owner)
    url = f"/contracts/{contract.pk}/negotiation/new/"
    empty = client.post(url, {"term": "price"})
    assert "Record a position or a concession." in empty.content.decode()
    assert not NegotiationEntry.objects.exists()
    logged = client.post(url, {"term": "price", "their_position": "5% increase"})
    assert logged.status_code == 302
    page = client.get(f"/contracts/{contract.pk}/", {"tab": "negotiation"}).content.decode()
    assert "5% increase" in page


def test_the_deadlines_feed_is_wired_to_its_token(cast: Cast) -> None:
    # given the owner's feed URL, which needs no session
    url = reverse("contracts:deadlines-feed", args=[feed_token(cast.owner)])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert Client().get("/calendar/1-nonsense.ics").status_code == 404
