"""Pages of the compliance app: thin adapters that call one selector or one service each.

Files are only ever sent through the download views, which ask the access policy first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.compliance import audits_lifecycle, selectors, services
from steward.compliance.choices import AuditStatus, RequestStatus
from steward.compliance.forms import (
    AuditFindingForm,
    AuditForm,
    AuditTransitionForm,
    CertificationEditForm,
    CertificationForm,
    DocumentRequestForm,
    EvidenceForm,
    FulfilForm,
    ReasonForm,
    RenewForm,
)
from steward.compliance.models import Audit, Certification, DocumentRequest
from steward.core.access import Action, allows, principal_for
from steward.core.ui import ListPage, history_context, render_page, run_form_service
from steward.core.uploads import stored_file_response


def _refuse_readers(user: Any, what: str) -> None:
    if not principal_for(user).may_write:
        raise PermissionDenied(f"You may not {what}.")


def _initial_supplier(request: HttpRequest) -> dict[str, Any]:
    supplier = request.GET.get("supplier", "")
    return {"supplier": supplier} if supplier.isdigit() else {}


# --- certifications ----------------------------------------------------------------------------


class CertificationListView(ListPage):
    template_name = "compliance/certification_list.html"
    filterset_selector = staticmethod(selectors.certification_filterset)
    title = "Certificates and documents"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "today": timezone.localdate(),
            "can_add": principal_for(self.request.user).may_write,
        }


@login_required
def certification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_get(user=request.user, pk=pk)
    principal = principal_for(request.user)
    can_change = allows(request.user, Action.CHANGE, certification)
    context = {
        "object": certification,
        "title": str(certification),
        "status": certification.status,
        "chain": selectors.certification_chain(user=request.user, certification=certification),
        "can_change": can_change,
        "can_delete": can_change,
        "is_internal": principal.is_internal,
        "archive_url": f"{certification.get_absolute_url()}archive/",
        "restore_url": f"{certification.get_absolute_url()}restore/",
        **(history_context(request, certification) if principal.is_internal else {}),
    }
    return render_page(request, "compliance/certification_detail.html", context, partial="history")


@login_required
def certification_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _refuse_readers(user, "add certificates")
    suppliers = selectors.writable_suppliers(user=user, model=Certification)
    if request.method == "POST":
        form = CertificationForm(request.POST, request.FILES, suppliers=suppliers)
        if form.is_valid():
            data = form.cleaned_data
            response = run_form_service(
                request,
                form,
                lambda: services.certification_add(
                    actor=user,
                    supplier=data["supplier"],
                    kind=data["kind"],
                    title=data["title"],
                    issuer=data["issuer"],
                    scope=data["scope"],
                    effective_on=data["effective_on"],
                    expires_on=data["expires_on"],
                    upload=data["file"],
                    owner=data["owner"],
                    shared_with_portal=data["shared_with_portal"],
                ),
                success_message="Certificate kept.",
            )
            if response is not None:
                return response
    else:
        form = CertificationForm(initial=_initial_supplier(request), suppliers=suppliers)
    return render_page(
        request,
        "compliance/form.html",
        {"form": form, "title": "New certificate or document", "multipart": True},
    )


@login_required
def certification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    certification = selectors.certification_get(user=user, pk=pk, action=Action.CHANGE)
    if request.method == "POST":
        form = CertificationEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            response = run_form_service(
                request,
                form,
                lambda: services.certification_update(
                    actor=user, certification=certification, expected_version=version, **data
                ),
                success_message="Certificate updated.",
            )
            if response is not None:
                return response
    else:
        form = CertificationEditForm(
            initial={
                "version": certification.version,
                "title": certification.title,
                "issuer": certification.issuer,
                "scope": certification.scope,
                "effective_on": certification.effective_on,
                "expires_on": certification.expires_on,
                "owner": certification.owner_id,
                "shared_with_portal": certification.shared_with_portal,
            }
        )
    return render_page(
        request,
        "compliance/form.html",
        {"form": form, "title": f"Edit {certification}", "object": certification},
    )


@login_required
def certification_renew(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    certification = selectors.certification_get(user=user, pk=pk, action=Action.CHANGE)
    if request.method == "POST":
        form = RenewForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            response = run_form_service(
                request,
                form,
                lambda: services.certification_renew(
                    actor=user,
                    certification=certification,
                    effective_on=data["effective_on"],
                    expires_on=data["expires_on"],
                    upload=data["file"],
                    title=data["title"],
                ),
                success_message="Renewal kept; the earlier certificate is superseded.",
            )
            if response is not None:
                return response
    else:
        form = RenewForm()
    return render_page(
        request,
        "compliance/form.html",
        {
            "form": form,
            "title": f"Renew {certification}",
            "object": certification,
            "multipart": True,
        },
    )


@login_required
@require_POST
def certification_archive(request: HttpRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_get(user=request.user, pk=pk, action=Action.DELETE)
    services.certification_archive(actor=request.user, certification=certification)
    messages.success(request, "Certificate archived.")
    return HttpResponseRedirect(certification.get_absolute_url())


@login_required
@require_POST
def certification_restore(request: HttpRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_get(user=request.user, pk=pk, action=Action.DELETE)
    services.certification_restore(actor=request.user, certification=certification)
    messages.success(request, "Certificate restored.")
    return HttpResponseRedirect(certification.get_absolute_url())


@login_required
def certification_download(request: HttpRequest, pk: int) -> FileResponse:
    return stored_file_response(selectors.certification_get(user=request.user, pk=pk))


# --- requests to the vendor --------------------------------------------------------------------


class DocumentRequestListView(ListPage):
    template_name = "compliance/request_list.html"
    filterset_selector = staticmethod(selectors.document_request_filterset)
    title = "Document requests"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_add": principal_for(self.request.user).may_write}


@login_required
def document_request_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _refuse_readers(user, "ask vendors for documents")
    suppliers = selectors.writable_suppliers(user=user, model=DocumentRequest)
    if request.method == "POST":
        form = DocumentRequestForm(request.POST, suppliers=suppliers)
        if form.is_valid():
            data = form.cleaned_data
            response = run_form_service(
                request,
                form,
                lambda: services.document_request_create(
                    actor=user,
                    supplier=data["supplier"],
                    kind=data["kind"],
                    due_on=data["due_on"],
                    note=data["note"],
                ),
                success_message="Request sent to the vendor's portal.",
            )
            if response is not None:
                return response
    else:
        form = DocumentRequestForm(initial=_initial_supplier(request), suppliers=suppliers)
    return render_page(
        request, "compliance/form.html", {"form": form, "title": "Ask a vendor for a document"}
    )


def _request_context(request: HttpRequest, item: DocumentRequest, **forms: Any) -> dict[str, Any]:
    principal = principal_for(request.user)
    is_open = item.status == RequestStatus.OPEN
    may_change = allows(request.user, Action.CHANGE, item)
    return {
        "object": item,
        "title": str(item),
        "can_fulfil": is_open and (principal.is_external or may_change),
        "can_cancel": is_open and may_change,
        "fulfil_form": forms.get("fulfil_form") or FulfilForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "is_internal": principal.is_internal,
        **(history_context(request, item) if principal.is_internal else {}),
    }


@login_required
def document_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.document_request_get(user=request.user, pk=pk)
    return render_page(
        request,
        "compliance/request_detail.html",
        _request_context(request, item),
        partial="history",
    )


@login_required
@require_POST
def document_request_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.document_request_get(user=user, pk=pk)
    form = FulfilForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.document_request_fulfil(
                actor=user,
                request=item,
                upload=data["file"],
                title=data["title"],
                issuer=data["issuer"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
            ),
            success_message="Thank you: the document was uploaded.",
            success_url=lambda certification: item.get_absolute_url(),
        )
        if response is not None:
            return response
    context = _request_context(request, item, fulfil_form=form)
    return render_page(request, "compliance/request_detail.html", context, status=400)


@login_required
@require_POST
def document_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.document_request_get(user=user, pk=pk, action=Action.CHANGE)
    form = ReasonForm(request.POST)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.document_request_cancel(
                actor=user,
                request=item,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            ),
            success_message="Request cancelled.",
        )
        if response is not None:
            return response
    context = _request_context(request, item, cancel_form=form)
    return render_page(request, "compliance/request_detail.html", context, status=400)


# --- audits ------------------------------------------------------------------------------------


class AuditListView(ListPage):
    template_name = "compliance/audit_list.html"
    filterset_selector = staticmethod(selectors.audit_filterset)
    title = "Audits"

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {"can_add": principal_for(self.request.user).may_write}


@login_required
def audit_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _refuse_readers(user, "plan audits")
    suppliers = selectors.writable_suppliers(user=user, model=Audit)
    if request.method == "POST":
        form = AuditForm(request.POST, suppliers=suppliers)
        if form.is_valid():
            data = form.cleaned_data
            response = run_form_service(
                request,
                form,
                lambda: services.audit_plan(
                    actor=user,
                    supplier=data["supplier"],
                    title=data["title"],
                    kind=data["kind"],
                    planned_on=data["planned_on"],
                    scope=data["scope"],
                    lead_auditor=data["lead_auditor"],
                    auditors=data["auditors"],
                ),
                success_message="Audit planned.",
            )
            if response is not None:
                return response
    else:
        form = AuditForm(initial=_initial_supplier(request), suppliers=suppliers)
    return render_page(request, "compliance/form.html", {"form": form, "title": "Plan an audit"})


def _audit_context(request: HttpRequest, audit: Audit, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_change = allows(user, Action.CHANGE, audit)
    return {
        "object": audit,
        "title": str(audit),
        "auditors": list(audit.auditors.order_by("first_name", "last_name", "username")),
        "findings": selectors.audit_findings(user=user, audit=audit),
        "evidence": selectors.audit_evidence(user=user, audit=audit),
        "can_change": can_change,
        "moves": [
            (status, AuditStatus(status).label)
            for status in sorted(audits_lifecycle.allowed_next(audit.status))
        ]
        if can_change
        else [],
        "takes_findings": can_change and audit.status in audits_lifecycle.TAKES_FINDINGS,
        "takes_evidence": can_change and audit.status != AuditStatus.CANCELLED,
        "transition_form": forms.get("transition_form")
        or AuditTransitionForm(initial={"report_summary": audit.report_summary}),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "finding_form": forms.get("finding_form") or AuditFindingForm(),
        **history_context(request, audit),
    }


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get(user=request.user, pk=pk)
    return render_page(
        request, "compliance/audit_detail.html", _audit_context(request, audit), partial="history"
    )


@login_required
@require_POST
def audit_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    audit = selectors.audit_get(user=user, pk=pk, action=Action.CHANGE)
    form = AuditTransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.audit_transition(
                actor=user,
                audit=audit,
                to_status=data["to_status"],
                note=data["note"],
                report_summary=data["report_summary"] or None,
                expected_version=data["version"],
            ),
            success_message="Audit status changed.",
        )
        if response is not None:
            return response
    context = _audit_context(request, audit, transition_form=form)
    return render_page(request, "compliance/audit_detail.html", context, status=400)


@login_required
@require_POST
def audit_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    audit = selectors.audit_get(user=user, pk=pk, action=Action.CHANGE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.audit_evidence_add(
                actor=user,
                audit=audit,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
            success_message="Evidence kept.",
            success_url=lambda evidence: audit.get_absolute_url(),
        )
        if response is not None:
            return response
    context = _audit_context(request, audit, evidence_form=form)
    return render_page(request, "compliance/audit_detail.html", context, status=400)


@login_required
@require_POST
def audit_finding_raise(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    audit = selectors.audit_get(user=user, pk=pk, action=Action.CHANGE)
    form = AuditFindingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        response = run_form_service(
            request,
            form,
            lambda: services.audit_finding_raise(
                actor=user,
                audit=audit,
                title=data["title"],
                severity=data["severity"],
                detail=data["detail"],
                corrective_action=data["corrective_action"],
                remediation_due_on=data["remediation_due_on"],
                owner=data["owner"],
            ),
            success_message="Finding raised.",
            success_url=lambda finding: audit.get_absolute_url(),
        )
        if response is not None:
            return response
    context = _audit_context(request, audit, finding_form=form)
    return render_page(request, "compliance/audit_detail.html", context, status=400)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    return stored_file_response(selectors.evidence_get(user=request.user, pk=pk))
