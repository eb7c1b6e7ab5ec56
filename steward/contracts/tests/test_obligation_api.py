"""The /api/v1/ endpoints of obligations, their evidence and a contract's stakeholders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.contracts import services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, ContractStakeholder, Obligation, ObligationEvidence
from steward.contracts.models.obligations import ObligationStatus
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

OBLIGATIONS = "/api/v1/obligations/"
EVIDENCE = "/api/v1/obligation-evidence/"
STAKEHOLDERS = "/api/v1/contract-stakeholders/"
FUTURE = dt.date(2099, 1, 1)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contract(cast: Cast) -> Contract:
    contract = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=ContractKind.MASTER,
        start_date=dt.date(2026, 1, 1),
        term_months=24,
    )
    for status in (ContractStatus.PENDING_APPROVAL, ContractStatus.ACTIVE):
        services.contract_transition(actor=cast.owner, contract=contract, to_status=status)
    return contract


def add(contract: Contract, **fields: Any) -> Obligation:
    values: dict[str, Any] = {
        "title": "Monthly service report",
        "kind": "report",
        "owed_by": "them",
        "due_on": dt.date(2026, 1, 31),
    }
    values.update(fields)
    return services.obligation_add(actor=contract.owner, contract=contract, **values)


# --- obligations ---------------------------------------------------------------------------------


def test_an_obligation_is_created_edited_completed_and_archived(
    cast: Cast, contract: Contract
) -> None:
    api = api_client(cast.member)
    # given a monthly report the counterparty owes, recorded by a team member
    created = api.post(
        OBLIGATIONS,
        {
            "contract": contract.pk,
            "title": "Monthly service report",
            "kind": "report",
            "owed_by": "them",
            "due_on": "2026-01-31",
            "recurrence": "monthly",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner"] == cast.owner.pk  # the contract's owner by default
    assert body["anchor_on"] == "2026-01-31"
    assert body["status"] == "open"
    pk = body["id"]
    # when it is edited with the version read
    edited = api.patch(
        f"{OBLIGATIONS}{pk}/", {"title": "Service report", "version": 1}, format="json"
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["title"] == "Service report"
    # and completed: the answer names the next occurrence, due at the end of February
    done = api.post(f"{OBLIGATIONS}{pk}/complete/", {"done_on": "2026-02-03"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    following = Obligation.objects.get(pk=done.json()["next_occurrence"])
    assert following.due_on == dt.date(2026, 2, 28)
    # a closed one is no longer edited
    closed = api.patch(f"{OBLIGATIONS}{pk}/", {"title": "x", "version": 3}, format="json")
    assert closed.status_code == 400
    assert api_errors(closed) == [("non_field_errors", "closed")]
    # delete archives; the history keeps every step
    assert api.delete(f"{OBLIGATIONS}{following.pk}/").status_code == 204
    following.refresh_from_db()
    assert following.is_archived
    assert following.pk not in result_ids(api.get(OBLIGATIONS))
    history = api.get(f"{OBLIGATIONS}{pk}/history/")
    assert history.status_code == 200
    assert len(history.json()["results"]) == 3


def test_bad_input_names_the_field_and_writes_nothing(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.owner)
    base = {"contract": contract.pk, "title": "Report", "kind": "report", "owed_by": "them"}
    missing = api.post(OBLIGATIONS, base, format="json")
    assert missing.status_code == 400
    assert ("due_on", "required") in api_errors(missing)
    wrong = api.post(OBLIGATIONS, {**base, "due_on": "2026-02-30", "kind": "gift"}, format="json")
    assert set(api_errors(wrong)) == {("due_on", "invalid"), ("kind", "invalid_choice")}
    outside = api.post(
        OBLIGATIONS, {**base, "due_on": "2026-02-01", "owner": cast.portal_a.pk}, format="json"
    )
    assert api_errors(outside) == [("owner", "does_not_exist")]
    services.contract_transition(
        actor=cast.owner, contract=contract, to_status="terminated", reason="Exit"
    )
    ended = api.post(OBLIGATIONS, {**base, "due_on": "2026-02-01"}, format="json")
    assert api_errors(ended) == [("title", "invalid")]
    assert not Obligation.objects.exists()


def test_waiving_needs_a_reason_and_the_series_goes_on(cast: Cast, contract: Contract) -> None:
    obligation = add(contract, recurrence="quarterly")
    api = api_client(cast.owner)
    refused = api.post(f"{OBLIGATIONS}{obligation.pk}/waive/", {}, format="json")
    assert refused.status_code == 400
    assert api_errors(refused) == [("reason", "required")]
    assert Obligation.objects.count() == 1
    waived = api.post(
        f"{OBLIGATIONS}{obligation.pk}/waive/", {"reason": "Audit moved"}, format="json"
    )
    assert waived.status_code == 200
    assert waived.json()["status"] == "waived"
    assert Obligation.objects.get(pk=waived.json()["next_occurrence"]).due_on == dt.date(
        2026, 4, 30
    )
    # a waived one cannot be completed
    again = api.post(f"{OBLIGATIONS}{obligation.pk}/complete/", {}, format="json")
    assert api_errors(again) == [("status", "closed")]


def test_the_list_filters_and_issues_a_constant_number_of_queries(
    cast: Cast, contract: Contract
) -> None:
    late = add(contract, title="Certificate", kind="insurance", due_on=dt.date(2020, 1, 1))
    mine = add(
        contract, title="Audit", kind="audit", owed_by="us", owner=cast.member, due_on=FUTURE
    )
    api = api_client(cast.member)
    assert set(result_ids(api.get(OBLIGATIONS))) == {late.pk, mine.pk}
    assert result_ids(api.get(OBLIGATIONS, {"mine": "true"})) == [mine.pk]
    assert result_ids(api.get(OBLIGATIONS, {"overdue": "true"})) == [late.pk]
    assert result_ids(api.get(OBLIGATIONS, {"status": "overdue"})) == [late.pk]
    assert result_ids(api.get(OBLIGATIONS, {"kind": "audit"})) == [mine.pk]
    assert result_ids(api.get(OBLIGATIONS, {"owed_by": "us"})) == [mine.pk]
    assert result_ids(api.get(OBLIGATIONS, {"contract": contract.pk, "side": "sell"})) == []
    assert api.get(OBLIGATIONS, {"due_within": "-1"}).status_code == 400

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(OBLIGATIONS).status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        add(contract, title=f"Report {n}", owner=cast.member if n % 2 else cast.owner)
    assert count() == few


def test_permissions_outsider_404_reader_403(cast: Cast, contract: Contract) -> None:
    obligation = add(contract)
    outsider = api_client(cast.outsider)
    assert result_ids(outsider.get(OBLIGATIONS)) == []
    assert outsider.get(f"{OBLIGATIONS}{obligation.pk}/").status_code == 404
    assert outsider.post(f"{OBLIGATIONS}{obligation.pk}/complete/", {}).status_code == 404
    created = outsider.post(
        OBLIGATIONS,
        {
            "contract": contract.pk,
            "title": "x",
            "kind": "report",
            "owed_by": "us",
            "due_on": "2026-03-01",
        },
        format="json",
    )
    assert api_errors(created) == [("contract", "does_not_exist")]
    reader = api_client(cast.reviewer)
    assert result_ids(reader.get(OBLIGATIONS)) == [obligation.pk]
    assert reader.post(f"{OBLIGATIONS}{obligation.pk}/complete/", {}).status_code == 403
    assert reader.post(f"{OBLIGATIONS}{obligation.pk}/waive/", {"reason": "x"}).status_code == 403
    assert (
        reader.patch(f"{OBLIGATIONS}{obligation.pk}/", {"title": "x", "version": 1}).status_code
        == 403
    )
    assert reader.delete(f"{OBLIGATIONS}{obligation.pk}/").status_code == 403
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version) == (ObligationStatus.OPEN, 1)


# --- evidence ------------------------------------------------------------------------------------


def test_evidence_is_uploaded_listed_and_downloaded(cast: Cast, contract: Contract) -> None:
    obligation = add(contract, kind="insurance")
    api = api_client(cast.member)
    uploaded = api.post(
        EVIDENCE,
        {"obligation": obligation.pk, "file": SimpleUploadedFile("cert.pdf", PDF)},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert body["original_name"] == "cert.pdf"
    assert body["content_type"] == "application/pdf"
    assert result_ids(api.get(EVIDENCE, {"obligation": obligation.pk})) == [body["id"]]
    download = api.get(f"{EVIDENCE}{body['id']}/download/")
    assert download.status_code == 200
    assert 'filename="cert.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    # no update
    assert api.patch(f"{EVIDENCE}{body['id']}/", {"title": "x"}).status_code == 405


def test_a_disguised_file_is_refused_with_its_code(cast: Cast, contract: Contract) -> None:
    obligation = add(contract)
    api = api_client(cast.owner)
    refused = api.post(
        EVIDENCE,
        {"obligation": obligation.pk, "file": SimpleUploadedFile("cert.pdf", b"plain text")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("file", "file_content")]
    wrong_type = api.post(
        EVIDENCE,
        {"obligation": obligation.pk, "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
        format="multipart",
    )
    assert api_errors(wrong_type) == [("file", "file_type")]
    assert not ObligationEvidence.objects.exists()


def test_outsiders_cannot_download_and_readers_cannot_upload(
    cast: Cast, contract: Contract
) -> None:
    obligation = add(contract)
    evidence = services.evidence_upload(
        actor=cast.owner, obligation=obligation, upload=SimpleUploadedFile("cert.pdf", PDF)
    )
    outsider = api_client(cast.outsider)
    assert outsider.get(f"{EVIDENCE}{evidence.pk}/download/").status_code == 404
    assert result_ids(outsider.get(EVIDENCE)) == []
    reader = api_client(cast.reviewer)
    assert reader.get(f"{EVIDENCE}{evidence.pk}/download/").status_code == 200
    refused = reader.post(
        EVIDENCE,
        {"obligation": obligation.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
        format="multipart",
    )
    assert refused.status_code == 403
    assert ObligationEvidence.objects.count() == 1


# --- stakeholders --------------------------------------------------------------------------------


def test_stakeholders_are_added_listed_and_removed(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.owner)
    added = api.post(
        STAKEHOLDERS,
        {"contract": contract.pk, "user": cast.outsider.pk, "role": "finance"},
        format="json",
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["role"], body["access"]) == ("finance", "review")
    assert result_ids(api.get(STAKEHOLDERS, {"contract": contract.pk})) == [body["id"]]
    # they now read the contract's obligations too
    add(contract)
    assert len(result_ids(api_client(cast.outsider).get(OBLIGATIONS))) == 1
    # a second part for the same person is refused on the user
    twice = api.post(
        STAKEHOLDERS,
        {"contract": contract.pk, "user": cast.outsider.pk, "role": "legal"},
        format="json",
    )
    assert api_errors(twice) == [("user", "invalid")]
    # a portal user is not offered at all
    portal = api.post(
        STAKEHOLDERS,
        {"contract": contract.pk, "user": cast.portal_a.pk, "role": "legal"},
        format="json",
    )
    assert api_errors(portal) == [("user", "does_not_exist")]
    # removing archives the row and ends the access
    assert api.delete(f"{STAKEHOLDERS}{body['id']}/").status_code == 204
    assert ContractStakeholder.objects.get().is_archived
    assert result_ids(api.get(STAKEHOLDERS, {"contract": contract.pk})) == []
    assert result_ids(api_client(cast.outsider).get(OBLIGATIONS)) == []


def test_readers_cannot_change_stakeholders_and_outsiders_see_none(
    cast: Cast, contract: Contract
) -> None:
    row = services.stakeholder_add(
        actor=cast.owner, contract=contract, user=cast.manager, role="finance"
    )
    reader = api_client(cast.reviewer)
    assert result_ids(reader.get(STAKEHOLDERS)) == [row.pk]
    assert reader.delete(f"{STAKEHOLDERS}{row.pk}/").status_code == 403
    refused = reader.post(
        STAKEHOLDERS,
        {"contract": contract.pk, "user": cast.director.pk, "role": "legal"},
        format="json",
    )
    assert refused.status_code == 403
    outsider = api_client(cast.outsider)
    assert result_ids(outsider.get(STAKEHOLDERS)) == []
    assert outsider.delete(f"{STAKEHOLDERS}{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert not row.is_archived
    assert ContractStakeholder.objects.count() == 1
