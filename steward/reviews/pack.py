"""The review pack: the agenda as the meeting saw it, the minutes, decisions and action items,
rendered to PDF for sharing with the counterparty.

HTML to PDF through xhtml2pdf; the template carries its own plain CSS and fetches nothing.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils import timezone
from xhtml2pdf import pisa

from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.reviews.agenda import action_owner_name
from steward.reviews.models import BusinessReview

PACK_TEMPLATE = "reviews/review_pack.html"


def _refuse_links(uri: str, rel: str) -> str:
    """Nothing outside the document is read while rendering, whatever the text contains."""
    return ""


def review_pack_html(review: BusinessReview) -> str:
    decisions = review.decisions.filter(archived_at__isnull=True).select_related("recorded_by")
    actions = (
        review.action_items.filter(archived_at__isnull=True)
        .select_related("owner", "owner_contact")
        .order_by("due_on", "pk")
    )
    context = {
        "review": review,
        "relationship": review.relationship,
        "owner_name": person_name(review.owner),
        "attendees": [person_name(p) for p in review.attendees.all()],
        "contacts": [str(c) for c in review.contacts.all()],
        "sections": review.agenda or [],
        "decisions": list(decisions.order_by("pk")),
        "actions": [(a, action_owner_name(a)) for a in actions],
        "today": timezone.localdate(),
        "generated_at": timezone.localtime(),
    }
    return render_to_string(PACK_TEMPLATE, context)


def review_pack_pdf(review: BusinessReview) -> bytes:
    """The review's pack as PDF bytes."""
    output = io.BytesIO()
    result = pisa.CreatePDF(review_pack_html(review), dest=output, link_callback=_refuse_links)
    if result.err:
        raise DomainError("The review pack could not be rendered.", code="pack_failed")
    return output.getvalue()


def review_pack_filename(review: BusinessReview) -> str:
    """e.g. ``review-aurora-metals-2026-05-14.pdf``: the counterparty and the review's day."""
    name = re.sub(r"[^a-z0-9]+", "-", review.relationship.organization.display_name.lower())
    day = review.held_on or review.scheduled_on
    return f"review-{name.strip('-') or 'relationship'}-{day:%Y-%m-%d}.pdf"
