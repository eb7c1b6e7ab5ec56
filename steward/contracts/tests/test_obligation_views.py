"""The obligations and stakeholders tabs of the contract page, an obligation's own page, and
the obligations of every contract on one list, through Django's test client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.contracts import services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, ContractStakeholder, Obligation
from steward.contracts.models.obligations import ObligationEvidence, ObligationStatus
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def in_force(cast: Cast, relationship: Any = None, **fields: Any) -> Contract:
    relationship = relationship or cast.rel_a
    values: dict[str, Any] = {"start_date": TODAY - dt.timedelta(days=60), "term_months": 24}
    values.update(fields)
    values.setdefault("title", "Castings supply")
    contract = services.contract_create(
        actor=relationship.owner, relationship=relationship, kind=ContractKind.MASTER, **values
    )
    for status in (ContractStatus.PENDING_APPROVAL, ContractStatus.ACTIVE):
        services.contract_transition(actor=relationship.owner, contract=contract, to_status=status)
    return contract


def add(contract: Contract, **fields: Any) -> Obligation:
    values: dict[str, Any] = {
        "title": "Monthly service report",
        "kind": "report",
        "owed_by": "them",
        "due_on": TODAY + dt.timedelta(days=10),
    }
    values.update(fields)
    return services.obligation_add(actor=contract.owner, contract=contract, **values)


def tab(client: Client, contract: Contract, name: str, **params: Any) -> str:
    response = client.get(contract.get_absolute_url(), {"tab": name, **params})
    assert response.status_code == 200
    return response.content.decode()


# --- the obligations tab -------------------------------------------------------------------------


def test_the_tab_lists_obligations_with_overdue_highlighted_and_filters_by_status(
    cast: Cast,
) -> None:
    # given an overdue one, an upcoming one and a waived one
    contract = in_force(cast)
    add(contract, title="Liability cover proof", kind="insurance", due_on=TODAY - dt.timedelta(5))
    add(contract, title="Site audit", kind="audit", owed_by="us", recurrence="quarterly")
    waived = add(contract, title="Rate check")
    services.obligation_waive(actor=cast.owner, obligation=waived, reason="Frozen prices")
    client = web_client(cast.owner)

    def table(**params: Any) -> str:
        html = tab(client, contract, "obligations", **params)
        return html.split('id="obligations"')[1].split("</table>")[0] if "</table>" in html else ""

    # when the owner opens the tab
    html = tab(client, contract, "obligations")
    rows = table()
    # then all show, the late one highlighted, with who owes it and the recurrence
    assert "Liability cover proof" in rows
    assert "Site audit" in rows
    assert "Rate check" in rows
    assert "due-overdue" in rows
    assert "We owe it" in rows
    assert "Quarterly" in rows
    assert 'id="obligation-add"' in html
    # and each status filter narrows the table
    assert "Rate check" not in table(status="open")
    overdue = table(status="overdue")
    assert "Liability cover proof" in overdue
    assert "Site audit" not in overdue
    assert "Rate check" in table(status="waived")
    assert "Liability cover proof" not in table(status="waived")
    assert "No obligations with that status." in tab(client, contract, "obligations", status="done")


def test_an_obligation_is_added_from_the_tab(cast: Cast) -> None:
    contract = in_force(cast)
    # when a team member adds one without naming who is responsible
    response = web_client(cast.member).post(
        f"/contracts/{contract.pk}/obligations/new/",
        {
            "title": "Insurance certificate",
            "kind": "insurance",
            "owed_by": "them",
            "due_on": "2026-06-30",
            "recurrence": "yearly",
        },
    )
    # then it is recorded, owned by the contract's owner, and the tab shows it
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=obligations")
    obligation = Obligation.objects.get()
    assert obligation.owner == cast.owner
    assert obligation.anchor_on == dt.date(2026, 6, 30)
    assert "Insurance certificate" in tab(web_client(cast.member), contract, "obligations")


def test_a_refused_addition_names_the_field_and_writes_nothing(cast: Cast) -> None:
    contract = in_force(cast)
    client = web_client(cast.owner)
    url = f"/contracts/{contract.pk}/obligations/new/"
    good = {"title": "Report", "kind": "report", "owed_by": "them", "due_on": "2026-06-30"}
    # a missing due date is refused by the form, on its field
    response = client.post(url, {**good, "due_on": ""})
    assert response.status_code == 200
    assert 'id="id_due_on_error"' in response.content.decode()
    # so is a responsible person from outside the company
    response = client.post(url, {**good, "owner": cast.portal_a.pk})
    assert response.status_code == 200
    assert 'id="id_owner_error"' in response.content.decode()
    # a contract that has ended is refused by the service, its message on the title
    ended = in_force(cast, title="Ended one")
    services.contract_transition(
        actor=cast.owner, contract=ended, to_status="terminated", reason="Exit"
    )
    response = client.post(f"/contracts/{ended.pk}/obligations/new/", good)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert "nothing more is owed under it" in html
    assert not Obligation.objects.exists()


def test_readers_see_the_tab_without_forms_and_outsiders_get_404(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract)
    html = tab(web_client(cast.reviewer), contract, "obligations")
    assert "Monthly service report" in html
    assert 'id="obligation-add"' not in html
    reader = web_client(cast.reviewer)
    post = {"title": "x", "kind": "report", "owed_by": "us", "due_on": "2026-06-30"}
    assert reader.post(f"/contracts/{contract.pk}/obligations/new/", post).status_code == 403
    assert reader.post(f"/obligations/{obligation.pk}/complete/").status_code == 403
    assert reader.post(f"/obligations/{obligation.pk}/waive/", {"reason": "x"}).status_code == 403
    outsider = web_client(cast.outsider)
    assert outsider.get(f"/obligations/{obligation.pk}/").status_code == 404
    assert outsider.post(f"/contracts/{contract.pk}/obligations/new/", post).status_code == 404
    assert outsider.post(f"/obligations/{obligation.pk}/complete/").status_code == 404
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN
    assert obligation.version == 1


# --- an obligation's page ------------------------------------------------------------------------


def test_completing_a_recurring_obligation_with_evidence_shows_the_next_occurrence(
    cast: Cast,
) -> None:
    contract = in_force(cast)
    obligation = add(contract, due_on=dt.date(2026, 1, 31), recurrence="monthly")
    client = web_client(cast.owner)
    # when the owner marks it done with a note and the report attached
    response = client.post(
        f"/obligations/{obligation.pk}/complete/",
        {
            "done_on": "2026-02-02",
            "note": "Received by mail",
            "evidence": SimpleUploadedFile("report.pdf", PDF),
        },
    )
    # then it is done, the evidence is kept, and its page shows the next occurrence
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.DONE
    assert obligation.done_on == dt.date(2026, 2, 2)
    assert "Received by mail" in obligation.notes
    following = Obligation.objects.get(follows=obligation)
    assert following.due_on == dt.date(2026, 2, 28)
    html = client.get(response["Location"]).content.decode()
    assert 'id="next-occurrence"' in html
    assert f"/obligations/{following.pk}/" in html
    assert "report.pdf" in html
    # and the evidence downloads under its original name
    evidence = ObligationEvidence.objects.get()
    download = client.get(f"/obligation-evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert 'filename="report.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_evidence_file_leaves_the_obligation_open(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract, recurrence="monthly")
    # when the file is not what its name says
    response = web_client(cast.owner).post(
        f"/obligations/{obligation.pk}/complete/",
        {"evidence": SimpleUploadedFile("report.pdf", b"not a pdf at all")},
    )
    # then the page names the field, and nothing is written: still open, no successor, no file
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_evidence_error"' in html
    assert "does not contain what its .pdf name says" in html
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN
    assert Obligation.objects.count() == 1
    assert not ObligationEvidence.objects.exists()


def test_evidence_upload_checks_the_type(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract)
    client = web_client(cast.member)
    url = f"/obligations/{obligation.pk}/evidence/"
    # an executable is refused on the file field
    response = client.post(url, {"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")})
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()
    assert not ObligationEvidence.objects.exists()
    # a PDF is kept with its title
    response = client.post(
        url, {"file": SimpleUploadedFile("cert.pdf", PDF), "evidence_title": "Certificate 2026"}
    )
    assert response.status_code == 302
    evidence = ObligationEvidence.objects.get()
    assert evidence.title == "Certificate 2026"
    assert evidence.original_name == "cert.pdf"


def test_outsiders_cannot_download_evidence(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract)
    evidence = services.evidence_upload(
        actor=cast.owner, obligation=obligation, upload=SimpleUploadedFile("cert.pdf", PDF)
    )
    url = f"/obligation-evidence/{evidence.pk}/download/"
    assert web_client(cast.outsider).get(url).status_code == 404
    assert web_client(cast.portal_a).get(url).status_code == 404
    assert web_client(cast.reviewer).get(url).status_code == 200


def test_waiving_needs_a_reason_on_the_field(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract)
    client = web_client(cast.owner)
    response = client.post(f"/obligations/{obligation.pk}/waive/", {"reason": "  "})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN
    response = client.post(f"/obligations/{obligation.pk}/waive/", {"reason": "Excused"})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.WAIVED
    assert "Excused" in obligation.notes


def test_editing_an_obligation_is_version_checked(cast: Cast) -> None:
    contract = in_force(cast)
    obligation = add(contract)
    client = web_client(cast.owner)
    data = {
        "title": "Monthly KPI report",
        "kind": "report",
        "owed_by": "them",
        "owner": cast.member.pk,
        "due_on": "2026-07-31",
        "recurrence": "monthly",
        "version": obligation.version,
    }
    assert client.post(f"/obligations/{obligation.pk}/edit/", data).status_code == 302
    obligation.refresh_from_db()
    assert (obligation.title, obligation.owner, obligation.anchor_on) == (
        "Monthly KPI report",
        cast.member,
        dt.date(2026, 7, 31),
    )
    # the same form sent again, with the version it read, is stale
    stale = client.post(f"/obligations/{obligation.pk}/edit/", {**data, "title": "Other"})
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    obligation.refresh_from_db()
    assert obligation.title == "Monthly KPI report"


def test_the_responsible_person_reaches_the_obligation_page_without_the_contract(
    cast: Cast,
) -> None:
    contract = in_force(cast)
    obligation = add(contract, owner=cast.outsider)
    client = web_client(cast.outsider)
    html = client.get(f"/obligations/{obligation.pk}/").content.decode()
    assert "Monthly service report" in html
    assert contract.get_absolute_url() not in html
    assert client.post(f"/obligations/{obligation.pk}/complete/").status_code == 302


# --- the obligations of every contract -----------------------------------------------------------


def test_the_list_filters_by_status_owner_due_window_kind_and_side(cast: Cast) -> None:
    contract = in_force(cast)
    add(contract, title="Late certificate", kind="insurance", due_on=TODAY - dt.timedelta(3))
    add(contract, title="Soon report", due_on=TODAY + dt.timedelta(5), owner=cast.member)
    add(contract, title="Far audit", kind="audit", owed_by="us", due_on=TODAY + dt.timedelta(80))
    done = add(contract, title="Done review", kind="price_review")
    services.obligation_complete(actor=cast.owner, obligation=done)
    add(in_force(cast, cast.rel_b, title="Borealis"), title="Borealis report")
    client = web_client(cast.owner)
    names = ("Late certificate", "Soon report", "Far audit", "Done review", "Borealis report")

    def titles(**params: Any) -> set[str]:
        response = client.get("/obligations/", params)
        assert response.status_code == 200
        html = response.content.decode()
        return {name for name in names if name in html}

    assert titles() == {"Late certificate", "Soon report", "Far audit", "Done review"}
    assert titles(status="overdue") == {"Late certificate"}
    assert titles(overdue="true") == {"Late certificate"}
    assert titles(status="done") == {"Done review"}
    assert titles(due_within="30") == {"Soon report"}
    assert titles(mine="true") == {"Late certificate", "Far audit", "Done review"}
    assert titles(owner=cast.member.pk) == {"Soon report"}
    assert titles(kind="audit") == {"Far audit"}
    assert titles(owed_by="us") == {"Far audit"}
    assert titles(side="sell") == set()
    assert titles(q="certificate") == {"Late certificate"}
    # the member sees the contract's obligations too; the outsider only Borealis's
    assert web_client(cast.outsider).get("/obligations/").content.decode().count("Borealis") > 0
    assert "Soon report" not in web_client(cast.outsider).get("/obligations/").content.decode()


def test_the_list_exports_what_the_filters_keep(cast: Cast) -> None:
    contract = in_force(cast)
    add(contract, title="=cmd|calc")
    add(contract, title="Audit rights", kind="audit")
    add(in_force(cast, cast.rel_b, title="Borealis"), title="Borealis report")
    client = web_client(cast.owner)
    csv = b"".join(client.get("/obligations/", {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0].startswith("Id,Contract,Counterparty,Side,Obligation,Kind")
    assert "'=cmd|calc" in csv
    assert "Borealis report" not in csv
    only_audits = b"".join(
        client.get("/obligations/", {"export": "csv", "kind": "audit"}).streaming_content
    ).decode("utf-8-sig")
    assert "Audit rights" in only_audits
    assert "calc" not in only_audits
    xlsx = client.get("/obligations/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_issues_a_constant_number_of_queries(cast: Cast) -> None:
    contract = in_force(cast)
    for n in range(2):
        add(contract, title=f"Obligation {n}")
    client = web_client(cast.owner)
    client.get("/obligations/")  # warm up: session and principal

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/obligations/").status_code == 200
        return len(queries)

    few = count()
    other = in_force(cast, title="Second contract")
    for n in range(2, 9):
        add(other if n % 2 else contract, title=f"Obligation {n}", owner=cast.member)
    assert count() == few


def test_the_contract_list_links_to_the_obligations_page(cast: Cast) -> None:
    assert 'href="/obligations/"' in web_client(cast.owner).get("/contracts/").content.decode()


# --- the stakeholders tab ------------------------------------------------------------------------


def listed(client: Client, contract: Contract) -> str:
    """The stakeholders table of the tab (the add form lists every role too)."""
    return tab(client, contract, "stakeholders").split('id="stakeholders"')[1].split("</table>")[0]


def test_stakeholders_are_added_and_removed_from_the_tab(cast: Cast) -> None:
    contract = in_force(cast)
    client = web_client(cast.owner)
    html = tab(client, contract, "stakeholders")
    assert "Owner" in html
    assert 'id="stakeholder-add"' in html
    # when the owner adds the outsider from finance as a reviewer
    response = client.post(
        f"/contracts/{contract.pk}/stakeholders/new/",
        {"user": cast.outsider.pk, "role": "finance", "access": "review"},
    )
    assert response.status_code == 302
    row = ContractStakeholder.objects.get()
    # then they see the contract, listed with their role
    assert "Finance" in listed(client, contract)
    assert web_client(cast.outsider).get(contract.get_absolute_url()).status_code == 200
    # adding them twice is refused on the person field
    again = client.post(
        f"/contracts/{contract.pk}/stakeholders/new/",
        {"user": cast.outsider.pk, "role": "legal", "access": "review"},
    )
    assert again.status_code == 200
    assert 'id="id_user_error"' in again.content.decode()
    assert ContractStakeholder.objects.count() == 1
    # when the owner removes them, the row is archived with its history and access ends
    assert client.post(f"/contract-stakeholders/{row.pk}/remove/").status_code == 302
    row.refresh_from_db()
    assert row.is_archived
    assert row.history.first().history_change_reason == "Removed from the contract"
    assert web_client(cast.outsider).get(contract.get_absolute_url()).status_code == 404
    assert "Finance" not in listed(client, contract)


def test_only_internal_people_can_be_added_and_readers_cannot_manage(cast: Cast) -> None:
    contract = in_force(cast)
    client = web_client(cast.owner)
    response = client.post(
        f"/contracts/{contract.pk}/stakeholders/new/",
        {"user": cast.portal_a.pk, "role": "finance", "access": "review"},
    )
    assert response.status_code == 200
    assert 'id="id_user_error"' in response.content.decode()
    assert not ContractStakeholder.objects.exists()
    row = services.stakeholder_add(
        actor=cast.owner, contract=contract, user=cast.manager, role="finance"
    )
    reader = web_client(cast.reviewer)
    assert 'id="stakeholder-add"' not in tab(reader, contract, "stakeholders")
    assert reader.post(f"/contract-stakeholders/{row.pk}/remove/").status_code == 403
    assert (
        web_client(cast.outsider).post(f"/contract-stakeholders/{row.pk}/remove/").status_code
        == 404
    )
    row.refresh_from_db()
    assert not row.is_archived
