"""Forms of the import pages: a new import (with a source chosen or made on the spot) and the
confirmation that a name the ledger uses is one of our vendors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from steward.core.forms import PickerField, StewardForm
from steward.spend.forms.reference import VENDOR_LOOKUP


class ImportCreateForm(StewardForm):
    source: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="A new source (below)",
        help_text="The system the file comes from: its saved mapping says how to read it.",
    )
    file = forms.FileField(
        label="File",
        help_text="CSV (UTF-8) or XLSX, one line of spend per row, the header in the first row.",
    )

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("source", sources)

    def wants_new_source(self) -> bool:
        return self.is_bound and not self.data.get("source")


class VendorConfirmForm(StewardForm):
    """ "This name is that vendor": from a suggestion's button or from the vendor picker."""

    raw_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="Vendor")
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, vendors: Any, picker: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if picker:
            self.fields["supplier"] = PickerField(
                vendors, lookup_url_name=VENDOR_LOOKUP, label="Another vendor"
            )
        else:
            self.limit_choices("supplier", vendors)
        self.style_fields()

    def clean_raw_name(self) -> str:
        value = str(self.cleaned_data["raw_name"]).strip()
        if not value:
            raise ValidationError("Give the name as the ledger spells it.", code="required")
        return value
