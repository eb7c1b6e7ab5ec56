"""Sites and contacts of an organization."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from steward.core.access import Action, allows, can_create
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors, services
from steward.parties.forms import ContactForm, SiteForm
from steward.parties.models import Contact, Site


def _record_context(request: HttpRequest, record: Site | Contact, kind: str) -> dict[str, Any]:
    user = request.user
    return {
        "object": record,
        "organization": record.organization,
        "can_change": allows(user, Action.CHANGE, record),
        "can_delete": allows(user, Action.DELETE, record),
        "archive_url": reverse(f"parties:{kind}-archive", args=[record.pk]),
        "restore_url": reverse(f"parties:{kind}-restore", args=[record.pk]),
        **history_context(request, record),
    }


# --- sites ---------------------------------------------------------------------------------------


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_get(user=request.user, pk=pk)
    context = _record_context(request, site, "site")
    context["contacts"] = selectors.contact_list(user=request.user, filters={"site": site.pk})
    return render_page(request, "parties/site_detail.html", context, partial="history")


@login_required
def site_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    if not can_create(request.user, Site, parent=organization):
        raise PermissionDenied("You may not add sites to this organization.")
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "name"}
        response = run_form_service(
            request,
            form,
            lambda: services.site_create(
                actor=request.user,
                organization=organization,
                name=form.cleaned_data["name"],
                **fields,
            ),
            success_message="Site added.",
        )
        if response is not None:
            return response
    return render(
        request,
        "parties/record_form.html",
        {"form": form, "organization": organization, "title": f"New site of {organization}"},
    )


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        response = run_form_service(
            request,
            form,
            lambda: services.site_update(
                actor=request.user,
                site=site,
                expected_version=form.cleaned_data.get("version") or 0,
                **changes,
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    return render(
        request,
        "parties/record_form.html",
        {"form": form, "organization": site.organization, "object": site, "title": f"Edit {site}"},
    )


# --- contacts ------------------------------------------------------------------------------------


class ContactListView(ListPage):
    template_name = "parties/contact_list.html"
    filterset_selector = selectors.contact_filterset
    export_name = "contacts"
    export_columns = (
        Column("Id", lambda c: c.pk),
        Column("Organization", lambda c: c.organization.display_name),
        Column("First name", lambda c: c.first_name),
        Column("Last name", lambda c: c.last_name),
        Column("Title", lambda c: c.title),
        Column("Email", lambda c: c.email),
        Column("Phone", lambda c: c.phone),
        Column("Location", lambda c: c.site.name if c.site else ""),
        Column("Roles", lambda c: ", ".join(r.label for r in c.roles.all())),
        Column("Influence", lambda c: c.influence),
        Column("Relationship strength", lambda c: c.relationship_strength),
    )
    title = "Contacts"


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    context = _record_context(request, contact, "contact")
    return render_page(request, "parties/contact_detail.html", context, partial="history")


def _contact_fields(form: ContactForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
def contact_create(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    if not can_create(request.user, Contact, parent=organization):
        raise PermissionDenied("You may not add contacts to this organization.")
    form = ContactForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        fields = _contact_fields(form)
        response = run_form_service(
            request,
            form,
            lambda: services.contact_create(
                actor=request.user,
                organization=organization,
                roles=form.cleaned_data["roles"],
                **fields,
            ),
            success_message="Contact added.",
            success_url=lambda contact: f"{organization.get_absolute_url()}?tab=contacts",
        )
        if response is not None:
            return response
    return render(
        request,
        "parties/record_form.html",
        {"form": form, "organization": organization, "title": f"New contact at {organization}"},
    )


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = ContactForm(request.POST or None, instance=contact, organization=contact.organization)
    if request.method == "POST" and form.is_valid():
        fields = _contact_fields(form)
        response = run_form_service(
            request,
            form,
            lambda: services.contact_update(
                actor=request.user,
                contact=contact,
                expected_version=form.cleaned_data.get("version") or 0,
                roles=form.cleaned_data["roles"],
                **fields,
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "organization": contact.organization,
        "object": contact,
        "title": f"Edit {contact}",
    }
    return render(request, "parties/record_form.html", context)
