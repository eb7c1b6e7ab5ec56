"""Obligations: add one from the contract page, its own page (edit, complete, waive, evidence),
evidence downloads, and the obligations of every contract on one list.

A refused input re-renders the page the form sits on with the service's message on the field
it names; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from steward.contracts import lifecycle, services
from steward.contracts.filtersets_obligations import obligation_filterset
from steward.contracts.forms.obligations import (
    EvidenceForm,
    ObligationCompleteForm,
    ObligationForm,
    ObligationWaiveForm,
)
from steward.contracts.models import Obligation, ObligationEvidence
from steward.contracts.services.obligations import next_occurrence_of
from steward.contracts.views.tab_forms import tab_form_post
from steward.core.access import Action, allows, get_for_user
from steward.core.display import person_name
from steward.core.errors import DomainError
from steward.core.exports import Column
from steward.core.ui import ListPage, render_page, run_form_service
from steward.core.uploads import stored_file_response

OBLIGATION_TEMPLATE = "contracts/obligation_detail.html"


def obligation_url(obligation: Obligation) -> str:
    return reverse("contracts:obligation-detail", args=[obligation.pk])


def obligation_get(*, user: Any, pk: Any, action: str = Action.VIEW) -> Obligation:
    """One obligation the user may see (404 otherwise), checked for ``action`` (403)."""
    obligations = Obligation.objects.select_related(
        "owner", "contract__relationship__organization", "follows"
    )
    return get_for_user(obligations, user=user, pk=pk, action=action)


# --- the obligations of every contract --------------------------------------------------------

OBLIGATION_COLUMNS = (
    Column("Id", lambda o: o.pk),
    Column("Contract", lambda o: o.contract.title),
    Column("Counterparty", lambda o: o.contract.relationship.organization.display_name),
    Column("Side", lambda o: o.contract.side),
    Column("Obligation", lambda o: o.title),
    Column("Kind", lambda o: o.get_kind_display()),
    Column("Owed by", lambda o: o.owed_by),
    Column("Responsible", lambda o: person_name(o.owner)),
    Column("Due on", lambda o: o.due_on),
    Column("Recurrence", lambda o: o.get_recurrence_display()),
    Column("Status", lambda o: o.get_status_display()),
    Column("Done on", lambda o: o.done_on),
    Column("Overdue", lambda o: o.is_open and o.due_on < timezone.localdate()),
)


class ObligationListView(ListPage):
    template_name = "contracts/obligation_list.html"
    filterset_selector = obligation_filterset
    export_name = "obligations"
    export_columns = OBLIGATION_COLUMNS
    title = "Obligations"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"today": timezone.localdate()}


# --- add, from the contract page --------------------------------------------------------------


@login_required
@require_POST
def obligation_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return tab_form_post(
        request,
        pk,
        tab="obligations",
        form_name="obligation",
        bind=lambda: ObligationForm(request.POST, user=user),
        service=lambda form, contract: services.obligation_add(
            actor=user, contract=contract, **form.changes()
        ),
        success_message="Obligation added.",
    )


# --- one obligation ---------------------------------------------------------------------------


def obligation_context(
    request: HttpRequest, obligation: Obligation, **forms: Any
) -> dict[str, Any]:
    """What the obligation's page shows; ``forms`` carry bound forms with errors."""
    user = request.user
    today = timezone.localdate()
    contract = obligation.contract
    may_change = not obligation.is_archived and allows(user, Action.CHANGE, obligation)
    evidence = list(
        ObligationEvidence.objects.restrict(user, Action.VIEW)
        .active()
        .filter(obligation=obligation)
        .select_related("uploaded_by")
    )
    context: dict[str, Any] = {
        "object": obligation,
        "contract": contract,
        "can_view_contract": allows(user, Action.VIEW, contract),
        "today": today,
        "evidence": evidence,
        "may_change": may_change,
        "next_occurrence": None if obligation.is_open else next_occurrence_of(obligation),
        "ended": contract.status in lifecycle.ENDED,
    }
    if may_change:
        context["evidence_form"] = forms.get("evidence_form") or EvidenceForm()
    if may_change and obligation.is_open:
        context["edit_form"] = forms.get("edit_form") or ObligationForm(
            instance=obligation, user=user
        )
        context["complete_form"] = forms.get("complete_form") or ObligationCompleteForm()
        context["waive_form"] = forms.get("waive_form") or ObligationWaiveForm()
    context["open_form"] = forms.get("open")
    return context


@login_required
@require_GET
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = obligation_get(user=request.user, pk=pk)
    return render_page(request, OBLIGATION_TEMPLATE, obligation_context(request, obligation))


def _obligation_post(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    bind: Callable[[Obligation], Any],
    service: Callable[[Any, Obligation], Any],
    success_message: str,
) -> HttpResponse:
    """One form on the obligation's page: bind it, call its service, back to the page.

    A refused input re-renders the page with the bound form (``<name>_form``) open.
    """
    obligation = obligation_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = bind(obligation)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: service(form, obligation),
            success_message=success_message,
            success_url=lambda _: obligation_url(obligation),
        )
        if response is not None:
            return response
    context = obligation_context(request, obligation, open=name, **{f"{name}_form": form})
    return render_page(request, OBLIGATION_TEMPLATE, context)


@login_required
@require_POST
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return _obligation_post(
        request,
        pk,
        name="edit",
        bind=lambda obligation: ObligationForm(request.POST, instance=obligation, user=user),
        service=lambda form, obligation: services.obligation_update(
            actor=user,
            obligation=obligation,
            expected_version=form.cleaned_data.get("version") or 0,
            **form.changes(),
        ),
        success_message="Changes saved.",
    )


@login_required
@require_POST
def obligation_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it done, with an optional note and evidence file; the obligation's page then shows
    the next occurrence of a recurring one."""
    user = request.user

    def complete(form: ObligationCompleteForm, obligation: Obligation) -> Obligation:
        data = form.cleaned_data
        try:
            return services.obligation_complete_with_evidence(
                actor=user,
                obligation=obligation,
                done_on=data["done_on"],
                note=data["note"],
                upload=data["evidence"],
            )
        except DomainError as error:
            if error.field == "file":  # the upload checks name their own field
                error.field = "evidence"
            raise

    return _obligation_post(
        request,
        pk,
        name="complete",
        bind=lambda _: ObligationCompleteForm(request.POST, request.FILES),
        service=complete,
        success_message="Obligation done.",
    )


@login_required
@require_POST
def obligation_waive(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return _obligation_post(
        request,
        pk,
        name="waive",
        bind=lambda _: ObligationWaiveForm(request.POST),
        service=lambda form, obligation: services.obligation_waive(
            actor=user, obligation=obligation, reason=form.cleaned_data["reason"]
        ),
        success_message="Obligation waived.",
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return _obligation_post(
        request,
        pk,
        name="evidence",
        bind=lambda _: EvidenceForm(request.POST, request.FILES),
        service=lambda form, obligation: services.evidence_upload(
            actor=user,
            obligation=obligation,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["evidence_title"],
        ),
        success_message="Evidence uploaded.",
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file under the name it was uploaded with, to whoever may see its obligation."""
    evidence = get_for_user(ObligationEvidence.objects.all(), user=request.user, pk=pk)
    return stored_file_response(evidence)
