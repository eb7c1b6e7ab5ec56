"""Routes of the contracts app's documents pages."""

from django.urls import URLPattern, path

from steward.contracts.views import documents

urlpatterns: list[URLPattern] = [
    path(
        "contracts/<int:pk>/documents/new/",
        documents.document_upload,
        name="document-upload",
    ),
    path(
        "contract-documents/<int:pk>/versions/new/",
        documents.document_version_add,
        name="document-version-add",
    ),
    path(
        "document-versions/<int:pk>/download/",
        documents.version_download,
        name="document-version-download",
    ),
]
