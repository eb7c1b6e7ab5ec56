"""A vendor's risk tab (its tier, the sections other apps add, its register, findings and
fourth parties), the tiering intake and the fourth-party forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from steward.core.access import Action, allows, can_create
from steward.core.charts import chart_page
from steward.core.errors import DomainError
from steward.core.ui import run_form_service
from steward.risk import panels, selectors, services
from steward.risk.choices import Depth
from steward.risk.forms import RiskProfileForm, SubcontractorForm
from steward.risk.models import Risk, Subcontractor
from steward.suppliers.models import Supplier


def _tab_url(supplier: Supplier) -> str:
    return reverse("risk:vendor-risk", args=[supplier.pk])


def risk_tab_context(request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
    user, today = request.user, timezone.localdate()
    profile = selectors.risk_profile_for(user=user, supplier=supplier)
    sections = []
    for section in panels.vendor_sections():
        html = render_to_string(
            section.template, section.context(user, supplier, today), request=request
        )
        sections.append({"name": section.name, "title": section.title, "html": mark_safe(html)})  # noqa: S308 - rendered by Django templates, escaped
    works_all = selectors.works_every_vendor(user=user)
    may_change = (works_all or allows(user, Action.CHANGE, supplier)) and not supplier.is_archived
    return {
        "risk": {
            "profile": profile,
            "overdue": profile is not None and profile.is_overdue(today),
            "depth": Depth(profile.policy.depth).label if profile else "",
            "sections": sections,
            "risks": selectors.relationship_risks(user=user, relationship_id=supplier.pk),
            "findings": selectors.supplier_findings(user=user, supplier=supplier),
            "tree": selectors.subcontractor_tree(user=user, supplier=supplier),
            "can_intake": may_change,
            "can_add_risk": may_change and can_create(user, Risk, parent=supplier.relationship),
            "can_add_link": may_change and can_create(user, Subcontractor, parent=supplier),
        }
    }


@chart_page
@login_required
def vendor_risk(request: HttpRequest, supplier_pk: int) -> HttpResponse:
    """The risk tab's content as a page of its own: IT security works every vendor's risk
    records, also of vendors whose page it may not open."""
    supplier = selectors.risk_vendor_get(user=request.user, pk=supplier_pk)
    context = {"object": supplier, **risk_tab_context(request, supplier)}
    return render(request, "risk/vendor_risk.html", context)


@login_required
def risk_profile_edit(request: HttpRequest, supplier_pk: int) -> HttpResponse:
    user = request.user
    supplier = selectors.risk_vendor_get(user=user, pk=supplier_pk, action=Action.CHANGE)
    profile = selectors.risk_profile_for(user=user, supplier=supplier)
    form = RiskProfileForm(
        request.POST or None,
        instance=profile,
        initial={"version": profile.version} if profile else None,
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.risk_profile_save(
                actor=user,
                supplier=supplier,
                expected_version=form.cleaned_data.get("version") if profile else None,
                **form.changes(),
            ),
            success_message="Tiering saved.",
            success_url=lambda _: _tab_url(supplier),
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "supplier": supplier,
        "title": f"Tiering intake of {supplier}",
        "cancel_url": _tab_url(supplier),
    }
    return render(request, "risk/form.html", context, status=400 if form.errors else 200)


@login_required
def subcontractor_create(request: HttpRequest, supplier_pk: int) -> HttpResponse:
    user = request.user
    supplier = selectors.risk_vendor_get(user=user, pk=supplier_pk, action=Action.CHANGE)
    if not can_create(user, Subcontractor, parent=supplier):
        raise PermissionDenied("You may not record fourth parties of this vendor.")
    form = SubcontractorForm(
        request.POST or None,
        user=user,
        supplier=supplier,
        initial={"parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.subcontractor_add(actor=user, supplier=supplier, **form.changes()),
            success_message="Fourth party recorded.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "supplier": supplier,
        "title": f"New fourth party of {supplier}",
        "cancel_url": _tab_url(supplier),
    }
    return render(request, "risk/form.html", context, status=400 if form.errors else 200)


@login_required
def subcontractor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    link = selectors.subcontractor_get(user=user, pk=pk, action=Action.CHANGE)
    form = SubcontractorForm(
        request.POST or None,
        instance=link,
        user=user,
        supplier=link.supplier,
        initial={"version": link.version},
    )
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.subcontractor_update(
                actor=user,
                subcontractor=link,
                expected_version=form.cleaned_data.get("version"),
                **form.changes(),
            ),
            success_message="Fourth party saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "supplier": link.supplier,
        "title": f"Edit {link}",
        "cancel_url": _tab_url(link.supplier),
        "archive_url": request.path.replace("/edit/", "/archive/"),
    }
    return render(request, "risk/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def subcontractor_archive(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.subcontractor_get(user=request.user, pk=pk, action=Action.DELETE)
    try:
        services.subcontractor_archive(actor=request.user, subcontractor=link)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{link} archived.")
    return HttpResponseRedirect(_tab_url(link.supplier))
