"""Forms parse and check input types; the services in services.py decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from steward.core.forms import (
    PickerField,
    StewardForm,
    StewardModelForm,
    TagsField,
    VersionField,
    label_of_user,
)
from steward.parties.models import (
    Contact,
    ContactRole,
    Organization,
    Relationship,
    RelationshipMember,
    Site,
)
from steward.parties.selectors import organization_choices
from steward.people.selectors import internal_user_choices


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return label_of_user(obj)


class OrganizationForm(StewardModelForm):
    parent = PickerField(
        Organization.objects.none(),
        lookup_url_name="parties:organization-lookup",
        required=False,
        label="Parent organization",
        help_text="For a subsidiary: the group it belongs to.",
    )
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    tags = TagsField()
    version = VersionField(required=False)
    confirm_near_duplicate = forms.BooleanField(
        required=False,
        label="I checked the similar organizations; this is a different one.",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Organization
        fields = [
            "legal_name",
            "display_name",
            "registration_number",
            "tax_id",
            "website",
            "country",
            "industry",
            "parent",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("parent", organization_choices(user=user))
        self.fields["legal_name"].widget.attrs.update(
            {
                "hx-get": "",  # set by the view to the duplicate check URL
                "hx-trigger": "change, keyup changed delay:500ms",
                "hx-target": "#near-duplicates",
            }
        )
        if self.instance.pk:
            self.fields["tags"].initial = [tag.name for tag in self.instance.tags.all()]
            self.fields["version"].initial = self.instance.version
            del self.fields["confirm_near_duplicate"]

    def ask_to_confirm_near_duplicate(self) -> None:
        """Similar names exist: show the confirmation box that is hidden otherwise."""
        self.fields["confirm_near_duplicate"].widget = forms.CheckboxInput()
        self.style_fields()


class SiteForm(StewardModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Site
        fields = [
            "name",
            "kind",
            "street",
            "city",
            "region",
            "postal_code",
            "country",
            "shared_with_portal",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ContactForm(StewardModelForm):
    roles = forms.ModelMultipleChoiceField(
        ContactRole.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    version = VersionField(required=False)

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "title",
            "email",
            "phone",
            "site",
            "influence",
            "relationship_strength",
            "notes",
            "shared_with_portal",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("site", organization.sites.active())
        self.fields["roles"].widget.attrs["class"] = "list-unstyled"
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.roles.values_list("code", flat=True))
            self.fields["version"].initial = self.instance.version

    def style_fields(self) -> None:
        super().style_fields()
        # Checkbox groups style their inputs individually.
        self.fields["roles"].widget.attrs["class"] = "form-check-input"


class RelationshipForm(StewardModelForm):
    organization = PickerField(
        Organization.objects.none(), lookup_url_name="parties:organization-lookup"
    )
    owner = UserChoiceField(queryset=None, required=False, help_text="Defaults to you.")
    tags = TagsField()
    version = VersionField(required=False)

    class Meta:
        model = Relationship
        fields = ["organization", "side", "owner", "tier", "status", "next_review_on", "summary"]
        widgets = {
            "next_review_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("organization", organization_choices(user=user))
        self.limit_choices("owner", internal_user_choices(user=user))
        if self.instance.pk:
            for name in ("organization", "side", "owner"):
                del self.fields[name]
            self.fields["tags"].initial = [tag.name for tag in self.instance.tags.all()]
            self.fields["version"].initial = self.instance.version


class ReassignForm(StewardForm):
    owner = UserChoiceField(queryset=None, label="New owner")
    version = VersionField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("owner", internal_user_choices(user=user))


class MemberForm(StewardModelForm):
    user = UserChoiceField(queryset=None, label="Person")

    class Meta:
        model = RelationshipMember
        fields = ["user", "role", "access"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("user", internal_user_choices(user=user))


class DocumentForm(StewardForm):
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the file name.")
    file = forms.FileField(help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or text.")
    shared_with_portal = forms.BooleanField(required=False, label="Share with the portal")
