"""The contract workflow: the table, approvals by rule, decisions, terms that freeze."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.contracts import lifecycle, services, terms
from steward.contracts.choices import ContractKind, ContractStatus, Decision
from steward.contracts.models import ApprovalRule, Contract, ContractTransition
from steward.core.errors import DomainError, TransitionError
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)


def draft(cast: Cast, **fields: Any) -> Contract:
    values: dict[str, Any] = {
        "start_date": START,
        "term_months": 12,
        "annual_value": Decimal(50_000),
        "notice_count": 3,
        "notice_unit": "months",
    }
    values.update(fields)
    return services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=ContractKind.MASTER,
        **values,
    )


@pytest.fixture
def rules(cast: Cast) -> tuple[ApprovalRule, ApprovalRule]:
    legal = ApprovalRule.objects.create(name="Legal always", function="legal", approver=cast.member)
    finance = ApprovalRule.objects.create(
        name="Finance from 100k",
        function="finance",
        approver=cast.manager,
        min_annual_value=Decimal(100_000),
    )
    return legal, finance


def move(cast: Cast, contract: Contract, to: str, reason: str = "ok") -> Contract:
    return services.contract_transition(
        actor=cast.owner, contract=contract, to_status=to, reason=reason
    )


def test_a_draft_derives_its_end_and_notice_deadline(cast: Cast) -> None:
    contract = draft(cast)
    # 12 months from 1 Jan 2026 end on 31 Dec 2026; three months' notice by 30 Sep
    assert contract.end_date == dt.date(2026, 12, 31)
    assert contract.notice_deadline == dt.date(2026, 9, 30)
    assert contract.side == "buy"


def test_an_auto_renewing_contract_keeps_its_term_in_whole_months(cast: Cast) -> None:
    # given an auto-renewing contract typed with dates only: 1 Feb 2025 to 31 Jan 2026
    contract = draft(
        cast,
        start_date=dt.date(2025, 2, 1),
        term_months=None,
        end_date=dt.date(2026, 1, 31),
        auto_renews=True,
        notice_count=30,
        notice_unit="days",
    )
    # then the term is read from the dates exactly, and renewals repeat it
    assert contract.term_months == 12
    term = terms.current_term(
        dt.date(2025, 2, 1), 12, renewal_months=None, auto_renews=True, on=timezone.localdate()
    )
    assert contract.end_date == term.end
    # when the dates close no whole number of months / then the end date is refused
    with pytest.raises(DomainError) as refused:
        draft(
            cast,
            start_date=dt.date(2025, 2, 1),
            term_months=None,
            end_date=dt.date(2026, 2, 10),
            auto_renews=True,
        )
    assert refused.value.field == "end_date"


@pytest.mark.parametrize("from_status", ContractStatus.values)
@pytest.mark.parametrize("to_status", ContractStatus.values)
def test_every_pair_of_states_follows_the_table(
    cast: Cast, from_status: str, to_status: str
) -> None:
    # given a contract put straight into a state (no rules, so no approvals are needed)
    contract = draft(cast)
    Contract.objects.filter(pk=contract.pk).update(status=from_status)
    contract.refresh_from_db()
    allowed = to_status in lifecycle.TRANSITIONS[from_status]
    # when it is moved
    if allowed:
        move(cast, contract, to_status)
        contract.refresh_from_db()
        assert contract.status == to_status
        assert ContractTransition.objects.filter(contract=contract, to_status=to_status).exists()
    else:
        with pytest.raises(TransitionError) as refused:
            move(cast, contract, to_status)
        assert "cannot move" in refused.value.message
        contract.refresh_from_db()
        assert contract.status == from_status


@pytest.mark.usefixtures("rules")
def test_approvals_follow_the_rules_and_gate_activation(cast: Cast) -> None:
    # given a contract worth 150k a year: legal always, finance above 100k
    contract = draft(cast, annual_value=Decimal(150_000))
    move(cast, contract, ContractStatus.PENDING_APPROVAL)
    approvals = {a.function: a for a in contract.approvals.all()}
    assert set(approvals) == {"legal", "finance"}
    # the approvers may now read the contract
    assert Contract.objects.restrict(cast.member).filter(pk=contract.pk).exists()
    # then it cannot go active while approvals are missing
    with pytest.raises(TransitionError) as refused:
        move(cast, contract, ContractStatus.ACTIVE)
    assert refused.value.code == "approvals_missing"
    assert "legal" in refused.value.message
    assert "finance" in refused.value.message
    # only the named approver decides
    with pytest.raises(DomainError) as wrong:
        services.approval_decide(
            actor=cast.owner, approval=approvals["legal"], decision=Decision.APPROVED
        )
    assert wrong.value.code == "not_the_approver"
    services.approval_decide(
        actor=cast.member, approval=approvals["legal"], decision=Decision.APPROVED, comment="ok"
    )
    services.approval_decide(actor=cast.manager, approval=approvals["finance"], decision="approved")
    move(cast, contract, ContractStatus.ACTIVE)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


@pytest.mark.usefixtures("rules")
def test_a_small_contract_needs_legal_only_and_a_rejection_reopens_negotiation(cast: Cast) -> None:
    contract = draft(cast, annual_value=Decimal(20_000))
    move(cast, contract, ContractStatus.PENDING_APPROVAL)
    (approval,) = contract.approvals.all()
    assert approval.function == "legal"
    # a rejection needs a reason
    with pytest.raises(DomainError):
        services.approval_decide(actor=cast.member, approval=approval, decision="rejected")
    services.approval_decide(
        actor=cast.member, approval=approval, decision="rejected", comment="Liability uncapped"
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_NEGOTIATION
    # resubmitting opens a new round; the old decision does not count
    move(cast, contract, ContractStatus.PENDING_APPROVAL)
    assert contract.approvals.filter(round=2).count() == 1
    with pytest.raises(TransitionError):
        move(cast, contract, ContractStatus.ACTIVE)


def test_terms_freeze_once_approved_but_the_description_may_change(cast: Cast) -> None:
    contract = draft(cast)
    move(cast, contract, ContractStatus.PENDING_APPROVAL)
    move(cast, contract, ContractStatus.ACTIVE)  # no rules: nothing to approve
    contract.refresh_from_db()
    with pytest.raises(DomainError) as fixed:
        services.contract_update(
            actor=cast.owner,
            contract=contract,
            expected_version=contract.version,
            annual_value=Decimal(1),
        )
    assert fixed.value.code == "terms_fixed"
    assert fixed.value.field == "annual_value"
    services.contract_update(
        actor=cast.owner,
        contract=contract,
        expected_version=contract.version,
        description="Signed copy filed",
    )
    # and the currency in another case is the same currency, not a change of terms
    contract.refresh_from_db()
    services.contract_update(
        actor=cast.owner, contract=contract, expected_version=contract.version, currency=" eur"
    )
    contract.refresh_from_db()
    assert contract.currency == "EUR"


def test_bad_terms_are_refused_with_the_field_named(cast: Cast) -> None:
    cases = [
        ({"evergreen": True}, "evergreen"),  # an evergreen contract with a term
        ({"term_months": 12, "start_date": None}, "start_date"),
        ({"term_months": None, "end_date": dt.date(2025, 1, 1)}, "end_date"),
        (
            {"term_months": None, "end_date": None, "auto_renews": True},
            "auto_renews",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(DomainError) as refused:
            draft(cast, **fields)
        assert refused.value.field == field, fields
    assert not Contract.objects.exists()


def test_a_statement_of_work_falls_under_a_master_with_the_same_counterparty(cast: Cast) -> None:
    master = draft(cast)
    with pytest.raises(DomainError) as orphan:
        services.contract_create(
            actor=cast.owner,
            relationship=cast.rel_a,
            title="SOW 1",
            kind=ContractKind.STATEMENT_OF_WORK,
        )
    assert orphan.value.field == "parent"
    sow = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="SOW 1",
        kind=ContractKind.STATEMENT_OF_WORK,
        parent=master,
    )
    assert sow.parent == master


def test_an_auto_renewing_contract_rolls_forward(cast: Cast) -> None:
    contract = draft(cast, start_date=dt.date(2023, 1, 1), auto_renews=True)
    # created "today" (after 2023): the end is that of the term running now
    services.contract_roll_forward(contract=contract, today=dt.date(2027, 3, 15))
    contract.refresh_from_db()
    assert contract.end_date == dt.date(2027, 12, 31)
    assert contract.notice_deadline == dt.date(2027, 9, 30)
    # running it again changes nothing
    services.contract_roll_forward(contract=contract, today=dt.date(2027, 3, 15))
    contract.refresh_from_db()
    assert contract.end_date == dt.date(2027, 12, 31)


def test_people_outside_the_relationship_can_neither_create_nor_move(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.contract_create(
            actor=cast.outsider, relationship=cast.rel_a, title="x", kind=ContractKind.NDA
        )
    contract = draft(cast)
    with pytest.raises(PermissionDenied):
        services.contract_transition(
            actor=cast.reviewer, contract=contract, to_status=ContractStatus.IN_NEGOTIATION
        )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert not Contract.objects.restrict(cast.outsider).filter(pk=contract.pk).exists()


def test_termination_needs_a_reason(cast: Cast) -> None:
    contract = draft(cast)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
    contract.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        move(cast, contract, ContractStatus.TERMINATED, reason=" ")
    assert refused.value.field == "reason"


def test_who_sees_and_changes_a_contract_and_what_hangs_off_it(cast: Cast) -> None:
    # given a contract on relationship A with a negotiation entry
    contract = draft(cast)
    entry = services.negotiation_log(
        actor=cast.owner, contract=contract, term="price", our_position="-5 %"
    )
    see = {"admin", "auditor", "manager", "owner", "member", "reviewer"}
    change = {"admin", "owner", "member"}
    for role in ("admin", "auditor", "manager", "owner", "member", "reviewer", "outsider"):
        user = cast.user(role)
        for model, pk in ((Contract, contract.pk), (type(entry), entry.pk)):
            visible = model.objects.restrict(user, "view").filter(pk=pk).exists()
            changeable = model.objects.restrict(user, "change").filter(pk=pk).exists()
            assert visible == (role in see), (role, model.__name__)
            assert changeable == (role in change), (role, model.__name__)
    # and a person made a reviewing stakeholder reads it without changing it
    services.stakeholder_add(actor=cast.owner, contract=contract, user=cast.outsider, role="legal")
    assert Contract.objects.restrict(cast.outsider, "view").filter(pk=contract.pk).exists()
    assert not Contract.objects.restrict(cast.outsider, "change").filter(pk=contract.pk).exists()
    # nobody logs negotiation on an ended contract
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.EXPIRED)
    contract.refresh_from_db()
    with pytest.raises(DomainError):
        services.negotiation_log(actor=cast.owner, contract=contract, term="price", concession="x")
