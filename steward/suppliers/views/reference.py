"""Reference data of the supply side: the segmentation policy, the playbooks and categories.

Every internal user reads them; administrators change them (the access policy says so).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from steward.core.access import Action, allows, can_create
from steward.core.exports import Column
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.suppliers import selectors, services
from steward.suppliers.choices import RelationshipType, Segment
from steward.suppliers.forms import CategoryForm, PlaybookForm, PolicyForm
from steward.suppliers.models import Category
from steward.suppliers.views.common import render_form


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    """The weights and thresholds, and a form to change them for those who may."""
    current = selectors.policy_get(user=request.user)
    may_change = allows(request.user, Action.CHANGE, current)
    form = PolicyForm(request.POST or None, instance=current) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only administrators change the segmentation policy.")
        if form.is_valid():
            response = run_form_service(
                request,
                form,
                lambda: services.segmentation_policy_update(
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    **form.changes(),
                ),
                success_message="Policy saved; every vendor was placed again.",
            )
            if response is not None:
                return response
    context: dict[str, Any] = {
        "title": "Segmentation policy",
        "object": current,
        "form": form,
        "weights": _weights(current),
        "playbooks": _playbooks(),
        "can_change_playbooks": may_change,  # both are administered reference data
        **history_context(request, current),
    }
    return render_page(request, "suppliers/policy.html", context, partial="history")


def _playbooks() -> list[tuple[Any, list[str]]]:
    """Each quadrant's playbook in the matrix's order, with the names of the types it suits."""
    labels = dict(RelationshipType.choices)
    rows = sorted(selectors.playbooks(), key=lambda p: Segment.values.index(p.segment))
    return [(p, [labels.get(t, t) for t in p.compatible_types or []]) for p in rows]


def _weights(current: Any) -> list[dict[str, Any]]:
    form = PolicyForm(instance=current)
    return [
        {
            "title": title,
            "rows": [(form.fields[name].label, getattr(current, name)) for name in names],
            "total": sum(getattr(current, name) for name in names),
        }
        for title, names in form.groups[:2]
    ]


@login_required
def playbook_edit(request: HttpRequest, segment: str) -> HttpResponse:
    playbook = selectors.playbook_get(user=request.user, segment=segment, action=Action.CHANGE)
    form = PlaybookForm(request.POST or None, instance=playbook)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.playbook_update(
                actor=request.user,
                playbook=playbook,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            ),
            success_message=f"{playbook} saved.",
            success_url=lambda saved: reverse("suppliers:policy"),
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Edit the {Segment(segment).label.lower()} playbook",
        cancel_url=reverse("suppliers:policy"),
        crumbs=[("Segmentation policy", reverse("suppliers:policy"))],
    )


class CategoryListView(ListPage):
    template_name = "suppliers/category_list.html"
    filterset_selector = selectors.category_filterset
    title = "Categories"
    export_name = "categories"
    export_columns = (
        Column("Id", lambda c: c.pk),
        Column("Code", lambda c: c.code),
        Column("Name", lambda c: c.name),
        Column("Parent", lambda c: c.parent.name if c.parent else ""),
        Column("Vendors", lambda c: c.supplier_count),
        Column("Description", lambda c: c.description),
        Column("Archived", lambda c: c.archived_at),
    )

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_create": can_create(self.request.user, Category)}


@login_required
def category_detail(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.category_get(user=request.user, pk=pk)
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    context: dict[str, Any] = {
        "object": category,
        "title": category.name,
        "tab": tab,
        "can_change": allows(request.user, Action.CHANGE, category),
    }
    if tab == "history":
        context.update(history_context(request, category))
    else:
        context["children"] = selectors.category_choices().filter(parent=category)
        context["vendors"] = selectors.category_suppliers(user=request.user, category=category)
        context["prequalified"] = selectors.prequalified_suppliers(
            user=request.user, category=category
        )
    return render_page(request, "suppliers/category_detail.html", context, partial="tab")


@login_required
def category_create(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user, Category):
        raise PermissionDenied("Only administrators create categories.")
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.category_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                parent=data["parent"],
                description=data["description"],
            ),
            success_message="Category created.",
            success_url=lambda created: reverse("suppliers:category-detail", args=[created.pk]),
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title="New category",
        cancel_url=reverse("suppliers:category-list"),
        crumbs=[("Categories", reverse("suppliers:category-list"))],
        submit="Create category",
    )


@login_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.category_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = CategoryForm(request.POST or None, instance=category)
    detail_url = reverse("suppliers:category-detail", args=[category.pk])
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.category_update(
                actor=request.user,
                category=category,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.changes(),
            ),
            success_message="Changes saved.",
            success_url=lambda saved: detail_url,
        )
        if response is not None:
            return response
    return render_form(
        request,
        form,
        title=f"Edit {category}",
        cancel_url=detail_url,
        crumbs=[("Categories", reverse("suppliers:category-list")), (str(category), detail_url)],
        submit="Save changes",
    )
