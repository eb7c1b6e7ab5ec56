"""The storyteller: running contract services at the moments the story says they ran, and
the upkeep of an agreement in force (service levels measured and judged, obligations met).

The services stamp what they write with the current time and take today's date from it;
``story_clock`` sets that clock for one call, so a contract recorded two years ago carries that
date in its history, its transitions and its approvals. Moments come from a ``Timeline``, which
keeps each record's moments in order and before the demo's now.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

from dateutil.relativedelta import relativedelta
from django.db.models import Max

from steward.contracts.choices import ContractStatus as S
from steward.contracts.choices import Decision
from steward.contracts.models import Contract, ContractApproval, ServiceLevel
from steward.contracts.models.obligations import ObligationKind, OwedBy, Recurrence
from steward.contracts.models.sla import (
    CreditStatus,
    MeasurementSource,
    ServiceCredit,
    SlaMeasurement,
    SlaWindow,
)
from steward.contracts.services import (
    approval_decide,
    contract_create,
    contract_transition,
    credit_mark,
    negotiation_log,
    obligation_add,
    obligation_complete,
    service_level_add,
    sla_period_evaluate,
    stakeholder_add,
)
from steward.core.access import Access
from steward.core.models import DomainModel
from steward.demo.generate.context import DemoContext
from steward.demo.generate.contract_crowd import Timeline
from steward.demo.generate.contract_vocabulary import (
    APPROVAL_COMMENTS,
    BREACH_LAST_MONTH,
    MISS_FOUR_MONTHS_AGO,
)
from steward.demo.generate.vendor_plan import at_hour, local_date
from steward.demo.generate.writes import insert
from steward.parties.models import Relationship

SLA_MONTHS = 6  # months of measurements before the current one
WEEKLY_DAYS = (7, 14, 21, 28)  # when availability and response times are reported


@contextmanager
def story_clock(moment: dt.datetime) -> Iterator[None]:
    """Run services as if it were ``moment``: what they stamp (created, decided, moved) and the
    day they take for today follow the story instead of the wall clock."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class Storyteller:
    """Runs one service at a time at a story moment; the story's parts build on it."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.today = ctx.today

    def timeline(self, relationship: Relationship, start: dt.date | None) -> Timeline:
        """Entered a few weeks before it started, or once the relationship was recorded."""
        opened = relationship.created_at + dt.timedelta(hours=self.rng.randint(20, 60))
        if start is not None:
            opened = max(opened, at_hour(start - dt.timedelta(days=self.rng.randint(30, 50)), 10))
        return Timeline(self.ctx, self.rng, opened)

    def recent(self, relationship: Relationship, days: int) -> Timeline:
        """A timeline from ``days`` ago, or from when the relationship was recorded."""
        opened = max(
            self.ctx.now - dt.timedelta(days=days),
            relationship.created_at + dt.timedelta(hours=self.rng.randint(20, 60)),
        )
        return Timeline(self.ctx, self.rng, opened)

    def after(self, record: DomainModel, at: dt.datetime) -> Timeline:
        """A timeline from ``at``, once the record's last change is recorded."""
        return Timeline(self.ctx, self.rng, max(at, record.updated_at + dt.timedelta(hours=1)))

    def create(
        self, when: Timeline, relationship: Relationship, *, owner: Any = None, **fields: Any
    ) -> Contract:
        with story_clock(when.moment):
            contract = contract_create(
                actor=relationship.owner, relationship=relationship, owner=owner, **fields
            )
        self.ctx.counts[Contract._meta.label] += 1
        return contract

    def move(
        self, when: Timeline, contract: Contract, to: str, reason: str = "", **at: Any
    ) -> None:
        with story_clock(when.next(**at)):
            contract_transition(
                actor=contract.owner, contract=contract, to_status=to, reason=reason
            )

    def approve(self, when: Timeline, contract: Contract, *, skip: str = "") -> None:
        """Every pending approval of the round is given, except the function ``skip``'s."""
        current = ContractApproval.objects.filter(contract=contract).aggregate(Max("round"))
        pending = ContractApproval.objects.filter(
            contract=contract, round=current["round__max"], decision=Decision.PENDING
        ).select_related("approver", "contract")
        for approval in pending.order_by("pk"):
            if approval.function == skip:
                continue
            with story_clock(when.next(days=3)):
                approval_decide(
                    actor=approval.approver,
                    approval=approval,
                    decision=Decision.APPROVED,
                    comment=APPROVAL_COMMENTS.get(approval.function, ""),
                )

    def activate(self, when: Timeline, contract: Contract) -> None:
        self.move(when, contract, S.PENDING_APPROVAL, "Terms agreed", days=5)
        self.approve(when, contract)
        assert contract.start_date is not None
        self.move(
            when,
            contract,
            S.ACTIVE,
            "Signed by both parties",
            at=at_hour(contract.start_date - dt.timedelta(days=1), 15),
        )

    def log(self, when: Timeline, contract: Contract, entries: list[dict[str, str]]) -> None:
        for entry in entries:
            moment = when.next(days=6)
            with story_clock(moment):
                negotiation_log(
                    actor=contract.owner, contract=contract, logged_on=local_date(moment), **entry
                )

    def stakeholder(self, contract: Contract, user: Any, role: str, when: Timeline) -> None:
        with story_clock(when.next(days=1)):
            stakeholder_add(
                actor=contract.owner, contract=contract, user=user, role=role, access=Access.REVIEW
            )

    # -- the upkeep of an agreement in force

    def service_levels(self, contract: Contract) -> None:
        """Availability and response time, measured weekly for six months. Four months ago a
        small miss earned a credit that was claimed and received; last month's breach owes one."""
        breaches = {1: BREACH_LAST_MONTH, 4: MISS_FOUR_MONTHS_AGO}

        def availability(months_ago: int, week: int) -> Decimal:
            if months_ago in breaches:
                return breaches[months_ago][week]
            return Decimal(self.rng.randint(99910, 99990)) / 1000

        level = self.service_level(
            contract,
            name="Service availability",
            metric="availability",
            unit="%",
            target=Decimal("99.9"),
            direction="at_least",
            tiers=[("0", "5"), ("0.5", "10"), ("1.0", "25")],
            cap=Decimal(20),
            fee=Decimal("20000.00"),
            values=availability,
        )
        self.service_level(
            contract,
            name="Incident response time",
            metric="response-time",
            unit="hours",
            target=Decimal(4),
            direction="at_most",
            tiers=[("0", "2"), ("1", "5")],
            cap=Decimal(10),
            fee=Decimal("20000.00"),
            values=lambda month, week: Decimal(self.rng.randint(90, 380)) / 100,
        )
        older = ServiceCredit.objects.get(
            period_result__service_level=level,
            period_result__period_start=self._month_start(4),
        )
        end = older.period_result.period_end
        when = self.after(older, at_hour(end, 11))
        for status, days in ((CreditStatus.CLAIMED, 6), (CreditStatus.RECEIVED, 35)):
            day = end + dt.timedelta(days=days)
            with story_clock(when.next(at=at_hour(day, 11))):
                older = credit_mark(actor=contract.owner, credit=older, status=status, on=day)

    def _month_start(self, months_ago: int) -> dt.date:
        return self.today.replace(day=1) - relativedelta(months=months_ago)

    def service_level(
        self,
        contract: Contract,
        *,
        name: str,
        metric: str,
        unit: str,
        target: Decimal,
        direction: str,
        tiers: list[tuple[str, str]],
        cap: Decimal,
        fee: Decimal,
        values: Any,
    ) -> ServiceLevel:
        owner = contract.owner
        defined = at_hour(self._month_start(SLA_MONTHS) - dt.timedelta(days=3), 10)
        when = self.after(contract, defined)
        with story_clock(when.moment):
            level = service_level_add(
                actor=owner,
                contract=contract,
                name=name,
                metric=metric,
                unit=unit,
                target=target,
                direction=direction,
                window=SlaWindow.MONTHLY,
                credit_tiers=[{"shortfall_from": t, "credit_percent": c} for t, c in tiers],
                cap_percent=cap,
                period_fee=fee,
            )
        # The weekly figures come in from the vendor's service portal through the API; each
        # period is judged the day after it closes (the current one provisionally, today).
        measurements, moments = [], {}
        judged: list[tuple[dt.date, dt.date, dt.datetime]] = []
        for months_ago in range(SLA_MONTHS, -1, -1):
            start = self._month_start(months_ago)
            for week, day in enumerate(WEEKLY_DAYS):
                measured_on = start + dt.timedelta(days=day - 1)
                if measured_on >= self.today:
                    break
                measurement = SlaMeasurement(
                    service_level=level,
                    measured_on=measured_on,
                    value=values(months_ago, week),
                    source=MeasurementSource.API,
                    entered_by=owner,
                    note="Weekly report from the service portal",
                )
                measurements.append(measurement)
                moments[id(measurement)] = when.next(at=at_hour(measured_on, 18))
            closing = start + relativedelta(months=1) if months_ago else self.today
            judged.append((start, closing, when.next(at=at_hour(closing, 6))))
        insert(self.ctx, measurements, by=lambda m: owner, at=lambda m: moments[id(m)])
        for start, closing, moment in judged:
            with story_clock(moment):
                sla_period_evaluate(service_level=level, period_start=start, today=closing)
        return level

    # -- obligations

    def obligations(self, contract: Contract) -> None:
        """An insurance certificate due soon (yearly), a quarterly report overdue, an audit done
        and a price review ahead."""
        owner = contract.owner
        assert contract.start_date is not None
        insurance_anchor = self.today + dt.timedelta(days=10) - relativedelta(years=2)
        report_anchor = self.today - dt.timedelta(days=12) - relativedelta(months=6)
        specs = (
            (
                "Certificate of professional liability insurance",
                ObligationKind.INSURANCE,
                OwedBy.THEM,
                insurance_anchor,
                Recurrence.YEARLY,
                2,
            ),
            (
                "Quarterly service report",
                ObligationKind.REPORT,
                OwedBy.THEM,
                report_anchor,
                Recurrence.QUARTERLY,
                2,
            ),
            (
                "Annual security audit",
                ObligationKind.AUDIT,
                OwedBy.US,
                self.today - dt.timedelta(days=40),
                Recurrence.NONE,
                1,
            ),
            (
                "Price review against the market index",
                ObligationKind.PRICE_REVIEW,
                OwedBy.US,
                self.today + dt.timedelta(days=60),
                Recurrence.NONE,
                0,
            ),
        )
        for title, kind, owed_by, due_on, recurrence, completed in specs:
            when = self.after(contract, at_hour(due_on - dt.timedelta(days=60), 9))
            with story_clock(when.moment):
                obligation = obligation_add(
                    actor=owner,
                    contract=contract,
                    title=title,
                    kind=kind,
                    owed_by=owed_by,
                    due_on=due_on,
                    recurrence=recurrence,
                )
            for _ in range(completed):
                done_on = obligation.due_on - dt.timedelta(days=self.rng.randint(0, 5))
                with story_clock(when.next(at=at_hour(done_on, 16))):
                    closed = obligation_complete(
                        actor=owner, obligation=obligation, done_on=done_on
                    )
                obligation = getattr(closed, "next_occurrence", closed)


# The weekly availability figures of the two months that missed the target.
