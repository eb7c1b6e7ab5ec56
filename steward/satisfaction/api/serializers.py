"""API shapes of responses, survey requests, the standard, the cadence and an account's figures.

Inputs only parse; the services decide. No output carries a survey link's token or its hash.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from steward.core.access import Action
from steward.core.api.fields import VisibleRelatedField, version_field
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship, Site
from steward.satisfaction.choices import ResponseChannel
from steward.satisfaction.models import (
    MeetingCadence,
    SatisfactionResponse,
    SatisfactionStandard,
    SurveyRequest,
)

BOOKKEEPING = ["id", "version", "created_at", "updated_at", "archived_at"]


# A pattern rather than an enum: other apps' "kind" fields are enums of other choice sets, and
# the schema's component names stay free of generated suffixes.
KIND_PATTERN = r"^(csat|nps)$"


def kind_field(**kwargs: Any) -> serializers.RegexField:
    return serializers.RegexField(
        KIND_PATTERN,
        help_text="csat (scored 1-5) or nps (scored 0-10).",
        error_messages={"invalid": "Choose csat or nps."},
        **kwargs,
    )


def _accounts(user: Any) -> Any:
    return Relationship.objects.restrict(user, Action.VIEW).filter(side=Side.DEMAND)


def _contacts(user: Any) -> Any:
    return Contact.objects.restrict(user, Action.VIEW)


def _sites(user: Any) -> Any:
    return Site.objects.restrict(user, Action.VIEW)


class SatisfactionResponseSerializer(serializers.ModelSerializer):
    relationship = serializers.IntegerField(source="relationship_id", help_text="The account.")
    contact = serializers.IntegerField(source="contact_id", allow_null=True)
    site = serializers.IntegerField(source="site_id", allow_null=True, help_text="The location.")
    entered_by = serializers.IntegerField(source="entered_by_id", allow_null=True)
    request = serializers.IntegerField(
        source="request_id", allow_null=True, help_text="The survey request answered, if any."
    )
    kind = kind_field()
    channel = serializers.ChoiceField(choices=ResponseChannel.choices)
    respondent_email = serializers.CharField(
        help_text="The respondent's address, lower-cased (empty when not known)."
    )

    class Meta:
        model = SatisfactionResponse
        fields = [
            *BOOKKEEPING,
            "relationship",
            "contact",
            "respondent_email",
            "site",
            "kind",
            "score",
            "comment",
            "answered_on",
            "channel",
            "request",
            "entered_by",
        ]
        read_only_fields = fields


class SatisfactionResponseUpdateSerializer(serializers.Serializer):
    score = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text="CSAT 1-5, NPS 0-10."
    )
    answered_on = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    version = version_field()


class SatisfactionResponseCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_accounts, help_text="The account (a demand-side relationship)."
    )
    kind = kind_field()
    score = serializers.IntegerField(min_value=0, max_value=10, help_text="CSAT 1-5, NPS 0-10.")
    answered_on = serializers.DateField(help_text="Not in the future.")
    contact = VisibleRelatedField(model=Contact, choices=_contacts, required=False, allow_null=True)
    site = VisibleRelatedField(model=Site, choices=_sites, required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    respondent_email = serializers.EmailField(required=False, allow_blank=True)


class SurveyRequestSerializer(serializers.ModelSerializer):
    relationship = serializers.IntegerField(source="relationship_id")
    contact = serializers.IntegerField(source="contact_id")
    sent_by = serializers.IntegerField(source="sent_by_id")
    kinds = serializers.ListField(child=kind_field(), read_only=True)

    class Meta:
        model = SurveyRequest
        fields = [
            *BOOKKEEPING,
            "relationship",
            "contact",
            "email",
            "kinds",
            "expires_at",
            "answered_at",
            "sent_by",
        ]
        read_only_fields = fields


class SurveyRequestCreateSerializer(serializers.Serializer):
    relationship = VisibleRelatedField(
        model=Relationship, choices=_accounts, help_text="The account (a demand-side relationship)."
    )
    contact = VisibleRelatedField(
        model=Contact, choices=_contacts, help_text="A contact of the account's organization."
    )
    kinds = serializers.ListField(
        child=kind_field(),
        required=False,
        min_length=1,
        max_length=2,
        help_text="What to ask; both when left out.",
    )
    expires_in_days = serializers.IntegerField(
        required=False, min_value=1, max_value=90, help_text="Days the link works (30 by default)."
    )


class SatisfactionStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = SatisfactionStandard
        fields = [
            *BOOKKEEPING,
            "nps_minimum",
            "csat_minimum_pct",
            "minimum_responses",
            "window_months",
        ]
        read_only_fields = fields


class SatisfactionStandardUpdateSerializer(serializers.Serializer):
    nps_minimum = serializers.IntegerField(required=False, min_value=-100, max_value=100)
    csat_minimum_pct = serializers.DecimalField(
        required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    minimum_responses = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    window_months = serializers.IntegerField(required=False, min_value=1, max_value=60)
    version = version_field()


class MeetingCadenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingCadence
        fields = [*BOOKKEEPING, "tier", "days"]
        read_only_fields = fields


class MeetingCadenceUpdateSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=730)
    version = version_field()


class FileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX; the first row names the columns.")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Responses added.")
    skipped = serializers.IntegerField(help_text="Rows already stored (same natural key).")


class FigureSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    count = serializers.IntegerField()


class CsatFigureSerializer(serializers.Serializer):
    pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="% of answers 4 or 5."
    )
    mean = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text="The mean score (1-5)."
    )
    count = serializers.IntegerField()


class WarningSerializer(serializers.Serializer):
    kind = serializers.CharField()
    what = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class AccountSatisfactionSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    since = serializers.DateField()
    until = serializers.DateField()
    nps = FigureSerializer()
    csat = CsatFigureSerializer()
    meets_standard = serializers.BooleanField(
        allow_null=True, help_text="Null when there are too few responses to judge."
    )
    warnings = WarningSerializer(many=True)


class AccountSatisfactionQuerySerializer(serializers.Serializer):
    since = serializers.DateField(
        required=False, help_text="First day (12 months back by default)."
    )
    until = serializers.DateField(required=False, help_text="Last day (today by default).")
