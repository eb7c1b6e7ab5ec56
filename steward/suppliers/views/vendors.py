"""The vendor list, and creating and editing a vendor."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from steward.core.access import Action, can_create
from steward.core.display import person_name
from steward.core.exports import Column
from steward.core.ui import ListPage, run_form_service
from steward.parties import selectors as parties_selectors
from steward.parties.models import Relationship
from steward.suppliers import selectors, services
from steward.suppliers.choices import RelationshipType, Segment, Stage
from steward.suppliers.forms import VendorForm
from steward.suppliers.models import Supplier
from steward.suppliers.views.common import field_label, render_form, vendor_crumbs


def _owner(supplier: Supplier) -> str:
    return person_name(supplier.relationship.owner)


def _categories(supplier: Supplier) -> str:
    return ", ".join(c.name for c in supplier.categories.all())


def _inputs_columns() -> tuple[Column, ...]:
    fields = (
        "category_share",
        "criticality",
        "process_integration",
        "knowledge_sharing",
        "alternatives",
        "switching_cost",
        "market_scarcity",
        "risk_score",
    )
    columns = [Column(field_label(name).capitalize(), attrgetter(name)) for name in fields]
    columns.append(Column("Nature of goods or services", lambda s: s.get_supply_nature_display()))
    return tuple(columns)


class VendorListView(ListPage):
    template_name = "suppliers/vendor_list.html"
    filterset_selector = selectors.supplier_list_filterset
    title = "Vendors"
    export_name = "vendors"
    export_columns = (
        Column("Id", lambda s: s.pk),
        Column("Vendor", lambda s: s.relationship.organization.display_name),
        Column("Legal name", lambda s: s.relationship.organization.legal_name),
        Column("Owner", _owner),
        Column("Stage", lambda s: s.get_stage_display()),
        Column("Stage since", lambda s: s.stage_changed_at),
        Column("Segment", lambda s: s.get_segment_display()),
        Column("Computed segment", lambda s: s.get_computed_segment_display()),
        Column("Segment override", lambda s: s.get_segment_override_display()),
        Column("Override reason", lambda s: s.override_reason),
        Column("Relationship type", lambda s: s.get_relationship_type_display()),
        Column("Tier", lambda s: s.relationship.get_tier_display()),
        Column("Annual spend", lambda s: s.annual_spend),
        Column("Profit impact", lambda s: s.profit_impact),
        Column("Supply risk", lambda s: s.supply_risk),
        Column("Categories", _categories),
        *_inputs_columns(),
        Column("Type does not suit segment", lambda s: s.flag_mismatch),
        Column("Onboarding stalled", lambda s: s.flag_stalled),
        Column("Prequalification lapsed", lambda s: s.flag_lapsed),
        Column("Archived", lambda s: s.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return filter_context(self.request) | {
            "can_create": can_create(self.request.user, Relationship),
        }


ATTENTION_FILTERS = (
    ("mismatch", "true", "Type does not suit segment"),
    ("stalled", "true", "Onboarding stalled"),
    ("lapsed_prequalification", "true", "Prequalification lapsed"),
    ("placed", "false", "Not placed"),
    ("overridden", "true", "Placed by override"),
)


def filter_context(request: HttpRequest) -> dict[str, Any]:
    """The choices the vendor filters offer (the list and the portfolio share them)."""
    return {
        "attention_filters": [
            {
                "name": name,
                "value": value,
                "label": label,
                "checked": request.GET.get(name) == value,
            }
            for name, value, label in ATTENTION_FILTERS
        ],
        "stages": Stage.choices,
        "segments": Segment.choices,
        "types": RelationshipType.choices,
        "categories": selectors.category_choices(),
        "owners": selectors.owner_choices(user=request.user),
        "chosen": {key: request.GET.getlist(key) for key in request.GET},
    }


@login_required
def vendor_create(request: HttpRequest) -> HttpResponse:
    """A new vendor: with an organization, or for an existing supply-side relationship."""
    relationship = None
    if request.GET.get("relationship"):
        relationship = parties_selectors.relationship_get(
            user=request.user, pk=request.GET["relationship"], action=Action.CHANGE
        )
    elif not can_create(request.user, Relationship):
        raise PermissionDenied("You may not create vendors.")
    initial = {"organization": request.GET.get("organization")}
    form = VendorForm(
        request.POST or None,
        user=request.user,
        for_relationship=relationship is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> Supplier:
            common = {
                "actor": request.user,
                "relationship_type": data["relationship_type"],
                "categories": data["categories"],
                **form.inputs(),
            }
            if relationship is not None:
                return services.supplier_profile_create(relationship=relationship, **common)
            return services.supplier_create(
                organization=data["organization"],
                owner=data["owner"],
                tier=data["tier"],
                summary=data["summary"],
                **common,
            )

        response = run_form_service(request, form, create, success_message="Vendor created.")
        if response is not None:
            return response
    title = f"Make {relationship.organization} a vendor" if relationship else "New vendor"
    cancel = relationship.get_absolute_url() if relationship else reverse("suppliers:vendor-list")
    return render_form(
        request,
        form,
        title=title,
        cancel_url=cancel,
        crumbs=[("Vendors", reverse("suppliers:vendor-list"))],
        submit="Create vendor",
    )


@login_required
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = selectors.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = VendorForm(request.POST or None, instance=supplier, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.supplier_update(
                actor=request.user,
                supplier=supplier,
                expected_version=data.get("version") or 0,
                categories=data["categories"],
                relationship_type=data["relationship_type"],
                **form.inputs(),
            ),
            success_message="Changes saved.",
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Edit {supplier}",
        cancel_url=supplier.get_absolute_url(),
        crumbs=vendor_crumbs(supplier),
        submit="Save changes",
    )
