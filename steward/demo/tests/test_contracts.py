"""The small demo's contracts tell a story every contract screen can show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from steward.contracts.choices import ContractKind, ContractStatus, Decision, PeriodUnit
from steward.contracts.models import (
    Contract,
    ContractApproval,
    ContractTransition,
    NegotiationEntry,
    Obligation,
    RenewalDecision,
    ServiceCredit,
    SlaBreach,
)
from steward.contracts.models.obligations import ObligationKind, ObligationStatus
from steward.contracts.models.sla import CreditStatus
from steward.contracts.selectors_renewals import radar
from steward.contracts.services import contracts_roll_forward_all
from steward.demo.services import DemoLoadResult, demo_load
from steward.demo.tests.helpers import row_counts

User = get_user_model()


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def _midnight() -> dt.datetime:
    today = timezone.localdate()
    return dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())


def test_the_vendor_manager_owns_a_contract_whose_notice_deadline_is_next_month(
    loaded: DemoLoadResult,
) -> None:
    today = timezone.localdate()
    next_month = today + relativedelta(months=1)

    # Then an active contract of the demo vendor manager has its notice deadline next month
    found = Contract.objects.filter(
        owner__username="vendor.manager",
        status=ContractStatus.ACTIVE,
        notice_deadline__year=next_month.year,
        notice_deadline__month=next_month.month,
    )
    contract = found.get(reference__endswith="-0101")
    # And no renewal decision is recorded for it yet
    assert not RenewalDecision.objects.filter(contract=contract).exists()
    # And the vendor manager's renewal radar shows it within 60 days
    seen = radar(user=_user("vendor.manager"), days=60, owner=_user("vendor.manager"))
    assert contract in [entry.contract for entry in seen]


def test_contracts_in_every_status_on_both_sides(loaded: DemoLoadResult) -> None:
    # Then every status of the workflow has a contract, and both sides have contracts
    assert set(Contract.objects.values_list("status", flat=True)) == set(ContractStatus.values)
    sides = set(Contract.objects.values_list("relationship__side", flat=True))
    assert sides == {"supply", "demand"}
    # And statements of work fall under a master, an evergreen DPA too
    sow = Contract.objects.filter(kind=ContractKind.STATEMENT_OF_WORK).first()
    assert sow is not None
    assert sow.parent is not None
    assert sow.parent.kind == ContractKind.MASTER
    assert Contract.objects.filter(kind=ContractKind.DPA, evergreen=True, end_date=None).exists()
    # And auto-renewing contracts in force give notice in days and in months
    rolling = Contract.objects.filter(auto_renews=True, status=ContractStatus.ACTIVE)
    assert set(rolling.values_list("notice_unit", flat=True)) == set(PeriodUnit.values)


def test_the_radar_has_contracts_in_each_window(loaded: DemoLoadResult) -> None:
    # When the administrator looks 90 days ahead
    entries = radar(user=_user("admin"), days=90)

    # Then the 30, 60 and 90 day windows each hold contracts
    days_left = [entry.days_left for entry in entries]
    assert any(days <= 30 for days in days_left)
    assert any(30 < days <= 60 for days in days_left)
    assert any(60 < days <= 90 for days in days_left)
    # And the expiring contract carries a renewal decision that superseded an earlier one
    expiring = Contract.objects.get(status=ContractStatus.EXPIRING, reference__endswith="-0402")
    decisions = RenewalDecision.objects.filter(contract=expiring).order_by("pk")
    assert [d.decision for d in decisions] == ["renew", "renegotiate"]
    assert decisions[0].superseded_at is not None
    assert decisions[1].superseded_at is None


def test_a_breach_last_month_owes_a_credit(loaded: DemoLoadResult) -> None:
    last_month = timezone.localdate().replace(day=1) - relativedelta(months=1)

    # Then last month's availability breach is booked and owes its credit
    breach = SlaBreach.objects.select_related("period_result__service_level").get(
        period_result__period_start=last_month
    )
    assert breach.period_result.breached
    assert breach.period_result.closed
    credit = ServiceCredit.objects.get(period_result=breach.period_result)
    assert credit.status == CreditStatus.OWED
    assert credit.amount == Decimal("2000.00")  # 10 % of a 20,000.00 monthly fee
    # And the contract is the vendor manager's, measured for six months and this one
    level = breach.period_result.service_level
    assert level.contract.owner.username == "vendor.manager"
    assert level.period_results.count() == 7
    # And an earlier credit went the whole way to received
    assert ServiceCredit.objects.filter(status=CreditStatus.RECEIVED).exists()


def test_a_contract_waits_for_the_legal_reviewer(loaded: DemoLoadResult) -> None:
    # Then a contract pending approval waits for the printed legal reviewer in its latest round
    pending = ContractApproval.objects.filter(
        approver__username="reviewer.legal",
        decision=Decision.PENDING,
        contract__status=ContractStatus.PENDING_APPROVAL,
    )
    approval = pending.order_by("-round").first()
    assert approval is not None
    assert approval.round == 2
    # And finance rejected the first round with a reason, which sent it back to negotiation
    rejected = ContractApproval.objects.get(
        contract=approval.contract, round=1, decision=Decision.REJECTED
    )
    assert rejected.comment
    assert ContractTransition.objects.filter(
        contract=approval.contract, to_status=ContractStatus.IN_NEGOTIATION
    ).exists()
    # And every active contract had every approval of its last round given
    for contract in Contract.objects.filter(status=ContractStatus.ACTIVE):
        latest = contract.approvals.order_by("-round").values_list("round", flat=True).first()
        decisions = contract.approvals.filter(round=latest).values_list("decision", flat=True)
        assert set(decisions) <= {Decision.APPROVED}, contract


def test_negotiations_obligations_and_stakeholders(loaded: DemoLoadResult) -> None:
    today = timezone.localdate()

    # Then the contracts in negotiation have a negotiation log
    negotiating = Contract.objects.filter(status=ContractStatus.IN_NEGOTIATION)
    logged = NegotiationEntry.objects.filter(contract__in=negotiating)
    assert logged.values("contract").distinct().count() >= 2
    assert Contract.objects.filter(stakeholders__role="legal").exists()
    # And an obligation is overdue, an insurance certificate is due within a month
    open_ones = Obligation.objects.filter(status=ObligationStatus.OPEN)
    assert open_ones.filter(due_on__lt=today).exists()
    assert open_ones.filter(
        kind=ObligationKind.INSURANCE, due_on__range=(today, today + dt.timedelta(days=30))
    ).exists()
    # And recurring ones were completed and came back, and an audit is done
    assert Obligation.objects.filter(occurrence=3, follows__status=ObligationStatus.DONE).exists()
    assert Obligation.objects.filter(
        kind=ObligationKind.AUDIT, status=ObligationStatus.DONE
    ).exists()


def test_dates_and_history_are_consistent(loaded: DemoLoadResult) -> None:
    midnight = _midnight()

    # Then every record lies before the demo's now, history and moves included
    assert not Contract.objects.filter(created_at__gte=midnight).exists()
    assert not ContractTransition.objects.filter(at__gte=midnight).exists()
    assert not Contract.history.filter(history_date__gte=midnight).exists()
    # And each contract's moves follow one another in time and end in its status
    moves: dict[int, list[tuple[dt.datetime, str, str]]] = {}
    for row in ContractTransition.objects.order_by("at", "pk").values_list(
        "contract_id", "at", "from_status", "to_status"
    ):
        moves.setdefault(row[0], []).append(row[1:])
    statuses = dict(Contract.objects.values_list("pk", "status"))
    for pk, steps in moves.items():
        assert steps[0][1] == ContractStatus.DRAFT
        assert all(a[2] == b[1] for a, b in pairwise(steps)), pk
        assert steps[-1][2] == statuses[pk]
    # And the daily roll-forward finds every auto-renewing contract on its current term
    assert contracts_roll_forward_all(day=timezone.localdate()) == 0


def test_loading_again_adds_nothing(loaded: DemoLoadResult) -> None:
    # Given the small data loaded
    before = row_counts()

    # When it is loaded again
    again = demo_load(size="small")

    # Then nothing was written, contracts and their history included
    assert not again.created
    assert row_counts() == before
    assert before["contracts.Contract"] == loaded.counts["contracts.Contract"]
