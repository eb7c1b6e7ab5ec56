"""The pre-visit brief as PDF, rendered like the account plan's PDF (xhtml2pdf), from the same
``VisitBrief`` the page shows: what the user may see, nothing read from outside the document."""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from xhtml2pdf import pisa

from steward.core.errors import DomainError
from steward.visits.selectors import VisitBrief

PDF_TEMPLATE = "visits/brief_pdf.html"


def _refuse_links(uri: str, rel: str) -> str:
    """Nothing outside the document is read while rendering, whatever the text contains."""
    return ""


def brief_pdf(brief: VisitBrief) -> bytes:
    html = render_to_string(PDF_TEMPLATE, {"brief": brief})
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, link_callback=_refuse_links)
    if result.err:
        raise DomainError("The brief could not be rendered.", code="pdf_failed")
    return output.getvalue()


def brief_pdf_filename(brief: VisitBrief) -> str:
    """e.g. ``visit-brief-aurora-metals-2026-11-27.pdf``."""
    name = str(brief.account.organization.display_name)
    if brief.location is not None:
        name = f"{name} {brief.location.name}"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "account"
    return f"visit-brief-{slug}-{brief.today:%Y-%m-%d}.pdf"
