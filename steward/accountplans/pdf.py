"""The customer's copy of a plan, as PDF: only customer-visible sections and rows.

Built from ``selectors.customer_view``, which never carries sentiment, coverage, notes, the
standard's score or the computed (internal) figures; the template sees nothing else.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from xhtml2pdf import pisa

from steward.accountplans.models import AccountPlan
from steward.accountplans.sections import plan_sections
from steward.accountplans.selectors import customer_view
from steward.core.errors import DomainError

PDF_TEMPLATE = "accountplans/plan_pdf.html"


def _refuse_links(uri: str, rel: str) -> str:
    """Nothing outside the document is read while rendering, whatever the text contains."""
    return ""


def _shared_sections(plan: AccountPlan, user: Any) -> list[dict[str, Any]]:
    """The computed sections the plan shares with the customer, margins left out."""
    today = timezone.localdate()
    return [
        {"section": section, "for_customer": True, **section.compute(plan, user, today)}
        for section in plan_sections()
        if section.key in plan.shared_live_sections
    ]


def plan_pdf_html(plan: AccountPlan, user: Any) -> str:
    context = {
        "plan": plan,
        "organization": plan.relationship.organization.display_name,
        "generated_on": timezone.localdate(),
        "live": _shared_sections(plan, user),
        **customer_view(plan),
    }
    return render_to_string(PDF_TEMPLATE, context)


def plan_pdf(plan: AccountPlan, user: Any) -> bytes:
    output = io.BytesIO()
    result = pisa.CreatePDF(plan_pdf_html(plan, user), dest=output, link_callback=_refuse_links)
    if result.err:
        raise DomainError("The plan could not be rendered.", code="pdf_failed")
    return output.getvalue()


def plan_pdf_filename(plan: AccountPlan) -> str:
    """e.g. ``account-plan-aurora-metals-2026-01-01.pdf``."""
    name = re.sub(r"[^a-z0-9]+", "-", plan.relationship.organization.display_name.lower())
    return f"account-plan-{name.strip('-') or 'account'}-{plan.starts_on:%Y-%m-%d}.pdf"
