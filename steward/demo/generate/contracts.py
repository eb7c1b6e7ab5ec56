"""Contracts: a story told through the contract services, and a crowd written in bulk.

The story is a fixed cast of contracts (the same number for every size) that shows each contract
screen something to do: every status, approvals given, refused and waiting for the legal
reviewer, a negotiation log, a statement of work and an evergreen DPA under a master agreement,
auto-renewing terms with notice in days and in months, service levels with six months of
measurements and one breach last month that owes a credit, obligations due soon, overdue and
done, and a renewal decision. The demo vendor manager owns the contract whose notice deadline
falls next month and has no decision yet.

Those records go through the services (``contract_create``, ``contract_transition``,
``approval_decide``, ``sla_period_evaluate``, ``credit_mark``, …), so the history, approvals,
breaches and credits are exactly what people would have left; only the weekly measurements come
in bulk, as an import would bring them, before each period is judged. The services stamp records
with the current time; the story replays each call at the moment it happened (``story_clock``),
so every record lies before the demo's "now" and two loads on the same day are alike.

Every other relationship gets its contracts in bulk (``contract_crowd``), which keeps the
``large`` size fast.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from steward.contracts import terms
from steward.contracts.choices import ContractKind, Decision, PeriodUnit
from steward.contracts.choices import ContractStatus as S
from steward.contracts.models import ApprovalRule, Contract, ContractApproval
from steward.contracts.models.renewals import RenewalChoice
from steward.contracts.services import (
    approval_decide,
    contract_roll_forward,
    renewal_decide,
)
from steward.contracts.services.rules import approval_rule_create
from steward.demo.generate import contract_crowd
from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.contract_story import Storyteller, story_clock
from steward.demo.generate.contract_vocabulary import NEGOTIATION
from steward.demo.generate.vendor_plan import VendorPlan, at_hour
from steward.parties.choices import RelationshipStatus, Side, TeamRole
from steward.parties.models import Relationship
from steward.people.choices import Function
from steward.suppliers.choices import Stage

FINANCE_THRESHOLD = Decimal(100_000)


def create_contracts(ctx: DemoContext) -> None:
    """Approval rules, the story's contracts through the services, then the crowd in bulk."""
    rng = ctx.rng("contracts.story")
    story = _Story(ctx, rng)
    cast = story.cast()
    rules = _create_rules(ctx)
    story.tell(cast)
    contract_crowd.create_crowd(ctx, rules, skip={r.pk for r in cast.values()})


def describe_logins(ctx: DemoContext) -> None:
    """Tell the vendor manager and the legal reviewer what waits for them among the contracts."""
    extra = {
        "vendor.manager": "; a contract whose notice deadline is next month, an SLA breach "
        "with a credit owed",
        "reviewer.legal": "; a contract waiting for their approval",
    }
    ctx.logins = [
        DemoLogin(login.role, login.username, login.sees + extra[login.username])
        if login.username in extra
        else login
        for login in ctx.logins
    ]


# --- approval rules --------------------------------------------------------------------------


def _create_rules(ctx: DemoContext) -> list[ApprovalRule]:
    """Legal approves every master agreement and DPA, finance from EUR 100,000 a year, IT
    security every DPA: set up by the administrator before any contract was recorded."""
    admin = ctx.users["admin"][0]
    earliest = min(r.created_at for r in ctx.relationships)
    specs: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
        (
            "Legal review of master agreements and DPAs",
            Function.LEGAL,
            "reviewer_legal",
            {"kinds": [ContractKind.MASTER, ContractKind.DPA]},
        ),
        (
            "Finance sign-off from EUR 100,000 a year",
            Function.FINANCE,
            "reviewer_finance",
            {"min_annual_value": FINANCE_THRESHOLD},
        ),
        (
            "IT security review of data processing",
            Function.IT_SECURITY,
            "reviewer_it_security",
            {"kinds": [ContractKind.DPA]},
        ),
    )
    rules = []
    for index, (name, function, pool, applies) in enumerate(specs):
        with story_clock(earliest - dt.timedelta(days=20) + dt.timedelta(minutes=index)):
            rules.append(
                approval_rule_create(
                    actor=admin,
                    name=name,
                    function=function,
                    approver=ctx.users[pool][0],
                    order=10 * (index + 1),
                    **applies,
                )
            )
    ctx.counts[ApprovalRule._meta.label] += len(rules)
    return rules


# --- the story -------------------------------------------------------------------------------


class _Story(Storyteller):
    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        super().__init__(ctx, rng)
        self.lead = ctx.users["senior_vendor_manager"][0]

    # -- who plays which part

    def cast(self) -> dict[str, Relationship]:
        """Vendors of the demo vendor manager (and their reports) first; an account of the demo
        account manager for the sell side."""
        lead = self.lead

        def preference(plan: VendorPlan) -> int:
            if plan.owner.pk == lead.pk:
                return 0
            return 1 if plan.owner.profile.manager_id == lead.pk else 2

        running = sorted((p for p in self.ctx.vendors if p.stage == Stage.ACTIVE), key=preference)
        leaving = sorted(
            (p for p in self.ctx.vendors if p.stage in (Stage.EXITING, Stage.OFFBOARDED)),
            key=lambda p: (p.stage != Stage.EXITING, preference(p)),
        )
        parts = ("main", "pending", "negotiating", "renewing", "rolling")
        cast = {part: running[i % len(running)].relationship for i, part in enumerate(parts)}
        cast["leaving"] = (leaving or running)[0].relationship
        account_manager = self.ctx.users["account_manager"][0]
        accounts = sorted(
            (
                r
                for r in self.ctx.relationships
                if r.side == Side.DEMAND and r.status == RelationshipStatus.ACTIVE
            ),
            key=lambda r: r.owner.pk != account_manager.pk,
        )
        if accounts:
            cast["customer"] = accounts[0]
        return cast

    # -- the parts

    def tell(self, cast: dict[str, Relationship]) -> None:
        main = self.main_agreement(cast["main"])
        self.under_the_master(cast["main"], main)
        self.service_levels(main)
        self.obligations(main)
        self.pending(cast["pending"])
        self.negotiating(cast["negotiating"])
        self.renewing(cast["renewing"])
        self.rolling(cast["rolling"])
        self.ended(cast["leaving"])
        if "customer" in cast:
            self.customer(cast["customer"])

    def main_agreement(self, relationship: Relationship) -> Contract:
        """Active, three years, 90 days' notice: the last day to give it is next month."""
        deadline = self.today + relativedelta(months=1)
        end = deadline + dt.timedelta(days=90)
        start = end + dt.timedelta(days=1) - relativedelta(years=3)
        when = self.timeline(relationship, start)
        contract = self.create(
            when,
            relationship,
            owner=self.lead,
            title="Managed services master agreement",
            kind=ContractKind.MASTER,
            reference=f"MSA-{start:%Y}-0101",
            description="Operations, service desk and hosting for the European business units.",
            currency="EUR",
            total_value=Decimal("720000.00"),
            annual_value=Decimal("240000.00"),
            payment_terms="30 days net",
            start_date=start,
            end_date=end,
            notice_count=90,
            notice_unit=PeriodUnit.DAYS,
        )
        self.move(when, contract, S.IN_NEGOTIATION, "Vendor's draft received")
        self.log(when, contract, NEGOTIATION["main"])
        self.stakeholder(contract, self.ctx.users["specialist"][0], TeamRole.OPERATIONS, when)
        self.activate(when, contract)
        return contract

    def under_the_master(self, relationship: Relationship, master: Contract) -> None:
        """A statement of work (no approval needed below the thresholds) and an evergreen DPA."""
        assert master.start_date is not None
        sow_start = self.today - relativedelta(months=5)
        when = self.timeline(relationship, sow_start)
        sow = self.create(
            when,
            relationship,
            owner=master.owner,
            title="Statement of work: service desk transition",
            kind=ContractKind.STATEMENT_OF_WORK,
            parent=master,
            reference=f"SOW-{sow_start:%Y}-0102",
            total_value=Decimal("85000.00"),
            payment_terms="Milestones, 30 days net",
            start_date=sow_start,
            term_months=9,
            notice_count=30,
            notice_unit=PeriodUnit.DAYS,
        )
        self.activate(when, sow)
        when = self.timeline(relationship, master.start_date)
        dpa = self.create(
            when,
            relationship,
            owner=master.owner,
            title="Data processing agreement",
            kind=ContractKind.DPA,
            parent=master,
            reference=f"DPA-{master.start_date:%Y}-0103",
            start_date=master.start_date,
            evergreen=True,
            notice_count=3,
            notice_unit=PeriodUnit.MONTHS,
        )
        self.activate(when, dpa)

    def pending(self, relationship: Relationship) -> None:
        """Finance refused the first round; in the second it approved and legal still decides."""
        start = self.today + dt.timedelta(days=30)
        when = self.recent(relationship, 45)
        contract = self.create(
            when,
            relationship,
            title="Cloud hosting master agreement",
            kind=ContractKind.MASTER,
            reference=f"MSA-{start:%Y}-0201",
            total_value=Decimal("300000.00"),
            annual_value=Decimal("150000.00"),
            payment_terms="45 days net",
            start_date=start,
            term_months=24,
            notice_count=3,
            notice_unit=PeriodUnit.MONTHS,
        )
        self.move(when, contract, S.IN_NEGOTIATION, "First draft sent")
        self.log(when, contract, NEGOTIATION["pending"][:2])
        self.move(when, contract, S.PENDING_APPROVAL, "Submitted for approval")
        finance = ContractApproval.objects.get(
            contract=contract, function=Function.FINANCE, decision=Decision.PENDING
        )
        with story_clock(when.next(days=3)):
            approval_decide(
                actor=finance.approver,
                approval=finance,
                decision=Decision.REJECTED,
                comment="The volume commitment is above this year's budget; cap it at 80 %.",
            )
        self.log(when, contract, NEGOTIATION["pending"][2:])
        self.move(when, contract, S.PENDING_APPROVAL, "Volume commitment capped at 80 %")
        self.approve(when, contract, skip=Function.LEGAL)

    def negotiating(self, relationship: Relationship) -> None:
        """A large agreement on the table, and an NDA still in draft."""
        start = self.today + dt.timedelta(days=75)
        when = self.recent(relationship, 60)
        contract = self.create(
            when,
            relationship,
            title="Logistics services master agreement",
            kind=ContractKind.MASTER,
            reference=f"MSA-{start:%Y}-0301",
            total_value=Decimal("1260000.00"),
            annual_value=Decimal("420000.00"),
            payment_terms="60 days net",
            start_date=start,
            term_months=36,
            auto_renews=True,
            renewal_term_months=12,
            notice_count=6,
            notice_unit=PeriodUnit.MONTHS,
        )
        self.move(when, contract, S.IN_NEGOTIATION, "Negotiation opened")
        self.stakeholder(contract, self.ctx.users["reviewer_legal"][0], TeamRole.LEGAL, when)
        self.stakeholder(contract, self.ctx.users["specialist"][0], TeamRole.SPECIALIST, when)
        self.log(when, contract, NEGOTIATION["negotiating"])
        when.next(at=self.ctx.now - dt.timedelta(days=4))
        self.create(
            when,
            relationship,
            title="Mutual non-disclosure agreement",
            kind=ContractKind.NDA,
            start_date=self.today + dt.timedelta(days=7),
            term_months=24,
        )

    def renewing(self, relationship: Relationship) -> None:
        """A term renewed two years ago; the one after it is expiring and up for renegotiation."""
        end = self.today + dt.timedelta(days=25)
        start = end + dt.timedelta(days=1) - relativedelta(years=2)
        earlier_start = start - relativedelta(years=2)
        when = self.timeline(relationship, earlier_start)
        fields: dict[str, Any] = {
            "kind": ContractKind.MASTER,
            "total_value": Decimal("190000.00"),
            "annual_value": Decimal("95000.00"),
            "payment_terms": "30 days net",
            "notice_count": 30,
            "notice_unit": PeriodUnit.DAYS,
        }
        earlier = self.create(
            when,
            relationship,
            title="Facilities services agreement",
            reference=f"FSA-{earlier_start:%Y}-0401",
            start_date=earlier_start,
            end_date=start - dt.timedelta(days=1),
            **fields,
        )
        self.activate(when, earlier)
        when.next(at=self.timeline(relationship, start).moment)
        current = self.create(
            when,
            relationship,
            title="Facilities services agreement (renewal)",
            reference=f"FSA-{start:%Y}-0402",
            start_date=start,
            end_date=end,
            **fields,
        )
        self.activate(when, current)
        self.move(
            when,
            earlier,
            S.RENEWED,
            "Renewed for two years",
            at=at_hour(start - dt.timedelta(days=1), 17),
        )
        decide = when.next(at=at_hour(self.today - dt.timedelta(days=70), 11))
        with story_clock(decide):
            renewal_decide(
                actor=current.owner,
                contract=current,
                decision=RenewalChoice.RENEW,
                rationale="Service has been steady; renew on the same terms.",
            )
        self.move(
            when,
            current,
            S.EXPIRING,
            "Notice deadline passed; renegotiating",
            at=at_hour(self.today - dt.timedelta(days=4), 9),
        )
        with story_clock(when.next(days=1)):
            renewal_decide(
                actor=current.owner,
                contract=current,
                decision=RenewalChoice.RENEGOTIATE,
                rationale="Two sites close next year; renegotiate the scope and the price.",
            )

    def rolling(self, relationship: Relationship) -> None:
        """Two auto-renewing agreements: notice in days (due in 31 to 60 days) and in months
        (due in 61 to 90 days)."""
        in_days, in_months = terms.Period(60, PeriodUnit.DAYS), terms.Period(3, PeriodUnit.MONTHS)
        for title, months, notice, window, value in (
            ("Software licence and support", 12, in_days, (31, 60), 60),
            ("Maintenance and repair services", 24, in_months, (61, 90), 130),
        ):
            start = self._start_for_deadline(months, notice, window, years_back=3)
            when = self.timeline(relationship, start)
            contract = self.create(
                when,
                relationship,
                title=title,
                kind=ContractKind.MASTER,
                reference=f"AR-{start:%Y}-{months:02d}{notice.count:02d}",
                annual_value=Decimal(value * 1000),
                payment_terms="Yearly in advance",
                start_date=start,
                term_months=months,
                auto_renews=True,
                renewal_term_months=12,
                notice_count=notice.count,
                notice_unit=notice.unit,
            )
            self.activate(when, contract)
            contract_roll_forward(contract=contract, today=self.today)

    def _start_for_deadline(
        self, months: int, notice: terms.Period, window: tuple[int, int], *, years_back: int
    ) -> dt.date:
        """A start date whose auto-renewing terms put the next notice deadline in ``window``
        days from today: found by walking forward day by day, with the engine's own rules."""
        low, high = window
        day = self.today - relativedelta(years=years_back)
        while True:
            deadline = terms.upcoming_notice_deadline(
                day, months, renewal_months=12, auto_renews=True, notice=notice, on=self.today
            )
            if deadline and low <= (deadline - self.today).days <= high and day.day <= 28:
                return day
            day += dt.timedelta(days=1)

    def ended(self, relationship: Relationship) -> None:
        """One agreement expired at the end of its term, one terminated early."""
        end = self.today - relativedelta(months=4)
        start = end + dt.timedelta(days=1) - relativedelta(years=2)
        when = self.timeline(relationship, start)
        expired = self.create(
            when,
            relationship,
            title="Packaging supply agreement",
            kind=ContractKind.MASTER,
            reference=f"PSA-{start:%Y}-0501",
            annual_value=Decimal("45000.00"),
            start_date=start,
            end_date=end,
            notice_count=1,
            notice_unit=PeriodUnit.MONTHS,
        )
        self.activate(when, expired)
        self.move(when, expired, S.EXPIRED, "Term ended", at=at_hour(end + dt.timedelta(days=1), 8))
        start = self.today - relativedelta(months=14)
        when = self.timeline(relationship, start)
        terminated = self.create(
            when,
            relationship,
            title="Field services order form",
            kind=ContractKind.ORDER_FORM,
            reference=f"OF-{start:%Y}-0502",
            total_value=Decimal("64000.00"),
            start_date=start,
            term_months=24,
            notice_count=30,
            notice_unit=PeriodUnit.DAYS,
        )
        self.activate(when, terminated)
        self.move(
            when,
            terminated,
            S.TERMINATED,
            "Repeated missed deliveries; terminated for cause after the cure period.",
            at=at_hour(self.today - dt.timedelta(days=50), 10),
        )

    def customer(self, relationship: Relationship) -> None:
        """Sell side: a customer agreement whose notice deadline is within 30 days, with an SLA
        we owe, and an order form under negotiation."""
        notice = terms.Period(2, PeriodUnit.MONTHS)
        start = self.today - relativedelta(years=3) + dt.timedelta(days=1)
        while True:
            deadline = terms.notice_deadline(terms.end_of_term(start, 36), notice)
            if 10 <= (deadline - self.today).days <= 25 and start.day <= 28:
                break
            start += dt.timedelta(days=1)
        when = self.timeline(relationship, start)
        contract = self.create(
            when,
            relationship,
            title="Customer master agreement",
            kind=ContractKind.MASTER,
            reference=f"CMA-{start:%Y}-0601",
            total_value=Decimal("930000.00"),
            annual_value=Decimal("310000.00"),
            payment_terms="30 days net",
            start_date=start,
            term_months=36,
            notice_count=notice.count,
            notice_unit=notice.unit,
        )
        self.activate(when, contract)
        self.service_level(
            contract,
            name="Support response time",
            metric="support-response",
            unit="hours",
            target=Decimal(4),
            direction="at_most",
            tiers=[("0", "2"), ("2", "5")],
            cap=Decimal(10),
            fee=Decimal("25833.33"),
            values=lambda month, week: Decimal(self.rng.randint(120, 370)) / 100,
        )
        when.next(at=self.ctx.now - dt.timedelta(days=20))
        order = self.create(
            when,
            relationship,
            title="Order form: additional licences",
            kind=ContractKind.ORDER_FORM,
            parent=contract,
            total_value=Decimal("48000.00"),
            start_date=self.today + dt.timedelta(days=14),
            term_months=12,
        )
        self.move(when, order, S.IN_NEGOTIATION, "Customer asked for a volume discount")
        self.log(when, order, NEGOTIATION["customer"])

    # -- service levels
