"""The awards API: criterion scores, awards (the vendor confirms or declines), award lines, and
an event's comparison, award proposal and decision. Each handler parses, calls one selector or
service, and renders; refusals answer in the API's one error shape, naming the field."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.awards import selectors, services
from steward.awards.api import serializers as s
from steward.awards.filtersets import AwardFilterSet, AwardLineFilterSet, CriterionScoreFilterSet
from steward.awards.models import Award, AwardLine, CriterionScore
from steward.core.access import Action, principal_for
from steward.core.api.schema import StewardAutoSchema
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.core.errors import DomainError
from steward.sourcing.models import EventInvitation, SourcingEvent

TEXT_CODES = ("required", "too_long", "invalid")
STATUS: dict[str, tuple[str, ...]] = {"status": ("invalid_transition",)}
# What reading and evaluating a closed event's bids can refuse (see matrix.py, evaluation.py).
SHEET_CODES: dict[str, tuple[str, ...]] = {
    "non_field_errors": ("sealed",),
    "closes_at": ("not_closed",),
    "currency": ("no_rate",),
    "criteria": ("criteria_over_cap", "invalid"),
    "price_per": ("invalid",),
}


def _refuse_portal(request: Request, what: str) -> None:
    if not principal_for(request.user).is_internal:
        raise exceptions.PermissionDenied(f"{what} is for the buyer's side.")


class CriterionScoreViewSet(StewardViewSet):
    """Evaluators' values on a weighted event's non-price criteria. POST gives or changes one
    invitee's value on one criterion (from 0 to the criterion's maximum), after the closing time
    and before an award is proposed."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = CriterionScore.objects.none()
    filterset_class = CriterionScoreFilterSet
    output_serializer_class = s.SourcingCriterionScoreSerializer
    create_serializer_class = s.SourcingCriterionScoreInputSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create",)
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {
            **SHEET_CODES,
            **STATUS,
            "value": ("out_of_range", "invalid"),
            "criterion": ("not_weighted", "invalid"),
            "invitation": ("no_bid",),
            "note": TEXT_CODES,
        }
    }

    def get_input_serializer_class(self) -> type[serializers.BaseSerializer]:
        return s.SourcingCriterionScoreInputSerializer

    def select_list(self) -> QuerySet[CriterionScore]:
        return selectors.criterion_scores(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request, "Scoring")
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not score bids.")
        data = self.parse()
        score = services.criterion_score_set(actor=request.user, **data)
        return Response(self.render(score), status=status.HTTP_201_CREATED)


class AwardViewSet(StewardViewSet):
    """Awards of sourcing events. Inside users see the awards of the events they may see; a
    vendor's portal users see their own organization's approved awards and confirm or decline
    them before ``confirm_by``."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Award.objects.none()
    filterset_class = AwardFilterSet
    output_serializer_class = s.AwardSerializer
    forbidden_actions: ClassVar[tuple[str, ...]] = ("confirm", "decline")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "confirm": serializers.Serializer,
        "decline": s.AwardReasonSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "confirm": {**SHEET_CODES, "status": ("invalid_transition", "expired")},
        "decline": {
            **SHEET_CODES,
            "status": ("invalid_transition", "expired"),
            "reason": TEXT_CODES,
        },
    }

    def select_list(self) -> QuerySet[Award]:
        return selectors.award_list(user=self.request.user).prefetch_related(
            Prefetch("lines", queryset=AwardLine.objects.select_related("line"))
        )

    def select_one(self, action: Action = Action.VIEW) -> Award:
        return selectors.award_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    @extend_schema(request=None, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The winner takes the award: a draft contract and the saving follow."""
        award = services.award_confirm(actor=request.user, award=self.select_one())
        return self.answer(award)

    @extend_schema(request=s.AwardReasonSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The winner turns the award down; its lines fall to the next-ranked bid."""
        award = self.select_one()
        reason = self.parse()["reason"]
        return self.answer(services.award_decline(actor=request.user, award=award, reason=reason))


class AwardLineViewSet(StewardViewSet):
    """The lines of awards, at the awarded price per line unit in the event's currency."""

    http_method_names = ["get", "head", "options"]
    queryset = AwardLine.objects.none()
    filterset_class = AwardLineFilterSet
    output_serializer_class = s.AwardLineSerializer

    def select_list(self) -> QuerySet[AwardLine]:
        return selectors.award_lines(user=self.request.user)


class _EventAwardSchema(StewardAutoSchema):
    """The comparison is a GET that a sealed event or a missing rate refuses with 400."""

    def _should_add_validation_error_response(self) -> bool:
        return self._action() == "comparison" or super()._should_add_validation_error_response()


class EventAwardViewSet(StewardViewSet):
    """An event's comparison matrix, and its award: proposed by whoever may change the event,
    approved or sent back by someone else (an administrator, a procurement buyer or the
    owner's manager)."""

    schema = _EventAwardSchema()
    queryset = SourcingEvent.objects.none()
    output_serializer_class = s.AwardSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    filter_backends: list[Any] = []
    pagination_class = None
    forbidden_actions: ClassVar[tuple[str, ...]] = ("comparison", "propose", "approve", "send_back")
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "propose": s.AwardProposeSerializer,
        "approve": serializers.Serializer,
        "send_back": s.AwardReasonSerializer,
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "comparison": SHEET_CODES,
        "propose": {
            **SHEET_CODES,
            **STATUS,
            "invitation": ("not_invited", "no_bid", "unallocated", "single_award", "invalid"),
            "lines": ("not_invited", "no_bid", "unallocated", "single_award", "invalid"),
            "rationale": TEXT_CODES,
            "low_bid_justification": ("justification_required", "too_long", "invalid"),
        },
        "approve": STATUS,
        "send_back": {**STATUS, "reason": TEXT_CODES},
    }

    def get_output_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "comparison":
            return s.ComparisonSerializer
        return s.AwardSerializer

    def _event(self) -> SourcingEvent:
        return selectors.event_get(user=self.request.user, pk=self.kwargs["pk"])

    def _awards(self, event: SourcingEvent) -> Any:
        rows = selectors.event_awards(user=self.request.user, event=event)
        return s.AwardSerializer(rows, many=True, context=self.get_serializer_context()).data

    @extend_schema(responses=s.ComparisonSerializer)
    def comparison(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every invitee's last bid per line, normalized to the event's currency and units,
        evaluated, ranked and flagged; refused while the bids are sealed."""
        event = self._event()  # a portal user sees no event: 404, as for one that is not there
        _refuse_portal(request, "The comparison of bids")
        comparison = selectors.comparison(user=request.user, event=event)
        return Response(s.ComparisonSerializer(s.comparison_data(comparison)).data)

    @extend_schema(request=s.AwardProposeSerializer, responses={201: s.AwardSerializer(many=True)})
    def propose(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Propose the award of a closed event: ``invitation`` for a single award, or ``lines``
        (each line id with the invitation it goes to) for a split one."""
        event = self._event()
        _refuse_portal(request, "Awarding")
        data = self.parse()
        try:
            awards = services.award_propose(
                actor=request.user,
                event=event,
                allocations=_allocations(event, data),
                rationale=data["rationale"],
                low_bid_justification=data["low_bid_justification"],
            )
        except DomainError as error:
            if error.field == "allocations":  # the body names it one of two ways
                error.field = "invitation" if "invitation" in data else "lines"
            raise
        rows = s.AwardSerializer(awards, many=True, context=self.get_serializer_context())
        return Response(rows.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AwardSerializer(many=True))
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Approve the proposed award (never by its proposer): the vendors are asked to confirm."""
        event = self._event()
        services.award_approve(actor=request.user, event=event)
        return Response(self._awards(event))

    @extend_schema(request=s.AwardReasonSerializer, responses=s.AwardSerializer(many=True))
    def send_back(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Refuse the proposed award; its awards are withdrawn and the event is closed again."""
        event = self._event()
        reason = self.parse()["reason"]
        services.award_send_back(actor=request.user, event=event, reason=reason)
        return Response(self._awards(event))


def _allocations(event: SourcingEvent, data: dict[str, Any]) -> Any:
    """The body's ids as the service takes them: invitations of this event only."""
    invitations = {i.pk: i for i in EventInvitation.objects.filter(event=event)}

    def invitation(pk: int, field: str, where: str = "") -> EventInvitation:
        found = invitations.get(pk)
        if found is None:
            raise DomainError(
                f"{where}{pk} is not an invitation of this event.",
                field=field,
                code="not_invited",
            )
        return found

    if "invitation" in data:
        return invitation(data["invitation"], "invitation", "Invitation ")
    chosen: dict[int, EventInvitation] = {}
    for row in data["lines"]:
        if row["line"] in chosen:
            raise DomainError(
                f"Line id {row['line']} is given twice; award each line once.",
                field="lines",
                code="invalid",
            )
        where = f"Line id {row['line']}: invitation "
        chosen[row["line"]] = invitation(row["invitation"], "lines", where)
    return chosen
