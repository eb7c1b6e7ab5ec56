"""Forms of the documents tab: a new document, a new version of one, two versions to compare."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from steward.contracts.models import DocumentVersion
from steward.contracts.models.documents import DocumentKind
from steward.core.forms import StewardForm


class OwnIdsMixin:
    """For a form shown more than once on a page: its ``auto_id`` gives its fields ids of their
    own, and the help and error references follow them."""

    def style_fields(self) -> None:
        super().style_fields()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            described = field.widget.attrs.get("aria-describedby")
            if described:
                own = self[name].auto_id  # type: ignore[index]
                field.widget.attrs["aria-describedby"] = described.replace(f"id_{name}_", f"{own}_")


FILE_HELP = "PDF or Word (.docx). Each upload is kept as a version; nothing is overwritten."


class DocumentUploadForm(StewardForm):
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    kind = forms.ChoiceField(choices=DocumentKind.choices, initial=DocumentKind.DRAFT)
    file = forms.FileField(help_text=FILE_HELP)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentVersionForm(OwnIdsMixin, StewardForm):
    file = forms.FileField(help_text=FILE_HELP)
    note = forms.CharField(
        required=False,
        max_length=2000,
        help_text="What changed in this version.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, document_pk: int, **kwargs: Any) -> None:
        # Each document's form on the page gets ids of its own.
        kwargs.setdefault("auto_id", f"id_doc{document_pk}_%s")
        super().__init__(*args, **kwargs)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.document.title} · v{obj.number} ({obj.original_name})"


class VersionCompareForm(OwnIdsMixin, StewardForm):
    a = VersionChoiceField(queryset=DocumentVersion.objects.none(), label="Version A")
    b = VersionChoiceField(queryset=DocumentVersion.objects.none(), label="Version B")

    def __init__(self, *args: Any, versions: QuerySet[DocumentVersion], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_compare_%s")
        super().__init__(*args, **kwargs)
        self.limit_choices("a", versions)
        self.limit_choices("b", versions)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", "Pick two different versions.")
        return cleaned
