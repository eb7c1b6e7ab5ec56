"""Base viewsets: thin adapters from HTTP to selectors (reads) and services (writes).

A domain viewset names its serializers and FilterSet and implements a handful of hooks that each
call one selector or one service; everything else — parsing, versions and ETags, archive and
restore, history, error translation, the OpenAPI description — is shared and lives here.

Reads: ``select_list`` returns the user's restricted queryset (the FilterSet, ordering and
pagination are applied by DRF's backends); ``select_one`` fetches one row through the selector's
``*_get`` and so answers 404 for rows the user may not see and 403 for an action they may not do.

Writes: serializers only parse and validate types; the ``perform_*`` hooks hand the validated data
to a service. Updates must name the version the client read (``version`` in the body or an
``If-Match`` header); a stale one is answered with 409 and a missing one with 428.
"""

from __future__ import annotations

import builtins
import re
from typing import Any, ClassVar, cast

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.core.access import Action, get_for_user, principal_for
from steward.core.api.errors import VersionRequired, translate_exception
from steward.core.api.fields import version_field
from steward.core.api.history import HistoryEntrySerializer, HistorySequence
from steward.core.api.schema import StewardAutoSchema


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """Any path under the API that names no endpoint: a 404 in the API's error shape."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound("There is no such endpoint.")


# A strong ETag of ours: the version number in double quotes (a bare number is accepted too).
_ETAG = re.compile(r'^\s*"?(\d{1,18})"?\s*$')


def etag_for(record: Model) -> str:
    return f'"{record.version}"'  # type: ignore[attr-defined]


class VersionSerializer(serializers.Serializer):
    """The body of restore: optionally, the version the client read."""

    version = version_field()


# Validation codes per action and field, as the schema lists them.
ErrorCodes = dict[str, dict[str, tuple[str, ...]]]

_VERSIONED_UPDATE: dict[str, tuple[str, ...]] = {
    "version": ("version_mismatch",),
    "If-Match": ("invalid",),
    "non_field_errors": ("archived",),
}


class StewardViewSet(viewsets.GenericViewSet):
    """What every Steward viewset shares: error translation and the schema that documents it."""

    schema = StewardAutoSchema()

    # Serializers: output renders a row (the list may use a lighter one); inputs only parse.
    output_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    list_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    create_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    update_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    # Bodies of custom actions, by action name.
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {}
    # Read by StewardAutoSchema to document what each action can answer.
    paginated_actions: ClassVar[tuple[str, ...]] = ("list",)
    forbidden_actions: ClassVar[tuple[str, ...]] = ()
    versioned_actions: ClassVar[tuple[str, ...]] = ()
    version_required_actions: ClassVar[tuple[str, ...]] = ()
    sends_etag: ClassVar[bool] = False
    # Validation codes the services answer with, per action and field (merged along the class
    # hierarchy by StewardAutoSchema): the schema lists every code a client can receive.
    validation_error_codes: ClassVar[ErrorCodes] = {
        "list": {"page_size": ("invalid",)},
        "history": {"page_size": ("invalid",)},
    }
    # Ids are numbers; any other path under the API answers a JSON 404 (see ApiNotFoundView).
    lookup_value_regex = "[0-9]+"

    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(translate_exception(exc))

    # --- serializers -----------------------------------------------------------------------------

    def get_input_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        if self.action in self.action_input_serializers:
            return self.action_input_serializers[self.action]
        return self.get_output_serializer_class()

    def get_output_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        if self.action == "history":
            return HistoryEntrySerializer
        assert self.output_serializer_class is not None, f"{type(self).__name__} has no output"
        return self.output_serializer_class

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.request is not None and self.request.method in ("POST", "PUT", "PATCH"):
            return self.get_input_serializer_class()
        return self.get_output_serializer_class()

    def render(self, record: Any, serializer_class: Any = None) -> Any:
        serializer_class = serializer_class or self.get_output_serializer_class()
        return serializer_class(record, context=self.get_serializer_context()).data

    def parse(self, *, partial: bool = False) -> dict[str, Any]:
        serializer = self.get_input_serializer_class()(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    # --- reads -----------------------------------------------------------------------------------

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return cast("QuerySet[Any]", type(self).queryset)
        return self.select_list()

    def viewset_model(self) -> Any:
        """The model named by the class's ``queryset`` (``Model.objects.none()``)."""
        queryset = type(self).queryset
        assert queryset is not None, f"{type(self).__name__} names no queryset"
        return queryset.model

    def select_list(self) -> QuerySet[Any]:
        """The rows the user may see (filters are applied after).

        By default every row of the viewset's model the access policy lets the user see; a
        viewset overrides this to read through its selector or to add joins and an order.
        """
        return cast(
            "QuerySet[Any]", self.viewset_model().objects.restrict(self.request.user, Action.VIEW)
        )

    def select_one(self, action: Action = Action.VIEW) -> Any:
        """One row the user may see (404 otherwise), checked for ``action`` (403 otherwise)."""
        return get_for_user(
            self.viewset_model().objects.all(),
            user=self.request.user,
            pk=self.kwargs["pk"],
            action=action,
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.complete_page(self.paginate_queryset(queryset) or [])
        serializer = self.get_output_serializer_class()(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    def complete_page(self, page: builtins.list[Any]) -> builtins.list[Any]:
        """Add what the list serializer needs to one page of rows, in a fixed number of queries.

        Lists that select model instances can prefetch here; lists that select plain values
        fold what they need into their one query (see ``RelatedNames``).
        """
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.select_one(Action.VIEW)
        return self.answer(record)

    def answer(self, record: Any, *, code: int = status.HTTP_200_OK, data: Any = None) -> Response:
        headers = {"ETag": etag_for(record)} if self.sends_etag else None
        return Response(self.render(record) if data is None else data, status=code, headers=headers)


class RecordViewSet(StewardViewSet):
    """A versioned domain record: CRUD where delete archives, plus restore and history."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    paginated_actions: ClassVar[tuple[str, ...]] = ("list", "history")
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        "create",
        "update",
        "partial_update",
        "destroy",
        "restore",
        "history",
    )
    versioned_actions: ClassVar[tuple[str, ...]] = (
        "update",
        "partial_update",
        "destroy",
        "restore",
    )
    version_required_actions: ClassVar[tuple[str, ...]] = ("update", "partial_update")
    sends_etag = True
    action_input_serializers: ClassVar[dict[str, type[serializers.BaseSerializer]]] = {
        "restore": VersionSerializer
    }
    validation_error_codes: ClassVar[ErrorCodes] = {
        "update": _VERSIONED_UPDATE,
        "partial_update": _VERSIONED_UPDATE,
        "destroy": {"If-Match": ("invalid",)},
        "restore": {
            "version": ("version_mismatch",),
            "If-Match": ("invalid",),
            "non_field_errors": ("archived",),
        },
    }

    # --- hooks: each calls one service -----------------------------------------------------------

    def perform_create_record(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        raise NotImplementedError

    def perform_archive(self, record: Any, version: int | None) -> Any:
        raise NotImplementedError

    def perform_restore(self, record: Any, version: int | None) -> Any:
        raise NotImplementedError

    # --- versions --------------------------------------------------------------------------------

    def requested_version(self, body_version: int | None, *, required: bool) -> int | None:
        """The version the client read: the body's ``version`` or the ``If-Match`` header."""
        header = self.request.headers.get("If-Match", "").strip()
        header_version = None
        if header:
            match = _ETAG.match(header)
            if match is None:
                raise serializers.ValidationError(
                    {
                        "If-Match": [
                            exceptions.ErrorDetail(
                                'Send the ETag you read, e.g. If-Match: "3".', code="invalid"
                            )
                        ]
                    }
                )
            header_version = int(match.group(1))
        if None not in (body_version, header_version) and body_version != header_version:
            raise serializers.ValidationError(
                {
                    "version": [
                        exceptions.ErrorDetail(
                            f"The body names version {body_version} but If-Match names "
                            f"{header_version}; send one version.",
                            code="version_mismatch",
                        )
                    ]
                }
            )
        version = body_version if body_version is not None else header_version
        if version is None and required:
            raise VersionRequired()
        return version

    # --- actions ---------------------------------------------------------------------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not principal_for(request.user).may_write:
            # Refuse before parsing: a read-only user learns nothing from validation messages.
            raise exceptions.PermissionDenied("You may not create records.")
        record = self.perform_create_record(self.parse())
        return self.answer(record, code=status.HTTP_201_CREATED, data=self.render_created(record))

    def render_created(self, record: Any) -> Any:
        return self.render(record)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(partial=False)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(partial=True)

    def _update(self, *, partial: bool) -> Response:
        record = self.select_one(Action.CHANGE)
        data = self.parse(partial=partial)
        version = self.requested_version(data.pop("version", None), required=True)
        assert version is not None
        return self.answer(self.perform_update_record(record, data, version))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Archive: the record leaves lists, keeps its history and can be restored."""
        record = self.select_one(Action.DELETE)
        self.perform_archive(record, self.requested_version(None, required=False))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def restore(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Bring an archived record back (restoring a current record changes nothing)."""
        record = self.select_one(Action.DELETE)
        version = self.requested_version(self.parse().get("version"), required=False)
        return self.answer(self.perform_restore(record, version))

    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every change to the record, newest first: who, when, and field by field what."""
        record = self.select_one(Action.VIEW)
        if principal_for(request.user).is_external:
            # History names inside people and other records; portal users see the record only.
            raise exceptions.PermissionDenied("The history of records is for inside users.")
        page = self.paginate_queryset(HistorySequence(record))  # type: ignore[arg-type]
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
