"""Form pieces shared by every app: Bootstrap styling, the version field, tags, pickers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.urls import reverse


class StewardFormMixin:
    """Bootstrap classes and accessible error wiring on every widget.

    Styled when built, and again after validation, when the invalid fields are known.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.style_fields()

    def __iter__(self) -> Any:
        self.style_fields()
        return super().__iter__()  # type: ignore[misc]

    def limit_choices(self, name: str, queryset: QuerySet[Any]) -> None:
        """Offer only these rows in the choice field ``name``."""
        self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    def style_fields(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            # A list of checkboxes or radios puts these attributes on each of its inputs.
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            classes = set(widget.attrs.get("class", "").split()) - {"is-invalid"}
            classes.add(css)
            widget.attrs["class"] = " ".join(sorted(classes))
            described = []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            # Only after validation ran: asking for errors earlier would validate too soon.
            errors = getattr(self, "_errors", None)
            if errors and name in errors:
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " is-invalid"
                described.append(f"id_{name}_error")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)


class StewardForm(StewardFormMixin, forms.Form):
    pass


class StewardModelForm(StewardFormMixin, forms.ModelForm):
    """A ModelForm that only parses input; the service does the writing."""

    def _post_clean(self) -> None:
        # Model-level validation belongs to the service, which sees the whole change.
        pass


class VersionField(forms.IntegerField):
    """The version the user read; the service refuses the save if the record moved on."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


class TagsField(forms.CharField):
    """Tags typed as a comma-separated list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Separate tags with commas, e.g. critical, emea.")
        super().__init__(max_length=500, **kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class PickerWidget(forms.TextInput):
    """A search box that offers matching rows (via htmx) and keeps the chosen id hidden."""

    template_name = "includes/picker_widget.html"

    def __init__(self, *, lookup_url_name: str, label_of: Any = str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lookup_url_name = lookup_url_name
        self.label_of = label_of
        self.queryset: QuerySet[Any] | None = None

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, "") and self.queryset is not None:
            chosen = self.queryset.filter(pk=value).first()
            label = self.label_of(chosen) if chosen is not None else ""
        context["widget"].update(
            {"lookup_url": reverse(self.lookup_url_name), "label": label, "pk": value or ""}
        )
        return context


class PickerField(forms.ModelChoiceField):
    """Choose one row out of many thousands without rendering them all."""

    def __init__(self, queryset: QuerySet[Any], *, lookup_url_name: str, **kwargs: Any) -> None:
        widget = PickerWidget(lookup_url_name=lookup_url_name)
        super().__init__(queryset=queryset, widget=widget, **kwargs)
        widget.queryset = queryset

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)  # type: ignore[misc]
        if isinstance(self.widget, PickerWidget):
            self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]


def label_of_user(user: Model) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or str(user)
