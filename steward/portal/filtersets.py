"""The invitation filter set, shared by the vendor tab and the API list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.portal.models import Invitation, InvitationStatus


class InvitationFilterSet(StewardFilterSet):
    search_fields = ("email", "first_name", "last_name")
    supplier = IdFilter(field_name="supplier_id", label="Vendor id")
    organization = IdFilter(field_name="organization_id", label="Organization id")
    status = django_filters.ChoiceFilter(
        choices=InvitationStatus.choices, method="filter_status", label="Status"
    )

    class Meta:
        model = Invitation
        fields = ["q", "supplier", "organization", "status", "archived"]

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        now = timezone.now()
        clauses = {
            InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
            InvitationStatus.REVOKED: Q(accepted_at__isnull=True, revoked_at__isnull=False),
            InvitationStatus.EXPIRED: Q(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
            ),
            InvitationStatus.OPEN: Q(
                accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            ),
        }
        return queryset.filter(clauses[InvitationStatus(value)])
