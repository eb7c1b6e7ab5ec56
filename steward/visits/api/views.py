"""The visits API: post-visit notes (list, read, record) and an account's pre-visit brief.

Each handler parses, calls one selector or service, and renders. A note is recorded once and
kept as it was (its changes are applied to the plan and the actions, which have their own
endpoints and history): no update, no delete.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.reviews.choices import ActionSide
from steward.visits import selectors, services
from steward.visits.api import serializers as s
from steward.visits.filtersets import VisitFilterSet
from steward.visits.models import Visit
from steward.visits.services import Attendee, NewAction

TEXT = ("required", "too_long", "invalid")
# What a row's own fields answer, reported on its list (see VisitRowsField).
ROW_CODES = (
    "does_not_exist",
    "incorrect_type",
    "invalid_choice",
    "required",
    "null",
    "blank",
    "invalid",
    "max_length",
    "datetime",
    "surrogate_characters_not_allowed",
    "null_characters_not_allowed",
)
NOTE_FIELDS: dict[str, tuple[str, ...]] = {
    "relationship": ("not_an_account", "archived"),
    "visited_on": ("required", "future"),
    "kind": ("invalid",),
    "location": ("not_in_account",),
    "subject": ("too_long", "invalid"),
    "summary": TEXT,
    "attendees": (*ROW_CODES, "not_in_account", "archived", "duplicate", "not_on_map"),
    "new_actions": (
        *ROW_CODES,
        "too_long",
        "before_visit",
        "wrong_side",
        "not_in_account",
        "archived",
        "inactive",
        "not_internal",
    ),
    "done_actions": ("does_not_exist", "incorrect_type", "null", "other_account", "not_open"),
}


def _inside(request: Request) -> None:
    if principal_for(request.user).is_external:
        raise exceptions.PermissionDenied("Visit notes are kept by inside users.")


class VisitViewSet(RecordViewSet):
    """Post-visit notes of customer accounts: the visit logged as an activity, and what it
    changed on the account plan's relationship map and on the actions. Read like the account
    (its owner and team, their managers, auditors); recorded by who may change the account."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Visit.objects.none()
    filterset_class = VisitFilterSet
    output_serializer_class = s.VisitSerializer
    create_serializer_class = s.VisitInputSerializer
    restore = None  # type: ignore[assignment]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "history")
    validation_error_codes: ClassVar[ErrorCodes] = {"create": NOTE_FIELDS}

    def select_list(self) -> QuerySet[Visit]:
        return (
            selectors.visit_list(user=self.request.user)
            .prefetch_related("activity__contacts")
            .order_by("-visited_on", "-pk")
        )

    def select_one(self, action: Action = Action.VIEW) -> Visit:
        return selectors.visit_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> Visit:
        _inside(self.request)
        attendees = [
            Attendee(contact=row["contact"], sentiment=row.get("sentiment", ""))
            for row in data.get("attendees", [])
        ]
        new_actions = [
            NewAction(
                title=row["title"],
                due_on=row["due_on"],
                side=row.get("side") or ActionSide.OURS,
                owner=row.get("owner"),
                owner_contact=row.get("owner_contact"),
            )
            for row in data.get("new_actions", [])
        ]
        extra = {key: data[key] for key in ("kind", "subject") if key in data}
        return services.visit_note_record(
            actor=self.request.user,
            relationship=data["relationship"],
            visited_on=data["visited_on"],
            summary=data["summary"],
            face_to_face=data.get("face_to_face", True),
            location=data.get("location"),
            attendees=attendees,
            new_actions=new_actions,
            done_actions=data.get("done_actions", []),
            **extra,
        )


class AccountBriefViewSet(StewardViewSet):
    """An account's pre-visit brief: open objectives, open problems, whitespace targets, open
    opportunities, recent activity, the relationship map and the open actions on both sides."""

    queryset = Visit.objects.none()
    output_serializer_class = s.VisitBriefSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    forbidden_actions: ClassVar[tuple[str, ...]] = ()
    filter_backends: list[Any] = []
    pagination_class = None
    validation_error_codes: ClassVar[ErrorCodes] = {"retrieve": {"location": ("invalid",)}}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _inside(request)

    @extend_schema(
        parameters=[s.VisitBriefQuerySerializer],
        responses={status.HTTP_200_OK: s.VisitBriefSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = selectors.brief_account(user=request.user, pk=self.kwargs["pk"])
        query = s.VisitBriefQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        location = selectors.account_location(account, query.validated_data.get("location"))
        brief = selectors.visit_brief(request.user, account, location)
        return Response(s.VisitBriefSerializer(brief).data)
