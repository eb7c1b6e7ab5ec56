"""Adding, changing, closing, reopening and removing a handoff's items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from steward.core.access import Action
from steward.core.ui import inside_only, render_page, run_form_service
from steward.handoffs import rules, selectors, services
from steward.handoffs.forms import ItemForm, NoteForm
from steward.handoffs.models import HandoffItem
from steward.handoffs.views.common import handoff_for, run_action, run_on_handoff


def _item_for(request: HttpRequest, pk: int) -> HandoffItem:
    inside_only(request)
    return selectors.item_get(user=request.user, pk=pk, action=Action.CHANGE)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_for(request, pk, Action.CHANGE)
    form = ItemForm(request.POST, user=request.user, handoff=handoff)
    return run_on_handoff(
        request,
        handoff,
        form,
        "item_form",
        lambda data: services.item_add(actor=request.user, handoff=handoff, **form.values()),
        success="Item added.",
        anchor="items",
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    handoff = item.handoff
    if not rules.may_work_items(request.user, handoff):
        raise PermissionDenied("You may not work the items of this handoff.")
    form = ItemForm(request.POST or None, user=request.user, handoff=handoff, item=item)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.item_update(
                actor=request.user,
                item=item,
                expected_version=form.cleaned_data.get("version") or item.version,
                **form.values(),
            ),
            success_message="Item saved.",
        )
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "handoff": handoff, "item": item, "title": f"Edit {item.title}"}
    return render_page(request, "handoffs/item_form.html", context, status=status)


@login_required
@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    form = NoteForm(request.POST)
    return run_on_handoff(
        request,
        item.handoff,
        form,
        "close_form",
        lambda data: services.item_close(
            actor=request.user,
            item=item,
            note=data.get("note") or "",
            expected_version=data.get("version"),
        ),
        success=f"Closed: {item.title}.",
        anchor=f"item-{item.pk}",
    )


@login_required
@require_POST
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    return run_action(
        request,
        item.handoff,
        lambda: services.item_reopen(actor=request.user, item=item),
        success=f"Reopened: {item.title}.",
        anchor=f"item-{item.pk}",
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    return run_action(
        request,
        item.handoff,
        lambda: services.item_remove(actor=request.user, item=item),
        success=f"Removed: {item.title}.",
        anchor="items",
    )
