"""Invitations through the API: list, read, create (the link once), resend and revoke."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, principal_for
from steward.core.api.viewsets import ErrorCodes, StewardViewSet
from steward.portal import selectors, services
from steward.portal.api.serializers import (
    InvitationCreatedSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
)
from steward.portal.filtersets import InvitationFilterSet
from steward.portal.models import Invitation

_CREATE_CODES: dict[str, tuple[str, ...]] = {
    "email": ("required", "invalid", "internal_user", "other_organization"),
    "first_name": ("required", "max_length"),
    "last_name": ("max_length",),
    "contact": ("invalid",),
}


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StewardViewSet):
    """Invitations of a vendor's people to the portal, for those who see the vendor."""

    queryset = Invitation.objects.none()
    filterset_class = InvitationFilterSet
    output_serializer_class = InvitationSerializer
    create_serializer_class = InvitationCreateSerializer
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "resend": serializers.Serializer,
        "revoke": serializers.Serializer,
    }
    http_method_names = ["get", "post", "head", "options"]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "resend", "revoke")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _CREATE_CODES,
        "resend": {"non_field_errors": ("accepted",)},
        "revoke": {"non_field_errors": ("accepted",)},
    }

    def select_list(self) -> QuerySet[Invitation]:
        return selectors.invitation_list(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> Invitation:
        return selectors.invitation_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def _created(self, invitation: Invitation, link: str) -> Response:
        # The link is not on the row (only its hash is): it joins the answer here, once.
        data = dict(self.render(invitation, InvitationSerializer))
        data["link"] = link
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            raise exceptions.PermissionDenied("You may not invite anyone to the portal.")
        data = self.parse()
        invitation, link = services.invitation_create(
            actor=request.user,
            supplier=data["supplier"],
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            contact=data.get("contact"),
        )
        return self._created(invitation, link)

    @extend_schema(request=None, responses={201: InvitationCreatedSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A fresh link for the same person; the older link stops working."""
        invitation = self.select_one(Action.CHANGE)
        fresh, link = services.invitation_resend(actor=request.user, invitation=invitation)
        return self._created(fresh, link)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Withdraw an open invitation: its link stops working."""
        invitation = self.select_one(Action.CHANGE)
        return self.answer(services.invitation_revoke(actor=request.user, invitation=invitation))
