"""Files kept on an organization: upload with checks, download through the access policy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from steward.core.access import can_create
from steward.core.ui import run_form_service
from steward.core.uploads import stored_file_response
from steward.parties import selectors, services
from steward.parties.forms import DocumentForm
from steward.parties.models import OrganizationDocument


@login_required
def document_upload(request: HttpRequest, organization_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=organization_pk)
    if not can_create(request.user, OrganizationDocument, parent=organization):
        raise PermissionDenied("You may not add documents to this organization.")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = run_form_service(
            request,
            form,
            lambda: services.document_upload(
                actor=request.user,
                organization=organization,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                shared_with_portal=form.cleaned_data["shared_with_portal"],
            ),
            success_message="Document uploaded.",
            success_url=lambda document: f"{organization.get_absolute_url()}?tab=documents",
        )
        if response is not None:
            return response
    context = {
        "form": form,
        "organization": organization,
        "title": f"Upload a document to {organization}",
        "multipart": True,
    }
    return render(request, "parties/record_form.html", context)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    return stored_file_response(document)
