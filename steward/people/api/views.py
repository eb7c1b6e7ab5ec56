"""API endpoints for people: the user directory (with ``users/me/``) and teams, read-only.

Both read through ``steward.people.selectors``: inside users see the directory, portal users
see only themselves and no teams.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action
from steward.core.api.viewsets import StewardViewSet
from steward.people import selectors
from steward.people.api.serializers import TeamSerializer, UserSerializer
from steward.people.models import Team

_GROUPS = Prefetch("groups")


class UserViewSet(StewardViewSet):
    """The people the requesting user may see."""

    queryset = selectors.User.objects.none()
    output_serializer_class = UserSerializer

    def select_list(self) -> QuerySet[Any]:
        return selectors.user_list(user=self.request.user).prefetch_related(_GROUPS)

    def select_one(self, action: Action = Action.VIEW) -> Any:
        return selectors.user_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def me(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Who the request is authenticated as: roles, function, manager, organization."""
        return self.answer(selectors.user_get_for_user(user=request.user, pk=request.user.pk))


class TeamViewSet(StewardViewSet):
    queryset = Team.objects.none()
    output_serializer_class = TeamSerializer

    def select_list(self) -> QuerySet[Team]:
        return selectors.team_list(user=self.request.user).prefetch_related("members")

    def select_one(self, action: Action = Action.VIEW) -> Team:
        try:
            return self.select_list().get(pk=self.kwargs["pk"])
        except (Team.DoesNotExist, ValueError, TypeError) as error:
            raise Http404 from error
