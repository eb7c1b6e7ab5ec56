"""Obligations: recurrence at month ends, completing once, evidence, due items, overdue alerts,
and who may read and change them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.contracts import plugins, services, tasks
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, Obligation, ObligationAlert, ObligationEvidence
from steward.contracts.models.obligations import ObligationStatus
from steward.contracts.services.obligations import OVERDUE_ALERT, occurrence_due
from steward.core.errors import DomainError
from steward.core.models import Notification
from steward.core.registry import due_items
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def contract_in_force(cast: Cast, **fields: Any) -> Contract:
    values: dict[str, Any] = {"start_date": dt.date(2026, 1, 1), "term_months": 12}
    values.update(fields)
    contract = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=ContractKind.MASTER,
        **values,
    )
    for status in (ContractStatus.PENDING_APPROVAL, ContractStatus.ACTIVE):
        services.contract_transition(actor=cast.owner, contract=contract, to_status=status)
    return contract


def add(cast: Cast, contract: Contract, **fields: Any) -> Obligation:
    values: dict[str, Any] = {
        "title": "Monthly service report",
        "kind": "report",
        "owed_by": "them",
        "due_on": dt.date(2026, 1, 31),
    }
    values.update(fields)
    return services.obligation_add(actor=cast.owner, contract=contract, **values)


@pytest.mark.parametrize(
    ("anchor", "recurrence", "occurrence", "expected"),
    [
        # a month-end series keeps its day after a short month instead of drifting
        (dt.date(2026, 1, 31), "monthly", 2, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 31), "monthly", 3, dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 31), "monthly", 4, dt.date(2026, 4, 30)),
        (dt.date(2024, 1, 31), "monthly", 2, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 11, 30), "quarterly", 2, dt.date(2026, 2, 28)),
        (dt.date(2025, 11, 30), "quarterly", 3, dt.date(2026, 5, 30)),
        (dt.date(2024, 2, 29), "yearly", 2, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), "yearly", 5, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 15), "monthly", 1, dt.date(2026, 3, 15)),
    ],
)
def test_occurrences_are_counted_from_the_anchor(
    anchor: dt.date, recurrence: str, occurrence: int, expected: dt.date
) -> None:
    assert occurrence_due(anchor, recurrence, occurrence) == expected


def test_a_one_off_does_not_recur() -> None:
    with pytest.raises(ValueError, match="does not recur"):
        occurrence_due(dt.date(2026, 1, 31), "none", 2)


def test_completing_a_recurring_obligation_creates_the_next_occurrence_once(cast: Cast) -> None:
    # given a monthly report due on 31 January
    contract = contract_in_force(cast)
    first = add(cast, contract, recurrence="monthly")
    assert first.owner == contract.owner
    # when it is completed, twice (a double click)
    done = services.obligation_complete(
        actor=cast.member, obligation=first, done_on=dt.date(2026, 2, 2)
    )
    again = services.obligation_complete(actor=cast.member, obligation=first)
    # then one next occurrence exists, due at the end of February
    assert done.status == ObligationStatus.DONE
    assert done.done_on == dt.date(2026, 2, 2)
    assert again.done_on == dt.date(2026, 2, 2)
    second = Obligation.objects.get(follows=first)
    assert Obligation.objects.filter(contract=contract).count() == 2
    assert second.due_on == dt.date(2026, 2, 28)
    assert (second.status, second.occurrence, second.recurrence) == ("open", 2, "monthly")
    # and March's is back on the 31st
    services.obligation_complete(actor=cast.owner, obligation=second)
    assert Obligation.objects.get(follows=second).due_on == dt.date(2026, 3, 31)


def test_a_one_off_obligation_completes_without_a_successor(cast: Cast) -> None:
    obligation = add(cast, contract_in_force(cast), kind="audit", owed_by="us")
    services.obligation_complete(actor=cast.owner, obligation=obligation)
    assert not Obligation.objects.filter(follows=obligation).exists()


def test_waiving_needs_a_reason_and_keeps_the_series_going(cast: Cast) -> None:
    obligation = add(cast, contract_in_force(cast), recurrence="quarterly")
    with pytest.raises(DomainError) as refused:
        services.obligation_waive(actor=cast.owner, obligation=obligation, reason=" ")
    assert refused.value.field == "reason"
    waived = services.obligation_waive(
        actor=cast.owner, obligation=obligation, reason="Plant shut for refit"
    )
    assert waived.status == ObligationStatus.WAIVED
    assert "refit" in waived.notes
    assert Obligation.objects.get(follows=obligation).due_on == dt.date(2026, 4, 30)
    # a waived occurrence cannot then be completed
    with pytest.raises(DomainError) as closed:
        services.obligation_complete(actor=cast.owner, obligation=waived)
    assert closed.value.code == "closed"


def test_editing_the_due_date_restarts_the_series_there(cast: Cast) -> None:
    obligation = add(cast, contract_in_force(cast), recurrence="monthly")
    edited = services.obligation_update(
        actor=cast.owner,
        obligation=obligation,
        expected_version=obligation.version,
        due_on=dt.date(2026, 2, 15),
    )
    assert (edited.anchor_on, edited.version) == (dt.date(2026, 2, 15), 2)
    services.obligation_complete(actor=cast.owner, obligation=edited)
    assert Obligation.objects.get(follows=edited).due_on == dt.date(2026, 3, 15)


def test_the_owner_must_be_an_internal_user(cast: Cast) -> None:
    with pytest.raises(DomainError) as refused:
        add(cast, contract_in_force(cast), owner=cast.portal_a)
    assert refused.value.field == "owner"


def test_evidence_is_checked_and_stored_under_a_generated_name(
    cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    obligation = add(cast, contract_in_force(cast), kind="insurance")
    # a real PDF is kept, twice without overwriting
    first = services.evidence_upload(
        actor=cast.member, obligation=obligation, upload=SimpleUploadedFile("cert.pdf", PDF)
    )
    second = services.evidence_upload(
        actor=cast.member, obligation=obligation, upload=SimpleUploadedFile("cert.pdf", PDF)
    )
    assert first.file.name != second.file.name
    assert first.original_name == "cert.pdf"
    assert first.content_type == "application/pdf"
    assert len(first.sha256) == 64
    # a disguised file is refused with the shared upload checks
    with pytest.raises(DomainError) as refused:
        services.evidence_upload(
            actor=cast.member,
            obligation=obligation,
            upload=SimpleUploadedFile("cert.pdf", b"not a pdf at all"),
        )
    assert refused.value.code == "file_content"
    # a reviewer reads the evidence but may not add any
    assert ObligationEvidence.objects.restrict(cast.reviewer).count() == 2
    with pytest.raises(PermissionDenied):
        services.evidence_upload(
            actor=cast.reviewer, obligation=obligation, upload=SimpleUploadedFile("x.pdf", PDF)
        )


def test_open_obligations_are_due_items_for_their_owner(cast: Cast) -> None:
    # given one overdue obligation of the owner's and one of the member's
    contract = contract_in_force(cast)
    late = add(cast, contract, due_on=dt.date(2026, 3, 1))
    add(cast, contract, title="Price review", kind="price_review", owner=cast.member)
    today = dt.date(2026, 3, 10)
    # then the owner's list holds theirs, marked overdue, and the registry serves it
    (item,) = plugins.obligations_due(cast.owner, today, today + dt.timedelta(days=7))
    assert item.due_on == late.due_on
    assert item.detail == "overdue"
    assert item.kind == "obligation"
    everything = due_items(cast.owner, today=today, until=today + dt.timedelta(days=7))
    assert any(i.kind == "obligation" for i in everything)
    # a done obligation is no longer due
    services.obligation_complete(actor=cast.owner, obligation=late)
    assert plugins.obligations_due(cast.owner, today, today) == []
    # the outsider has none
    assert plugins.obligations_due(cast.outsider, today, today + dt.timedelta(days=7)) == []


def test_overdue_alerts_go_once_per_obligation_and_day(cast: Cast) -> None:
    contract = contract_in_force(cast)
    late = add(cast, contract, due_on=dt.date(2026, 3, 1), owner=cast.member)
    add(cast, contract, title="Not yet due", due_on=dt.date(2026, 4, 1))

    def alerts() -> int:
        return Notification.objects.filter(kind=OVERDUE_ALERT).count()

    # when the daily task runs twice on one day
    tasks.obligation_alerts_send.enqueue(slot="2026-03-10")
    tasks.obligation_alerts_send.enqueue(slot="2026-03-10")
    # then the member got one alert
    assert alerts() == 1
    notice = Notification.objects.get(kind=OVERDUE_ALERT)
    assert notice.recipient == cast.member
    assert "9 days ago" in notice.body
    # the next day brings another; once done, none
    assert services.obligation_alerts_deliver(day=dt.date(2026, 3, 11)) == 1
    services.obligation_complete(actor=cast.member, obligation=late)
    assert services.obligation_alerts_deliver(day=dt.date(2026, 3, 12)) == 0
    assert ObligationAlert.objects.filter(obligation=late).count() == 2


def test_reviewers_read_obligations_outsiders_see_nothing(cast: Cast) -> None:
    contract = contract_in_force(cast)
    obligation = add(cast, contract)
    assert list(Obligation.objects.restrict(cast.reviewer)) == [obligation]
    assert not Obligation.objects.restrict(cast.reviewer, "change").exists()
    assert not Obligation.objects.restrict(cast.outsider).exists()
    assert not Obligation.objects.restrict(cast.portal_a).exists()
    assert Obligation.objects.restrict(cast.manager).exists()  # their report owns it
    for actor in (cast.reviewer, cast.outsider, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.obligation_complete(actor=actor, obligation=obligation)
        with pytest.raises(PermissionDenied):
            services.obligation_add(
                actor=actor,
                contract=contract,
                title="x",
                kind="report",
                owed_by="us",
                due_on=dt.date(2026, 5, 1),
            )


def test_an_obligation_owner_reaches_it_without_the_contract(cast: Cast) -> None:
    # given the outsider made responsible for one obligation on A's contract
    contract = contract_in_force(cast)
    obligation = add(cast, contract, owner=cast.outsider)
    # then they see and complete that obligation, but not the contract
    assert list(Obligation.objects.restrict(cast.outsider)) == [obligation]
    assert not Contract.objects.restrict(cast.outsider).exists()
    services.obligation_complete(actor=cast.outsider, obligation=obligation)


def test_nothing_is_added_to_an_ended_contract(cast: Cast) -> None:
    contract = contract_in_force(cast)
    services.contract_transition(
        actor=cast.owner, contract=contract, to_status="terminated", reason="Exit"
    )
    contract.refresh_from_db()
    with pytest.raises(DomainError):
        add(cast, contract)
