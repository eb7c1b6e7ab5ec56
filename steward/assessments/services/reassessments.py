"""Reassessments by tier: a draft assessment for every vendor whose next assessment falls due.

The tier's policy gives the depth; the newest published template of that depth is used, and
until the library has a standard or full questionnaire the next lighter one stands in (Steward
ships a lightweight review only). Vendors of depth "none" get no questionnaire.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from steward.assessments import assessments_lifecycle
from steward.assessments.models import Assessment, TemplateVersion
from steward.assessments.services.templates import published_version_for
from steward.core.services import create_record
from steward.risk.choices import Depth
from steward.risk.models import RiskProfile

# How far ahead a due reassessment is drafted.
LEAD_DAYS = 30
# Which depths stand in for a depth the library has no template for yet, deepest first.
FALLBACK: dict[str, tuple[str, ...]] = {
    Depth.FULL: (Depth.FULL, Depth.STANDARD, Depth.LIGHT),
    Depth.STANDARD: (Depth.STANDARD, Depth.LIGHT),
    Depth.LIGHT: (Depth.LIGHT,),
    Depth.NONE: (),
}


def version_for_depth(depth: str) -> TemplateVersion | None:
    for candidate in FALLBACK.get(depth, ()):
        version = published_version_for(candidate)
        if version is not None:
            return version
    return None


def reassessments_due(*, today: dt.date) -> list[RiskProfile]:
    """Profiles due within LEAD_DAYS (or past due) whose vendor has no open assessment."""
    open_assessment = Assessment.objects.filter(
        supplier_id=OuterRef("supplier_id"),
        status__in=assessments_lifecycle.OPEN,
        archived_at__isnull=True,
    )
    return list(
        RiskProfile.objects.filter(
            next_assessment_due__lte=today + dt.timedelta(days=LEAD_DAYS),
            supplier__archived_at__isnull=True,
        )
        .exclude(Exists(open_assessment))
        .select_related("supplier__relationship")
        .order_by("next_assessment_due", "pk")
    )


def reassessments_schedule(*, today: dt.date, actor: Any = None) -> list[Assessment]:
    """Draft the due reassessments, assigned to each vendor's owner; safe to run again."""
    made: list[Assessment] = []
    versions: dict[str, TemplateVersion | None] = {}
    for profile in reassessments_due(today=today):
        depth = profile.policy.depth
        if depth not in versions:
            versions[depth] = version_for_depth(depth)
        version = versions[depth]
        if version is None:
            continue
        with transaction.atomic():
            # Another run may have drafted it meanwhile: the vendor's row serializes the check.
            type(profile.supplier).objects.select_for_update().filter(pk=profile.pk).first()
            if Assessment.objects.filter(
                supplier_id=profile.pk, status__in=assessments_lifecycle.OPEN
            ).exists():
                continue
            made.append(
                create_record(
                    Assessment(
                        supplier=profile.supplier,
                        template_version=version,
                        owner=profile.supplier.relationship.owner,
                        due_on=max(profile.next_assessment_due or today, today),
                    ),
                    actor=actor,
                    reason=f"Reassessment due (tier {profile.tier})",
                )
            )
    return made
