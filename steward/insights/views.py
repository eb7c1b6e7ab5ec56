from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from steward.core.access import principal_for
from steward.core.registry import portal_sections
from steward.insights import selectors
from steward.parties import selectors as parties
from steward.portal.services import has_second_factor
from steward.suppliers import selectors as suppliers
from steward.suppliers.models import Supplier


def _portal_home(request: HttpRequest, user: Any) -> HttpResponse:
    """A portal user's start: their organization and every block the apps register for it."""
    organization = parties.organization_list(user=user).first()
    sections = []
    if organization is not None:
        for section in portal_sections():
            count = section.count(user)
            body = render_to_string(section.template, section.context(user), request=request)
            sections.append({"section": section, "count": count, "body": body})
    context: dict[str, Any] = {
        "organization": organization,
        "sites": parties.site_list(user=user),
        "contacts": parties.contact_list(user=user),
        "documents": parties.document_list(user=user, organization=organization)
        if organization
        else [],
        "sections": [entry for entry in sections if entry["count"]],
        "has_second_factor": has_second_factor(user),
    }
    return render(request, "insights/home_portal.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One start page, shaped by role: portal, administrator, auditor, manager, owner."""
    user = request.user
    principal = principal_for(user)
    today = timezone.localdate()
    if principal.is_external:
        return _portal_home(request, user)
    context = {
        "today": today,
        "my_relationships": parties.my_relationships(user=user).annotate(
            is_vendor=Exists(Supplier.objects.filter(pk=OuterRef("pk")))
        )[:25],
        "vendor_attention": suppliers.attention_for_owner(user=user),
        "due": selectors.due_soon(user=user, today=today),
        "team": selectors.team_rollup(user=user, principal=principal),
        "is_manager": bool(principal.report_ids),
        "is_admin": principal.is_admin,
        "is_auditor": principal.is_auditor,
    }
    if principal.is_admin or principal.is_auditor:
        context["overview"] = selectors.system_overview()
        context["recent"] = selectors.recent_changes()
    return render(request, "insights/home.html", context)
