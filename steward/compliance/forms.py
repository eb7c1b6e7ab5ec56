"""Forms of the compliance pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from steward.compliance.choices import AuditKind, CertificationKind
from steward.compliance.services.files import FILE_HELP
from steward.core.forms import StewardForm, VersionField, label_of_user
from steward.risk.choices import FindingSeverity

EMPTY = get_user_model().objects.none()
DATE = forms.DateInput(attrs={"type": "date"})


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


def inside_users() -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(profile__kind="external")
        .order_by("first_name", "last_name", "username")
    )


class CertificateFileForm(StewardForm):
    effective_on = forms.DateField(label="Effective date", widget=DATE)
    expires_on = forms.DateField(label="Expiry date", widget=DATE)
    file = forms.FileField(help_text=FILE_HELP)


class CertificationForm(StewardForm):
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=EMPTY, label="Vendor")
    kind = forms.ChoiceField(choices=CertificationKind.choices)
    title = forms.CharField(max_length=200)
    issuer = forms.CharField(max_length=200, required=False)
    scope = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label="Effective date", widget=DATE)
    expires_on = forms.DateField(label="Expiry date", widget=DATE)
    file = forms.FileField(help_text=FILE_HELP)
    owner = UserChoiceField(queryset=EMPTY, required=False, help_text="Defaults to you.")
    shared_with_portal = forms.BooleanField(
        required=False, initial=True, label="Shared with the vendor's portal users"
    )

    def __init__(self, *args: Any, suppliers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supplier", suppliers)
        self.limit_choices("owner", inside_users())


class CertificationEditForm(StewardForm):
    version = VersionField()
    title = forms.CharField(max_length=200)
    issuer = forms.CharField(max_length=200, required=False)
    scope = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label="Effective date", widget=DATE)
    expires_on = forms.DateField(label="Expiry date", widget=DATE)
    owner = UserChoiceField(queryset=EMPTY)
    shared_with_portal = forms.BooleanField(
        required=False, label="Shared with the vendor's portal users"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", inside_users())


class RenewForm(CertificateFileForm):
    title = forms.CharField(
        max_length=200, required=False, help_text="Defaults to the current title."
    )


class FulfilForm(CertificateFileForm):
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the kind.")
    issuer = forms.CharField(max_length=200, required=False)


class DocumentRequestForm(StewardForm):
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=EMPTY, label="Vendor")
    kind = forms.ChoiceField(choices=CertificationKind.choices)
    due_on = forms.DateField(label="Due date", widget=DATE)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The vendor sees this note.",
    )

    def __init__(self, *args: Any, suppliers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supplier", suppliers)


class ReasonForm(StewardForm):
    version = VersionField(required=False)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 1}))


class AuditForm(StewardForm):
    supplier: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=EMPTY, label="Vendor")
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=AuditKind.choices)
    planned_on = forms.DateField(label="Planned date", widget=DATE)
    scope = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_auditor = UserChoiceField(queryset=EMPTY, required=False, help_text="Defaults to you.")
    auditors = UsersChoiceField(queryset=EMPTY, required=False)

    def __init__(self, *args: Any, suppliers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("supplier", suppliers)
        self.limit_choices("lead_auditor", inside_users())
        self.limit_choices("auditors", inside_users())


class AuditTransitionForm(StewardForm):
    version = VersionField(required=False)
    to_status = forms.CharField(max_length=20)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )
    report_summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(StewardForm):
    file = forms.FileField(help_text=FILE_HELP)
    note = forms.CharField(required=False, max_length=2000)


class AuditFindingForm(StewardForm):
    title = forms.CharField(max_length=200)
    severity = forms.ChoiceField(choices=FindingSeverity.choices)
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    corrective_action = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The corrective action agreed; it becomes the finding's remediation plan.",
    )
    remediation_due_on = forms.DateField(label="Remediation due", widget=DATE, required=False)
    owner = UserChoiceField(queryset=EMPTY, required=False, help_text="Defaults to you.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", inside_users())
