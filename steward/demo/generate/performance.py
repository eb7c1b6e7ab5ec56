"""Measured performance: issues and their escalation, a year of scorecards, business reviews.

The story runs through the services at the moments it happened (``story_clock``), so periods are
closed, surveys answered, issues escalated and reviews held the way people and the background
jobs would have done it:

- the demo vendor manager's main vendor (the one whose master agreement has a breach last month
  and a notice deadline next month) slides quarter by quarter from "good" into "poor"; closing
  the last quarter required an improvement plan and told the owner's manager;
- one of its issues was never acknowledged and climbed the escalation ladder;
- its last business review left actions that are now overdue, and the next one is planned with
  its agenda prepared;
- the stakeholder survey of the current quarter waits for the reviewers.

Every other relationship gets a measurement or two per quarter in bulk (as an import would bring
them), and every customer its people's CSAT and NPS answers, so every card, the heat map and the
rankings have numbers; the closes themselves are the
set-based engine, whatever the size.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from steward.contracts.models import SlaBreach
from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.vendor_plan import at_hour
from steward.demo.generate.writes import insert
from steward.issues.choices import IssueStatus, Severity
from steward.issues.models import Issue
from steward.issues.services import (
    escalation_level_add,
    issue_open,
    issue_open_for_breach,
    issue_transition,
    issues_escalate_overdue,
)
from steward.parties.choices import RelationshipStatus, Side
from steward.parties.models import Contact, Relationship
from steward.reviews.choices import ActionSide
from steward.reviews.models import BusinessReview
from steward.reviews.services_reviews import (
    action_item_add,
    action_item_complete,
    review_decision_add,
    review_prepare_agenda,
    review_record,
    review_schedule,
)
from steward.satisfaction.choices import ResponseChannel
from steward.satisfaction.models import SatisfactionResponse
from steward.scorecards.choices import MeasurementSource
from steward.scorecards.models import (
    Measurement,
    Scorecard,
    ScorecardPeriod,
    ScorecardTemplate,
)
from steward.scorecards.models.inputs import SurveyResponse
from steward.scorecards.services.periods import period_close, period_open, period_score
from steward.scorecards.services.surveys import survey_answer, surveys_close, surveys_send
from steward.scorecards.services.templates import period_bounds, templates_ensure_defaults
from steward.suppliers.choices import Stage

QUARTERS = 4  # closed quarters before the current one
# How well the sliding vendor does, quarter by quarter (oldest first, then the current one).
SLIDE = (Decimal("0.82"), Decimal("0.62"), Decimal("0.45"), Decimal("0.25"), Decimal("0.30"))
SURVEY_RATINGS = (4, 3, 3, 2, 2)  # what its stakeholders said of it, in the same quarters


def _quality(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(45, 98)) / 100


def _noise(rng: random.Random, spread: int) -> Decimal:
    return Decimal(rng.randint(-spread, spread)) / 10


def _clip(value: Decimal, low: str, high: str) -> Decimal:
    return min(Decimal(high), max(Decimal(low), value)).quantize(Decimal("0.1"))


# What a measure reads for a relationship doing ``q`` well (0 poor, 1 excellent).
VENDOR_MEASURES = {
    "on_time_delivery_pct": lambda q, n: _clip(78 + 21 * q + n, "50", "100"),
    "defect_rate_pct": lambda q, n: _clip(6 - Decimal("5.6") * q + n / 4, "0", "20"),
    "invoice_accuracy_pct": lambda q, n: _clip(88 + 12 * q + n / 2, "70", "100"),
    "price_variance_pct": lambda q, n: _clip(11 - 11 * q + n / 2, "0", "25"),
}
ACCOUNT_MEASURES = {
    "usage_pct": lambda q, n: _clip(30 + 65 * q + n, "0", "100"),
}
# What a customer's people answer when it is doing ``q`` well: (kind, lowest, highest, score).
SURVEY_SCORES = (
    ("nps", 0, 10, lambda q, n: 3 + 8 * q + n),
    ("csat", 1, 5, lambda q, n: 1 + 4 * q + n / 2),
)
RESPONDENTS = 3  # customer people asked each quarter


class _Performance:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("performance")
        self.survey_rng = ctx.rng("performance-surveys")
        self.admin = ctx.users["admin"][0]
        self.lead = ctx.users["senior_vendor_manager"][0]
        current, _ = period_bounds("quarterly", ctx.today)
        starts = [current]
        for _ in range(QUARTERS):
            starts.insert(0, period_bounds("quarterly", starts[0] - dt.timedelta(days=1))[0])
        self.quarter_starts = starts

    # -- who plays which part

    def slider(self) -> Relationship:
        """The demo vendor manager's main vendor, as the contract story chose it."""
        lead = self.lead

        def preference(plan: Any) -> int:
            if plan.owner.pk == lead.pk:
                return 0
            return 1 if plan.owner.profile.manager_id == lead.pk else 2

        running = sorted((p for p in self.ctx.vendors if p.stage == Stage.ACTIVE), key=preference)
        return running[0].relationship

    def customer(self) -> Relationship | None:
        account_manager = self.ctx.users["account_manager"][0]
        accounts = sorted(
            (
                r
                for r in self.ctx.relationships
                if r.side == Side.DEMAND and r.status == RelationshipStatus.ACTIVE
            ),
            key=lambda r: (r.owner_id != account_manager.pk, r.pk),
        )
        return accounts[0] if accounts else None

    def live(self) -> list[Relationship]:
        return [r for r in self.ctx.relationships if r.status == RelationshipStatus.ACTIVE]

    # -- issues and their ladder

    def breach_issues(self) -> None:
        """The issue each SLA breach opened, at the moment the breach was found (the listener
        would open it only when the whole load commits, stamped with the wall clock)."""
        open_breaches = SlaBreach.objects.filter(
            cleared_at__isnull=True, issue__isnull=True
        ).order_by("opened_at", "pk")
        for breach in open_breaches:
            with story_clock(breach.opened_at + dt.timedelta(minutes=1)):
                issue_open_for_breach(breach)

    def ladder(self, relationship: Relationship, moment: dt.datetime) -> None:
        owner = relationship.owner
        manager = owner.profile.manager or self.lead
        contact = Contact.objects.filter(organization_id=relationship.organization_id).first()
        with story_clock(moment):
            escalation_level_add(
                actor=owner,
                relationship=relationship,
                level=1,
                name="Relationship owner",
                internal_contact=owner,
                counterparty_contact=contact,
                after_hours=0,
            )
            escalation_level_add(
                actor=owner,
                relationship=relationship,
                level=2,
                name="Head of the function",
                internal_contact=manager,
                after_hours=24,
            )

    def issues(self, slider: Relationship, customer: Relationship | None) -> Issue:
        ctx = self.ctx
        owner = slider.owner
        self.ladder(slider, ctx.now - dt.timedelta(days=400))
        # Earlier quarters: issues resolved, later and later.
        for index, start in enumerate(self.quarter_starts[:-1]):
            opened = at_hour(start + dt.timedelta(days=20), 10)
            with story_clock(opened):
                issue = issue_open(
                    actor=owner,
                    relationship=slider,
                    title=ISSUE_TITLES[index % len(ISSUE_TITLES)],
                    category="delivery" if index % 2 else "quality",
                    severity=Severity.MEDIUM,
                )
            with story_clock(opened + dt.timedelta(hours=6)):
                issue_transition(actor=owner, issue=issue, to=IssueStatus.ACKNOWLEDGED)
            resolved = opened + dt.timedelta(days=2 + 6 * index)
            with story_clock(resolved):
                issue_transition(
                    actor=owner,
                    issue=issue,
                    to=IssueStatus.RESOLVED,
                    root_cause="Capacity at the vendor's service desk fell short of demand.",
                    corrective_action="Extra staff on the desk and a weekly review of the backlog.",
                )
        # This quarter: a critical outage nobody at the vendor acknowledged; the job escalated it.
        opened = ctx.now - dt.timedelta(days=4, hours=3)
        with story_clock(opened):
            escalated = issue_open(
                actor=owner,
                relationship=slider,
                title="Service desk unreachable for two days",
                category="service",
                severity=Severity.CRITICAL,
                description="Tickets raised on Monday and Tuesday went unanswered; three sites "
                "had no support.",
            )
        for hours in (6, 30):
            with story_clock(opened + dt.timedelta(hours=hours)):
                issues_escalate_overdue(now=opened + dt.timedelta(hours=hours))
        if customer is not None:
            with story_clock(ctx.now - dt.timedelta(days=6)):
                problem = issue_open(
                    actor=customer.owner,
                    relationship=customer,
                    title="Reports arrive late at month end",
                    category="service",
                    severity=Severity.HIGH,
                )
            with story_clock(ctx.now - dt.timedelta(days=5)):
                issue_transition(actor=customer.owner, issue=problem, to=IssueStatus.IN_PROGRESS)
        return escalated

    # -- scorecards

    def measurements(self, start: dt.date, index: int, slider: Relationship) -> None:
        """One reading per measure in the quarter for the crowd, monthly for the slider."""
        ctx, rng = self.ctx, self.rng
        rows = []
        for relationship in self.live():
            measures = VENDOR_MEASURES if relationship.side == Side.SUPPLY else ACCOUNT_MEASURES
            months: tuple[int, ...]
            if relationship.pk == slider.pk:
                quality, months = SLIDE[index], (5, 35, 65)
            else:
                quality, months = self.quality_of(relationship), (40,)
            for days in months:
                day = start + dt.timedelta(days=days)
                if day >= ctx.today:
                    continue
                for key, reading in measures.items():
                    rows.append(
                        Measurement(
                            relationship=relationship,
                            measure=key,
                            measured_on=day,
                            value=reading(quality, _noise(rng, 20)),
                            source=MeasurementSource.IMPORT,
                            entered_by=relationship.owner,
                        )
                    )
        insert(
            ctx,
            rows,
            by=lambda m: m.entered_by,
            at=lambda m: at_hour(m.measured_on, 18),
        )
        contacts = self.contacts_by_organization()
        answers = [
            answer
            for relationship in self.live()
            if relationship.side == Side.DEMAND
            for answer in self.survey_responses(relationship, start, contacts)
        ]
        insert(ctx, answers, by=lambda r: r.entered_by, at=lambda r: at_hour(r.answered_on, 17))

    def contacts_by_organization(self) -> dict[int, list[Contact]]:
        if self._contacts is None:
            self._contacts = {}
            for contact in Contact.objects.filter(archived_at__isnull=True).order_by("pk"):
                self._contacts.setdefault(contact.organization_id, []).append(contact)
        return self._contacts

    _contacts: dict[int, list[Contact]] | None = None

    def survey_responses(
        self, account: Relationship, start: dt.date, contacts: dict[int, list[Contact]]
    ) -> list[SatisfactionResponse]:
        """A quarter's CSAT and NPS answers of the account's first people, imported as the
        survey tool exports them; the shipped "Customer health" template scores them."""
        quality = self.quality_of(account)
        answers = []
        for offset, contact in enumerate(contacts.get(account.organization_id, [])[:RESPONDENTS]):
            day = start + dt.timedelta(days=40 + offset)
            if day >= self.ctx.today:
                continue
            for kind, lowest, highest, score in SURVEY_SCORES:
                value = round(score(quality, _noise(self.survey_rng, 15)))
                answers.append(
                    SatisfactionResponse(
                        relationship=account,
                        contact=contact,
                        respondent_email=contact.email.lower(),
                        kind=kind,
                        score=max(lowest, min(highest, value)),
                        answered_on=day,
                        channel=ResponseChannel.IMPORTED,
                        entered_by=account.owner,
                    )
                )
        return answers

    def quality_of(self, relationship: Relationship) -> Decimal:
        cached = self._qualities.get(relationship.pk)
        if cached is None:
            cached = self._qualities[relationship.pk] = _quality(self.rng)
        return cached

    _qualities: dict[int, Decimal]

    def answer_survey(self, period: ScorecardPeriod, slider: Relationship, rating: int) -> None:
        """The slider's stakeholders answer; everyone else's survey goes unanswered (no data)."""
        responses = SurveyResponse.objects.filter(
            survey__period=period, survey__relationship=slider
        ).select_related("respondent")
        for offset, response in enumerate(responses):
            survey_answer(
                actor=response.respondent,
                response=response,
                rating=max(1, min(5, rating + (offset % 2))),
                comment=SURVEY_COMMENTS[rating - 1],
            )

    def scorecards(self, slider: Relationship) -> list[ScorecardPeriod]:
        self._qualities = {}
        ctx = self.ctx
        templates_ensure_defaults(self.admin)
        periods = []
        for template in ScorecardTemplate.objects.filter(is_default=True).order_by("pk"):
            for index, start in enumerate(self.quarter_starts):
                _, end = period_bounds(template.period_kind, start)
                current = index == len(self.quarter_starts) - 1
                sent = min(end - dt.timedelta(days=14), ctx.today - dt.timedelta(days=1))
                with story_clock(at_hour(sent, 9)):
                    period = period_open(template=template, starts_on=start)
                    surveys_send(period=period)
                if template.side == Side.SUPPLY:
                    self.measurements(start, index, slider)
                    with story_clock(at_hour(sent + dt.timedelta(days=2), 11)):
                        self.answer_survey(period, slider, SURVEY_RATINGS[index])
                if current:
                    with story_clock(ctx.now - dt.timedelta(hours=3)):
                        period_score(period=period)
                else:
                    with story_clock(at_hour(end + dt.timedelta(days=1), 4)):
                        period_close(period=period)
                        surveys_close(today=end + dt.timedelta(days=1))
                periods.append(period)
        return periods

    # -- business reviews

    def reviews(self, slider: Relationship, customer: Relationship | None) -> None:
        ctx = self.ctx
        owner = slider.owner
        contact = Contact.objects.filter(organization_id=slider.organization_id).first()
        held_on = ctx.today - dt.timedelta(days=42)
        with story_clock(at_hour(held_on - dt.timedelta(days=21), 9)):
            review = review_schedule(actor=owner, relationship=slider, scheduled_on=held_on)
        with story_clock(at_hour(held_on - dt.timedelta(days=2), 9)):
            review_prepare_agenda(actor=owner, review=review)
        with story_clock(at_hour(held_on, 16)):
            review_record(
                actor=owner,
                review=review,
                held_on=held_on,
                minutes=REVIEW_MINUTES,
                contacts=[contact] if contact else None,
            )
            review_decision_add(actor=owner, review=review, text=REVIEW_DECISION)
            actions = [
                action_item_add(
                    actor=owner,
                    review=review,
                    title=title,
                    due_on=held_on + dt.timedelta(days=days),
                    side=side,
                    owner=owner if side == ActionSide.OURS else None,
                    owner_contact=contact if side == ActionSide.THEIRS else None,
                )
                for title, days, side in REVIEW_ACTIONS
                if side == ActionSide.OURS or contact is not None
            ]
        with story_clock(at_hour(held_on + dt.timedelta(days=9), 10)):
            action_item_complete(actor=owner, action_item=actions[0], note="Sent on time.")
        upcoming = ctx.today + dt.timedelta(days=14)
        with story_clock(ctx.now - dt.timedelta(hours=5)):
            nxt = review_schedule(actor=owner, relationship=slider, scheduled_on=upcoming)
            review_prepare_agenda(actor=owner, review=nxt)
        if customer is not None:
            with story_clock(ctx.now - dt.timedelta(days=3)):
                account_review = review_schedule(
                    actor=customer.owner,
                    relationship=customer,
                    scheduled_on=ctx.today + dt.timedelta(days=7),
                )
                review_prepare_agenda(actor=customer.owner, review=account_review)


ISSUE_TITLES = (
    "Batch of laptops delivered with the wrong keyboard layout",
    "Deliveries to the Lyon warehouse a week late",
    "Invoice lines billed twice",
    "Replacement parts out of stock for three weeks",
)
SURVEY_COMMENTS = (
    "Hard to reach and slow to fix anything.",
    "Promises more than it delivers lately.",
    "Adequate, nothing more.",
    "Reliable and easy to work with.",
    "A real partner; brings ideas to us.",
)
REVIEW_MINUTES = (
    "On-time delivery fell for the third quarter running and two SLA periods were missed. "
    "The vendor attributes it to staff turnover at its service desk and committed to a recovery "
    "plan. We asked for weekly reporting until the scorecard is back above 70."
)
REVIEW_DECISION = "Weekly service reports until two consecutive months meet every SLA."
REVIEW_ACTIONS = (
    ("Send the SLA credit claim for last month", 7, ActionSide.OURS),
    ("Deliver a staffing plan for the service desk", 14, ActionSide.THEIRS),
    ("Agree the recovery milestones with procurement", 21, ActionSide.OURS),
    ("Share root-cause reports for the last three incidents", 28, ActionSide.THEIRS),
)


def create_performance(ctx: DemoContext) -> None:
    """Issues first (the cards count them), then the quarters' cards, then the reviews."""
    story = _Performance(ctx)
    story.breach_issues()
    slider = story.slider()
    customer = story.customer()
    story.issues(slider, customer)
    story.scorecards(slider)
    story.reviews(slider, customer)
    # The services wrote these one by one; the load summary counts them here.
    for model in (Issue, Scorecard, BusinessReview):
        ctx.counts[model._meta.label] = model.objects.count()


def describe_logins(ctx: DemoContext) -> None:
    for login in ctx.logins:
        if login.username == "vendor.manager":
            index = ctx.logins.index(login)
            ctx.logins[index] = DemoLogin(
                login.role,
                login.username,
                login.sees + "; a vendor sliding into “poor” with an improvement plan, an "
                "escalated issue and a review whose actions are overdue",
            )
        if login.username == "reviewer.legal":
            index = ctx.logins.index(login)
            ctx.logins[index] = DemoLogin(
                login.role,
                login.username,
                login.sees + "; this quarter's stakeholder survey to answer",
            )
