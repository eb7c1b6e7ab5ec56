"""Contract documents: upload a new document or a new version, download a version.

A refused upload re-renders the contract page on the documents tab with the service's message
on the file field; nothing is written. Files are only ever sent through ``version_download``,
which asks the access policy first: no version has a public address.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from steward.contracts import selectors, selectors_documents, services
from steward.contracts.forms.documents import DocumentUploadForm, DocumentVersionForm
from steward.contracts.views.contracts import detail_context
from steward.core.access import Action
from steward.core.ui import render_page, run_form_service
from steward.core.uploads import stored_file_response

DETAIL_TEMPLATE = "contracts/contract_detail.html"


def _documents_tab(contract_url: str) -> str:
    return f"{contract_url}?tab=documents"


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk, action=Action.CHANGE)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.document_upload(
                actor=user,
                contract=contract,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            ),
            success_message="Document uploaded.",
            success_url=lambda document: _documents_tab(contract.get_absolute_url()),
        )
        if response is not None:
            return response
    context = detail_context(request, contract, "documents", upload_form=form)
    return render_page(request, DETAIL_TEMPLATE, context)


@login_required
@require_POST
def document_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    document = selectors_documents.document_get(user=user, pk=pk, action=Action.CHANGE)
    contract = selectors.contract_get(user=user, pk=document.contract_id)
    form = DocumentVersionForm(request.POST, request.FILES, document_pk=document.pk)
    if form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.document_version_add(
                actor=user,
                document=document,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
            success_message="Version added.",
            success_url=lambda version: _documents_tab(contract.get_absolute_url()),
        )
        if response is not None:
            return response
    context = detail_context(
        request, contract, "documents", version_form=form, document_pk=document.pk
    )
    return render_page(request, DETAIL_TEMPLATE, context)


@login_required
def version_download(request: HttpRequest, pk: int) -> FileResponse:
    version = selectors_documents.version_get(user=request.user, pk=pk)
    return stored_file_response(version)
