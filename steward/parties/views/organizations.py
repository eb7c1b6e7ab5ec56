from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from steward.core.access import Action, allows, can_create, principal_for
from steward.core.exports import Column
from steward.core.expressions import RelatedNames
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.parties import selectors, services
from steward.parties.choices import Industry, Side
from steward.parties.forms import OrganizationForm
from steward.parties.models import Organization, Relationship

DETAIL_TABS = ("overview", "contacts", "sites", "relationships", "documents", "history")


class OrganizationListView(ListPage):
    template_name = "parties/organization_list.html"
    filterset_selector = selectors.organization_filterset
    title = "Organizations"
    export_name = "organizations"
    export_columns = (
        Column("Id", lambda o: o.pk),
        Column("Display name", lambda o: o.display_name),
        Column("Legal name", lambda o: o.legal_name),
        Column("Registration number", lambda o: o.registration_number),
        Column("Tax id", lambda o: o.tax_id),
        Column("Country", lambda o: o.country.code),
        Column("Industry", lambda o: o.get_industry_display()),
        Column("Website", lambda o: o.website),
        Column("Parent id", lambda o: o.parent_id),
        Column("Tags", lambda o: ", ".join(t.name for t in o.tags.all())),
        Column("Updated", lambda o: o.updated_at),
        Column("Archived", lambda o: o.archived_at),
    )

    rows_template = "parties/organization_rows.html"

    def decorate(self, rows: Any) -> Any:
        """Plain values for the page: whether each is a vendor or an account, its tag names."""
        active = Relationship.objects.filter(organization=OuterRef("pk"), archived_at__isnull=True)
        return rows.prefetch_related(None).values(
            "id",
            "display_name",
            "archived_at",
            "country",
            "industry",
            "updated_at",
            is_vendor=Exists(active.filter(side=Side.SUPPLY)),
            is_account=Exists(active.filter(side=Side.DEMAND)),
            tag_names=RelatedNames(Organization, "tags", "name"),
        )

    def rows_context(self) -> dict[str, Any]:
        return {"industries": dict(Industry.choices)}

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_create": can_create(self.request.user, Organization)}


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in DETAIL_TABS:
        tab = "overview"
    user = request.user
    context: dict[str, Any] = {
        "object": organization,
        "tab": tab,
        "tabs": DETAIL_TABS
        if principal_for(user).is_internal
        else ("overview", "contacts", "sites"),
        "can_change": allows(user, Action.CHANGE, organization),
        "can_delete": allows(user, Action.DELETE, organization),
        "can_reassign": allows(user, Action.REASSIGN, organization),
        "archive_url": reverse("parties:organization-archive", args=[pk]),
        "restore_url": reverse("parties:organization-restore", args=[pk]),
    }
    context.update(_tab_context(request, organization, tab))
    return render_page(request, "parties/organization_detail.html", context, partial="tab")


def _tab_context(request: HttpRequest, organization: Organization, tab: str) -> dict[str, Any]:
    user = request.user
    if tab == "overview":
        return {
            "subsidiaries": selectors.organization_list(
                user=user, filters={"parent": organization.pk}
            )[:20],
            "relationships": selectors.relationship_list(
                user=user, filters={"organization": organization.pk}
            ),
        }
    if tab == "contacts":
        return {
            "contacts": selectors.contact_list(user=user, filters={"organization": organization.pk})
        }
    if tab == "sites":
        return {"sites": selectors.site_list(user=user, filters={"organization": organization.pk})}
    if tab == "relationships":
        return {
            "relationships": selectors.relationship_list(
                user=user, filters={"organization": organization.pk, "archived": "all"}
            )
        }
    if tab == "documents":
        return {"documents": selectors.document_list(user=user, organization=organization)}
    if tab == "history":
        return history_context(request, organization)
    return {}


def _form_context(request: HttpRequest, form: OrganizationForm, **extra: Any) -> dict[str, Any]:
    form.fields["legal_name"].widget.attrs["hx-get"] = reverse("parties:organization-check-name")
    return {"form": form, **extra}


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, Organization):
        raise PermissionDenied("You may not create organizations.")
    form = OrganizationForm(request.POST or None, user=request.user)
    near: list[services.NearDuplicate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exact = services.organization_find_duplicate(
            legal_name=data["legal_name"], tax_id=data["tax_id"]
        )
        near = [] if exact else services.organization_near_duplicates(legal_name=data["legal_name"])
        if near and not data.get("confirm_near_duplicate"):
            form.ask_to_confirm_near_duplicate()
            form.add_error(
                "confirm_near_duplicate",
                "Similar organizations exist (listed above). Open one of them, or tick this box "
                "to create a new organization anyway.",
            )
        else:
            fields = {name: data[name] for name in form.Meta.fields}
            response = run_form_service(
                request,
                form,
                lambda: services.organization_create(
                    actor=request.user, tags=data["tags"], **fields
                ),
                success_message="Organization created.",
            )
            if response is not None:
                return response
    context = _form_context(request, form, title="New organization", near_duplicates=near)
    return render(request, "parties/organization_form.html", context)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in form.Meta.fields}
        response = run_form_service(
            request,
            form,
            lambda: services.organization_update(
                actor=request.user,
                organization=organization,
                expected_version=data.get("version") or 0,
                tags=data["tags"],
                **changes,
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    context = _form_context(request, form, title=f"Edit {organization}", object=organization)
    return render(request, "parties/organization_form.html", context)


@login_required
def organization_check_name(request: HttpRequest) -> HttpResponse:
    """htmx: warn while typing when similar organizations exist already."""
    if not principal_for(request.user).is_internal:
        raise PermissionDenied
    legal_name = request.GET.get("legal_name", "")[:255]
    near = services.organization_near_duplicates(legal_name=legal_name) if legal_name else []
    return render(request, "parties/near_duplicates.html", {"near_duplicates": near})


@login_required
def organization_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: organizations matching what was typed into a picker."""
    query = next((v for v in request.GET.values() if v), "")[:100]
    rows = (
        selectors.organization_list(user=request.user, filters={"q": query})[:10] if query else []
    )
    options = [
        {"pk": o.pk, "label": str(o), "detail": getattr(o.country, "code", "")} for o in rows
    ]
    return render(request, "includes/picker_options.html", {"options": options})
