"""Security assessments: four vendors with portal users, each at a different point of the flow.

Runs after the risk step (and the vendors and portal users). Every assessment is on the
lightweight review Steward ships, and every write goes through the assessments services at a
moment of the story (``story_clock``), so the history reads as people would have left it:

- **completed** two months ago: answered by the vendor's portal user with evidence, reviewed
  by IT security (one answer rejected, one a compliant-looking gap), scored, its gaps raised as
  findings with remediation dates;
- **sent** last week and open: the vendor's portal user has answered a few questions;
- **submitted** three days ago, awaiting IT security's review;
- **overdue**: sent six weeks ago, due ten days ago, not answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from steward.assessments import services
from steward.assessments.choices import AnswerType, Verdict
from steward.assessments.models import Answer, Assessment, Question, TemplateVersion
from steward.assessments.services.reassessments import version_for_depth
from steward.demo.generate.context import DemoContext
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.vendor_plan import at_hour
from steward.risk.choices import Depth
from steward.suppliers.models import Supplier

# What a careful vendor answers; the completed story changes a few of these into gaps.
GOOD_ANSWERS: dict[str, Any] = {
    "GV-3": ["ISO/IEC 27001"],
    "AC-2": "Quarterly or more often",
    "DP-2": ["European Economic Area"],
    "VM-2": "14",
    "IR-2": "Within 24 hours",
    "IR-3": "None that affected customers in the last three years.",
    "BC-3": "2025-03-14",
}
GAPS: dict[str, Any] = {"AC-2": "Yearly", "VM-1": "no"}
REJECTED = {"BC-2": "The attached plan does not cover the service you provide us."}


def _evidence(ref: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% Evidence for {ref}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{ref.lower()}-evidence.pdf", body, content_type="application/pdf")


def _value(question: Question, overrides: dict[str, Any]) -> Any:
    if question.ref in overrides:
        return overrides[question.ref]
    if question.ref in GOOD_ANSWERS:
        return GOOD_ANSWERS[question.ref]
    return "yes" if question.answer_type == AnswerType.YES_NO else "Yes"


def create_assessments(ctx: DemoContext) -> None:
    version = version_for_depth(Depth.LIGHT)
    portal_users = ctx.users.get("portal", [])
    if version is None or not portal_users:
        return
    story = _Assessments(ctx, version)
    vendors = story.vendors_with_portal_users(portal_users)
    # The small demo has three vendors with portal users: the open one is the story left out.
    plots = [story.completed, story.overdue, story.submitted, story.open]
    for plot, (supplier, portal_user) in zip(plots, vendors, strict=False):
        plot(supplier, portal_user)


class _Assessments:
    def __init__(self, ctx: DemoContext, version: TemplateVersion) -> None:
        self.ctx = ctx
        self.version = version
        self.secops = (ctx.users.get("reviewer_it_security") or ctx.users["admin"])[0]
        self.questions = list(
            Question.objects.filter(section__template_version=version).order_by(
                "section__order", "order"
            )
        )

    def moment(self, days_ago: int, hour: int = 10) -> dt.datetime:
        day = self.ctx.today - dt.timedelta(days=days_ago)
        return min(at_hour(day, hour), self.ctx.now - dt.timedelta(hours=1))

    def vendors_with_portal_users(self, portal_users: list[Any]) -> list[tuple[Supplier, Any]]:
        by_org: dict[int, Any] = {}
        for user in portal_users:
            by_org.setdefault(user.profile.organization_id, user)
        suppliers = Supplier.objects.filter(
            relationship__organization_id__in=by_org, archived_at__isnull=True
        ).select_related("relationship")
        return [(s, by_org[s.relationship.organization_id]) for s in suppliers.order_by("pk")]

    def send(self, supplier: Supplier, *, days_ago: int, due_in: int) -> Assessment:
        owner = supplier.relationship.owner
        with story_clock(self.moment(days_ago, 9)):
            draft = services.assessment_create(
                actor=owner, supplier=supplier, template_version=self.version
            )
            return services.assessment_send(
                actor=owner,
                assessment=draft,
                due_on=self.ctx.today - dt.timedelta(days=days_ago - due_in),
            )

    def answer(
        self,
        assessment: Assessment,
        portal_user: Any,
        *,
        days_ago: int,
        overrides: dict[str, Any] | None = None,
        limit: int | None = None,
    ) -> None:
        with story_clock(self.moment(days_ago, 14)):
            for question in self.questions[:limit]:
                services.answer_save(
                    actor=portal_user,
                    assessment=assessment,
                    question=question,
                    value=_value(question, overrides or {}),
                )
                if question.evidence_required and limit is None:
                    services.evidence_add(
                        actor=portal_user,
                        assessment=assessment,
                        question=question,
                        upload=_evidence(question.ref),
                    )

    def submit(self, assessment: Assessment, portal_user: Any, *, days_ago: int) -> Assessment:
        with story_clock(self.moment(days_ago, 16)):
            return services.assessment_submit(actor=portal_user, assessment=assessment)

    def completed(self, supplier: Supplier, portal_user: Any) -> None:
        assessment = self.send(supplier, days_ago=75, due_in=30)
        self.answer(assessment, portal_user, days_ago=65, overrides=GAPS)
        assessment = self.submit(assessment, portal_user, days_ago=64)
        with story_clock(self.moment(60, 11)):
            for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
                note = REJECTED.get(answer.question.ref, "")
                services.answer_review(
                    actor=self.secops,
                    answer=answer,
                    verdict=Verdict.REJECTED if note else Verdict.ACCEPTED,
                    note=note,
                )
            services.assessment_complete(actor=self.secops, assessment=assessment)

    def open(self, supplier: Supplier, portal_user: Any) -> None:
        assessment = self.send(supplier, days_ago=7, due_in=21)
        self.answer(assessment, portal_user, days_ago=2, limit=6)

    def submitted(self, supplier: Supplier, portal_user: Any) -> None:
        assessment = self.send(supplier, days_ago=20, due_in=30)
        self.answer(assessment, portal_user, days_ago=4)
        self.submit(assessment, portal_user, days_ago=3)

    def overdue(self, supplier: Supplier, portal_user: Any) -> None:
        self.send(supplier, days_ago=42, due_in=32)
