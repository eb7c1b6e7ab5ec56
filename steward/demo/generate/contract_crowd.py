"""The crowd of contracts: every relationship outside the story gets the agreements its stage
suggests, written in bulk with the history, transitions, approvals and approver stakeholders the
contract services would have left.

A running vendor or account has a master agreement in force (some with a DPA, a statement of
work or an order form under it); a prospect an NDA on the table; a vendor or account we left an
agreement that expired or was terminated. Dates follow the engine's own rules
(``steward.contracts.terms``), so the notice deadlines are the ones ``contract_create`` derives.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from steward.contracts import terms
from steward.contracts.choices import ContractKind, ContractStatus, Decision, PeriodUnit
from steward.contracts.models import (
    ApprovalRule,
    Contract,
    ContractApproval,
    ContractStakeholder,
    ContractTransition,
)
from steward.contracts.selectors_rules import rules_applying

# The service's own derivation, so bulk rows carry the deadline contract_create would store.
from steward.contracts.services.contracts import notice_deadline_of
from steward.core.access import Access
from steward.demo.generate.context import DemoContext
from steward.demo.generate.vendor_plan import VendorPlan, at_hour
from steward.demo.generate.writes import Revision, insert, insert_rows, revise
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Relationship
from steward.suppliers.choices import Stage

S = ContractStatus
RUNNING_STAGES = (Stage.ACTIVE, Stage.EXITING, Stage.UNDER_REVIEW)
EARLY_STAGES = (Stage.PROSPECT, Stage.QUALIFICATION, Stage.ONBOARDING)
# How likely a running relationship has an agreement recorded here, by tier (1 strategic …
# 4 transactional): the key ones are managed under contract, small suppliers often by order.
IN_FORCE_CHANCE = {1: 1.0, 2: 0.8, 3: 0.35, 4: 0.1}
NOTICES = (
    terms.Period(30, PeriodUnit.DAYS),
    terms.Period(60, PeriodUnit.DAYS),
    terms.Period(90, PeriodUnit.DAYS),
    terms.Period(1, PeriodUnit.MONTHS),
    terms.Period(3, PeriodUnit.MONTHS),
)
SOW_TOPICS = (
    "implementation",
    "data migration",
    "process redesign",
    "regional roll-out",
    "integration build",
    "training programme",
)
ORDER_TOPICS = ("additional licences", "premium support", "new site roll-out", "capacity upgrade")
TERMINATION_REASONS = (
    "Repeated service failures; terminated for cause.",
    "Business unit closed; terminated for convenience.",
    "Consolidated with another supplier.",
)


@dataclass
class Timeline:
    """Moments one after another, never reaching the demo's now."""

    ctx: DemoContext
    rng: random.Random
    moment: dt.datetime

    def next(self, *, days: float = 2, at: dt.datetime | None = None) -> dt.datetime:
        """The moment ``at`` (or up to ``days`` later), kept after the last and before now."""
        if at is None:
            spread = max(31, int(days * 1440))
            at = self.moment + dt.timedelta(minutes=self.rng.randint(30, spread))
        latest = self.ctx.now - dt.timedelta(minutes=5)
        self.moment = min(max(at, self.moment + dt.timedelta(minutes=5)), latest)
        return self.moment


@dataclass
class _Planned:
    contract: Contract
    created: dt.datetime
    timeline: Timeline
    moves: list[tuple[str, dt.datetime, str]] = field(default_factory=list)
    approvals: list[tuple[ContractApproval, dt.datetime]] = field(default_factory=list)
    submitted: dt.datetime | None = None


def create_crowd(ctx: DemoContext, rules: list[ApprovalRule], *, skip: set[int]) -> None:
    rng = ctx.rng("contracts.crowd")
    crowd = _Crowd(ctx, rng, rules)
    stages = {plan.pk: plan for plan in ctx.vendors}
    for relationship in ctx.relationships:
        if relationship.pk not in skip:
            crowd.plan(relationship, stages.get(relationship.pk))
    crowd.write()


class _Crowd:
    def __init__(self, ctx: DemoContext, rng: random.Random, rules: list[ApprovalRule]) -> None:
        self.ctx = ctx
        self.rng = rng
        self.rules = rules
        self.today = ctx.today
        self.masters: list[_Planned] = []
        self.children: list[_Planned] = []
        self.number = 0

    # -- deciding

    def plan(self, relationship: Relationship, vendor: VendorPlan | None) -> None:
        """The agreements one relationship has, by where it stands (a vendor by its stage)."""
        rng = self.rng
        supply = relationship.side == Side.SUPPLY
        if supply and vendor is not None:
            running = vendor.stage in RUNNING_STAGES
            early = vendor.stage in EARLY_STAGES
            left = vendor.stage == Stage.OFFBOARDED
            subject = f"{vendor.categories[0].name} agreement" if vendor.categories else ""
        else:
            status = relationship.status
            running = status in (RelationshipStatus.ACTIVE, RelationshipStatus.UNDER_REVIEW)
            early = status == RelationshipStatus.PROSPECT
            left = status == RelationshipStatus.INACTIVE
            subject = ""
        title = subject or ("Master supply agreement" if supply else "Customer master agreement")
        if running and rng.random() < IN_FORCE_CHANCE[relationship.tier]:
            master = self.in_force(relationship, title)
            if supply and rng.random() < 0.25:
                self.dpa(master)
            if rng.random() < 0.3:
                self.work_under(master, supply=supply)
        elif left and rng.random() < 0.5:
            self.ended(relationship, title)
        elif early and rng.random() < 0.3:
            self.nda(relationship)

    def _contract(self, relationship: Relationship, **fields: Any) -> Contract:
        self.number += 1
        prefix = {
            ContractKind.MASTER: "MSA",
            ContractKind.DPA: "DPA",
            ContractKind.STATEMENT_OF_WORK: "SOW",
            ContractKind.ORDER_FORM: "OF",
            ContractKind.NDA: "NDA",
        }[fields["kind"]]
        start = fields.get("start_date") or self.today
        contract = Contract(
            relationship=relationship,
            owner=relationship.owner,
            reference=f"{prefix}-{start:%Y}-{self.number:05d}",
            currency="EUR",
            status=S.DRAFT,
            **fields,
        )
        contract.notice_deadline = notice_deadline_of(contract, self.today)
        return contract

    def _annual(self, low: float, high: float) -> Decimal:
        return Decimal(round(math.exp(self.rng.uniform(math.log(low), math.log(high))), -3))

    def in_force(self, relationship: Relationship, title: str) -> _Planned:
        rng = self.rng
        months = rng.choice((12, 24, 36))
        auto = rng.random() < 0.4
        notice = rng.choice(NOTICES)
        if auto:
            start = self.today - dt.timedelta(days=rng.randint(60, 1500))
            end = terms.current_term(
                start, months, renewal_months=12, auto_renews=True, on=self.today
            ).end
        else:
            start = self.today - dt.timedelta(days=rng.randint(20, months * 30))
            end = terms.end_of_term(start, months)
            while end < self.today + dt.timedelta(days=5):
                start += dt.timedelta(days=30)
                end = terms.end_of_term(start, months)
        annual = self._annual(15_000, 900_000)
        contract = self._contract(
            relationship,
            title=title,
            kind=ContractKind.MASTER,
            annual_value=annual,
            total_value=None if auto else annual * months / 12,
            payment_terms=rng.choice(("30 days net", "45 days net", "60 days net")),
            start_date=start,
            term_months=months,
            end_date=end,
            auto_renews=auto,
            renewal_term_months=12 if auto else None,
            notice_count=notice.count,
            notice_unit=notice.unit,
        )
        planned = self._approved(contract)
        if not auto and (end - self.today).days <= 45 and rng.random() < 0.5:
            self._move(planned, S.EXPIRING, "Term ends soon", days=3)
        self.masters.append(planned)
        return planned

    def dpa(self, master: _Planned) -> None:
        parent = master.contract
        contract = self._contract(
            parent.relationship,
            title="Data processing agreement",
            kind=ContractKind.DPA,
            parent=parent,
            start_date=parent.start_date,
            evergreen=True,
            notice_count=3,
            notice_unit=PeriodUnit.MONTHS,
        )
        self.children.append(self._approved(contract, after=master.created))

    def work_under(self, master: _Planned, *, supply: bool) -> None:
        parent = master.contract
        assert parent.start_date is not None
        start = parent.start_date + dt.timedelta(days=self.rng.randint(30, 400))
        if start >= self.today:
            return
        months = self.rng.choice((6, 9, 12))
        end = terms.end_of_term(start, months)
        topic = self.rng.choice(SOW_TOPICS if supply else ORDER_TOPICS)
        kind = ContractKind.STATEMENT_OF_WORK if supply else ContractKind.ORDER_FORM
        contract = self._contract(
            parent.relationship,
            title=f"{'Statement of work' if supply else 'Order form'}: {topic}",
            kind=kind,
            parent=parent,
            total_value=self._annual(10_000, 200_000),
            start_date=start,
            term_months=months,
            end_date=end,
            notice_count=30,
            notice_unit=PeriodUnit.DAYS,
        )
        planned = self._approved(contract, after=master.created)
        if end < self.today:
            self._move(planned, S.EXPIRED, "Term ended", at=at_hour(end + dt.timedelta(days=1), 7))
        self.children.append(planned)

    def ended(self, relationship: Relationship, title: str) -> None:
        rng = self.rng
        months = rng.choice((12, 24))
        end = self.today - dt.timedelta(days=rng.randint(20, 700))
        start = end + dt.timedelta(days=1) - relativedelta(months=months)
        notice = rng.choice(NOTICES)
        contract = self._contract(
            relationship,
            title=title,
            kind=ContractKind.MASTER,
            annual_value=self._annual(10_000, 300_000),
            start_date=start,
            term_months=months,
            end_date=terms.end_of_term(start, months),
            notice_count=notice.count,
            notice_unit=notice.unit,
        )
        planned = self._approved(contract)
        if rng.random() < 0.4:
            stop = start + dt.timedelta(days=rng.randint(60, max(61, (end - start).days - 10)))
            reason = rng.choice(TERMINATION_REASONS)
            self._move(planned, S.TERMINATED, reason, at=at_hour(stop, 10))
        else:
            self._move(planned, S.EXPIRED, "Term ended", at=at_hour(end + dt.timedelta(days=1), 7))
        self.masters.append(planned)

    def nda(self, relationship: Relationship) -> None:
        start = self.today + dt.timedelta(days=self.rng.randint(5, 40))
        contract = self._contract(
            relationship,
            title="Mutual non-disclosure agreement",
            kind=ContractKind.NDA,
            start_date=start,
            term_months=24,
            end_date=terms.end_of_term(start, 24),
        )
        planned = self._opened(contract, recent=True)
        if self.rng.random() < 0.5:
            self._move(planned, S.IN_NEGOTIATION, "Counterparty's draft received", days=4)
        self.masters.append(planned)

    # -- timelines

    def _opened(
        self, contract: Contract, *, recent: bool = False, after: dt.datetime | None = None
    ) -> _Planned:
        """Recorded a few weeks before it started, or once the relationship (or the master
        agreement) was recorded."""
        rng = self.rng
        known = after or contract.relationship.created_at
        opened = known + dt.timedelta(hours=rng.randint(2, 72))
        if recent:
            opened = max(opened, self.ctx.now - dt.timedelta(days=rng.randint(5, 40)))
        elif contract.start_date is not None:
            lead = at_hour(contract.start_date - dt.timedelta(days=rng.randint(25, 60)), 10)
            opened = max(opened, lead)
        opened = min(opened, self.ctx.now - dt.timedelta(days=1))
        return _Planned(contract, opened, Timeline(self.ctx, rng, opened))

    def _move(self, planned: _Planned, to: str, reason: str, **at: Any) -> dt.datetime:
        moment: dt.datetime = planned.timeline.next(**at)
        planned.moves.append((to, moment, reason))
        return moment

    def _approved(self, contract: Contract, *, after: dt.datetime | None = None) -> _Planned:
        """Submitted, approved under every rule that applies, and active from its start."""
        planned = self._opened(contract, after=after)
        planned.submitted = self._move(planned, S.PENDING_APPROVAL, "", days=6)
        needed = rules_applying(
            kind=contract.kind,
            side=contract.side,
            annual_value=contract.annual_value,
            rules=self.rules,
        )
        for rule in needed:
            approval = ContractApproval(
                contract=contract,
                rule=rule,
                function=rule.function,
                approver=rule.approver,
                round=1,
            )
            planned.approvals.append((approval, planned.timeline.next(days=3)))
        assert contract.start_date is not None
        start = at_hour(contract.start_date - dt.timedelta(days=1), 15)
        self._move(planned, S.ACTIVE, "Signed by both parties", at=start)
        return planned

    # -- writing

    def write(self) -> None:
        # Masters first: the agreements under them point at their primary keys.
        for batch in (self.masters, self.children):
            if batch:
                self._write_batch(batch)

    def _write_batch(self, batch: list[_Planned]) -> None:
        created = {id(p.contract): p.created for p in batch}
        insert(
            self.ctx,
            [p.contract for p in batch],
            by=lambda c: c.owner,
            at=lambda c: created[id(c)],
        )
        self._write_moves(batch)

    def _write_moves(self, batch: list[_Planned]) -> None:
        """Each move in turn: the contract's history, its transition row, and on submission
        the approvals (decided) and the approvers' places as stakeholders."""
        transitions: list[dict[str, Any]] = []
        for step in range(max(len(p.moves) for p in batch)):
            revisions = []
            for planned in batch:
                if step >= len(planned.moves):
                    continue
                contract = planned.contract
                to, moment, reason = planned.moves[step]
                # Plain rows: tens of thousands of model instances cost more than the insert.
                transitions.append(
                    {
                        "id": None,
                        "contract_id": contract.pk,
                        "from_status": contract.status,
                        "to_status": to,
                        "actor_id": contract.owner_id,
                        "at": moment,
                        "reason": reason,
                    }
                )
                history_reason = f"{contract.status} → {to}: {reason}"[:100]
                revisions.append(
                    Revision(contract, {"status": to}, moment, contract.owner, history_reason)
                )
            revise(self.ctx, revisions)
            if step == 0:
                self._write_approvals(batch)
        insert_rows(ContractTransition, transitions)
        self.ctx.counts[ContractTransition._meta.label] += len(transitions)

    def _write_approvals(self, batch: list[_Planned]) -> None:
        submitted = {id(p.contract): p.submitted for p in batch if p.submitted is not None}
        decided_at = {id(a): moment for p in batch for a, moment in p.approvals}
        approvals = [a for p in batch for a, _ in p.approvals]
        insert(
            self.ctx,
            approvals,
            by=lambda a: a.contract.owner,
            at=lambda a: submitted[id(a.contract)],
            reason="Approval round 1",
        )
        stakeholders = [
            ContractStakeholder(
                contract=a.contract,
                user=a.approver,
                role=a.function,  # legal, finance, IT security: a team role of the same name
                access=Access.REVIEW,
            )
            for a in approvals
            if a.approver_id != a.contract.owner_id
        ]
        insert(
            self.ctx,
            stakeholders,
            by=lambda s: s.contract.owner,
            at=lambda s: submitted[id(s.contract)],
            reason="Added as approver",
        )
        revise(
            self.ctx,
            [
                Revision(
                    a,
                    {
                        "decision": Decision.APPROVED,
                        "decided_at": decided_at[id(a)],
                        "comment": "Approved.",
                    },
                    decided_at[id(a)],
                    a.approver,
                    "Approved",
                )
                for a in approvals
            ],
        )
