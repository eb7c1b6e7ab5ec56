"""The contract list's filters, shared by the page and its export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from steward.contracts import lifecycle
from steward.contracts.choices import ContractKind, ContractStatus, Decision
from steward.contracts.models import Contract, ContractApproval, DocumentVersion, SlaBreach
from steward.core.filtersets import IdFilter, StewardFilterSet
from steward.parties.choices import Side

EXPIRING_WINDOW_DAYS = 90
SIDES = (("buy", "Buy side"), ("sell", "Sell side"))
SIDE_OF_RELATIONSHIP = {"buy": Side.SUPPLY, "sell": Side.DEMAND}
# Full-text search on PostgreSQL: "simple" neither stems nor drops words, so a search matches
# the words as written whatever the language of the contract.
SEARCH_CONFIG = "simple"
SEARCH_WORDS = 8


class ContractFilterSet(StewardFilterSet):
    search_fields = (
        "title",
        "reference",
        "description",
        "relationship__organization__display_name",
    )

    relationship = IdFilter(field_name="relationship_id", label="Relationship id")
    status = django_filters.MultipleChoiceFilter(choices=ContractStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ContractKind.choices)
    side = django_filters.ChoiceFilter(choices=SIDES, method="filter_side")
    owner = IdFilter(field_name="owner_id", label="Owner id")
    expiring = django_filters.BooleanFilter(
        method="filter_expiring", label=f"In force and ending within {EXPIRING_WINDOW_DAYS} days"
    )
    pending_mine = django_filters.BooleanFilter(
        method="filter_pending_mine", label="Waiting for my approval"
    )
    breached = django_filters.BooleanFilter(
        method="filter_breached", label="With an open SLA breach"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("annual_value", "value"),
            ("end_date", "end"),
            ("notice_deadline", "notice"),
        )
    )

    class Meta:
        model = Contract
        fields = [
            "q",
            "relationship",
            "status",
            "kind",
            "side",
            "owner",
            "expiring",
            "pending_mine",
            "breached",
            "archived",
        ]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Title, reference, description, counterparty and the text of the contract's documents.

        Every word must match somewhere. A contract with many matching documents is listed
        once: the documents are asked through ``Exists``, not joined.
        """
        words = value.split()[:SEARCH_WORDS]
        if not words:
            return queryset
        if connection.vendor == "postgresql":
            return self._search_full_text(queryset, " ".join(words), words)
        for word in words:
            in_documents = _document_versions().filter(text__icontains=word)
            queryset = queryset.filter(self._fields_match(word) | Q(Exists(in_documents)))
        return queryset

    def _fields_match(self, word: str) -> Q:
        clause = Q()
        for field in self.search_fields:
            clause |= Q(**{f"{field}__icontains": word})
        return clause

    def _search_full_text(
        self, queryset: QuerySet[Any], text: str, words: list[str]
    ) -> QuerySet[Any]:
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        in_documents = (
            _document_versions()
            .alias(found=SearchVector("text", config=SEARCH_CONFIG))
            .filter(found=query)
        )
        # Part of a word (a reference number, the start of a name) still finds the contract,
        # as the other lists' search does.
        every_word = Q()
        for word in words:
            every_word &= self._fields_match(word)
        return queryset.alias(found=SearchVector(*self.search_fields, config=SEARCH_CONFIG)).filter(
            Q(found=query) | Q(Exists(in_documents)) | every_word
        )

    def filter_side(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(relationship__side=SIDE_OF_RELATIONSHIP[value])

    def filter_expiring(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status__in=lifecycle.IN_FORCE,
            end_date__gte=today,
            end_date__lte=today + dt.timedelta(days=EXPIRING_WINDOW_DAYS),
        )

    def filter_breached(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Contracts with a breach no recomputation has cleared, on a service level in use."""
        if value is None:
            return queryset
        open_breach = SlaBreach.objects.filter(
            period_result__service_level__contract=OuterRef("pk"),
            period_result__service_level__archived_at__isnull=True,
            archived_at__isnull=True,
            cleared_at__isnull=True,
        )
        return queryset.filter(Exists(open_breach)) if value else queryset

    def filter_pending_mine(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Contracts in approval whose current round waits on the requesting user.

        Only the latest round counts: a rejection ends a round, and its undecided approvals
        stay pending without waiting on anyone.
        """
        user = getattr(self, "user", None)
        if not value or user is None:
            return queryset
        latest_round = (
            ContractApproval.objects.filter(contract=OuterRef(OuterRef("pk")))
            .values("contract")
            .annotate(latest=Max("round"))
            .values("latest")
        )
        mine = ContractApproval.objects.filter(
            contract=OuterRef("pk"),
            approver=user,
            decision=Decision.PENDING,
            archived_at__isnull=True,
            round=Subquery(latest_round),
        )
        return queryset.filter(Exists(mine), status=ContractStatus.PENDING_APPROVAL)


def _document_versions() -> QuerySet[DocumentVersion]:
    """Versions of the outer contract's current documents."""
    return DocumentVersion.objects.filter(
        document__contract=OuterRef("pk"), document__archived_at__isnull=True
    )
