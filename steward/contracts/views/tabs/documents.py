"""Documents and their versions: the contract page's "documents" tab.

Two versions are compared right on the tab: its compare form asks for the tab again with the
two versions in the query string.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.contracts import selectors_documents
from steward.contracts.forms.documents import (
    DocumentUploadForm,
    DocumentVersionForm,
    VersionCompareForm,
)
from steward.contracts.models import Contract, ContractDocument
from steward.core.access import can_create


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
    user = request.user
    documents = selectors_documents.documents_of(user=user, contract=contract)
    may_upload = context["can_change"] and can_create(user, ContractDocument, parent=contract)
    bound_version_form = forms.get("version_form")
    for document in documents:
        form = None
        if may_upload:
            if bound_version_form is not None and forms.get("document_pk") == document.pk:
                form = bound_version_form
            else:
                form = DocumentVersionForm(document_pk=document.pk)
        document.version_form = form  # type: ignore[attr-defined]
    context["documents"] = documents
    context["upload_form"] = None
    if may_upload:
        context["upload_form"] = forms.get("upload_form") or DocumentUploadForm()
    # Two versions to compare, in one document or across two.
    if sum(len(document.versions.all()) for document in documents) > 1:
        context["can_compare"] = True
        _compare(request, contract, context)


def _compare(request: HttpRequest, contract: Contract, context: dict[str, Any]) -> None:
    versions = selectors_documents.versions_of_contract(user=request.user, contract=contract)
    asked = "a" in request.GET or "b" in request.GET
    form = VersionCompareForm(request.GET if asked else None, versions=versions)
    context["compare_form"] = form
    context["comparison"] = None
    if asked and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        context["comparison"] = selectors_documents.versions_compare(a=a, b=b)
        context["compared"] = (a, b)
