"""OpenAPI generation for Steward's viewsets.

drf-standardized-errors documents the errors DRF itself raises. Steward's viewsets raise three
more that a client must plan for, so this schema class documents them from attributes the
viewsets declare (see ``StewardViewSet``):

- 403 on the actions in ``forbidden_actions`` (the record is visible but the action is not yours),
- 409 on the actions in ``versioned_actions`` (someone saved the record since you read it),
- 428 on the actions in ``version_required_actions`` (no version was sent),

and the ``If-Match`` request header and ``ETag`` response header that carry versions. Request and
response bodies come from the viewset's input and output serializers, which differ on purpose:
inputs take ids of related rows, outputs render them.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import follow_field_source
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema
from drf_standardized_errors.openapi_utils import InputDataField
from drf_standardized_errors.settings import package_settings

from steward.core.api.errors import ErrorResponse409Serializer, ErrorResponse428Serializer

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag of the version you read, e.g. `"3"`. Alternative to the `version` field; '
        "a stale version is refused with 409."
    ),
)


def etag_header(status_codes: list[str]) -> OpenApiParameter:
    return OpenApiParameter(
        name="ETag",
        type=OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        response=status_codes,
        description='The record\'s version, e.g. `"3"`; send it back as `If-Match` to update.',
    )


class StewardAutoSchema(AutoSchema):
    def _tokenize_path(self) -> list[str]:
        # "/api/v1/organizations/" is tagged and named after "organizations", not "v1".
        tokens = list(super()._tokenize_path())
        if tokens and re.fullmatch(r"v\d+", tokens[0]):
            tokens = tokens[1:]
        return tokens

    def _action(self) -> str:
        return str(getattr(self.view, "action", "") or "")

    def _declares(self, attribute: str) -> bool:
        return self._action() in getattr(self.view, attribute, ())

    # --- bodies ----------------------------------------------------------------------------------

    def get_request_serializer(self) -> Any:
        chooser = getattr(self.view, "get_input_serializer_class", None)
        if chooser is not None and self.method in ("POST", "PUT", "PATCH"):
            return chooser()
        return super().get_request_serializer()

    def get_response_serializers(self) -> Any:
        chooser = getattr(self.view, "get_output_serializer_class", None)
        if chooser is not None:
            serializer = chooser()
            if self._declares("paginated_actions"):
                return serializer(many=True)
            return serializer
        return super().get_response_serializers()

    def get_filter_backends(self) -> list[Any]:
        # Only the collection itself is filtered; history pages and custom actions are not.
        if self._action() != "list":
            return []
        return super().get_filter_backends()

    # --- headers ---------------------------------------------------------------------------------

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._declares("versioned_actions"):
            parameters.append(IF_MATCH)
        etag_codes = [
            code
            for action, code in (("retrieve", "200"), ("create", "201"))
            if self._action() == action
        ]
        if self._declares("version_required_actions") or self._action() == "restore":
            etag_codes.append("200")
        if etag_codes and getattr(self.view, "sends_etag", False):
            parameters.append(etag_header(etag_codes))
        return parameters

    # --- errors ----------------------------------------------------------------------------------

    def _get_allowed_error_status_codes(self) -> list[str]:
        return [*super()._get_allowed_error_status_codes(), "409", "428"]

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "409":
            return status_code not in responses and self._declares("versioned_actions")
        if status_code == "428":
            return status_code not in responses and self._declares("version_required_actions")
        return super()._should_add_error_response(responses, status_code)

    def _should_add_http403_error_response(self) -> bool:
        return self._declares("forbidden_actions") or super()._should_add_http403_error_response()

    def _determine_fields_with_error_codes(self) -> list[InputDataField]:
        """List fields that report their items' errors on themselves carry the items' codes."""
        fields = list(super()._determine_fields_with_error_codes())
        by_name = {data_field.name: data_field for data_field in fields}
        index = package_settings.NESTED_FIELD_SEPARATOR + package_settings.LIST_INDEX_IN_API_SCHEMA
        kept = []
        for data_field in fields:
            if isinstance(data_field.field, forms.ModelChoiceField):
                # Django checks these itself, outside the validators the generator reads.
                data_field.error_codes.add("null_characters_not_allowed")
            parent = by_name.get(data_field.name.removesuffix(index))
            if (
                data_field.name.endswith(index)
                and parent is not None
                and getattr(parent.field, "flat_child_errors", False)
            ):
                parent.error_codes |= data_field.error_codes
                continue
            kept.append(data_field)
        return kept

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        """Codes the services can answer with, as viewsets declare them per action and field.

        ``validation_error_codes`` is merged along the class hierarchy, so a base viewset
        declares what its shared actions raise and an app's viewset adds its own rules.
        """
        extra: dict[str, set[str]] = {
            name: set(codes) for name, codes in super()._get_extra_validation_errors().items()
        }
        for klass in type(self.view).__mro__:
            declared = vars(klass).get("validation_error_codes", {})
            for name, codes in declared.get(self._action(), {}).items():
                extra.setdefault(name, set()).update(codes)
        return extra

    def _get_error_response_serializer(self, status_code: str) -> Any:
        if status_code == "409":
            return ErrorResponse409Serializer
        if status_code == "428":
            return ErrorResponse428Serializer
        return super()._get_error_response_serializer(status_code)


class StewardFilterExtension(DjangoFilterExtension):
    """Types of filters that pick related rows by a field (``tags__slug`` with ``to_field_name``).

    drf-spectacular appends ``to_field_name`` to a ``field_name`` that already ends with it and
    then cannot find the model field; this follows the path once.
    """

    priority = 1

    def resolve_filter_field(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        parameters = list(super().resolve_filter_field(*args, **kwargs))
        for parameter in parameters:
            # A filter left empty does not filter (web forms send every field); say so.
            parameter["allowEmptyValue"] = True
        return parameters

    def _get_model_field(self, filter_field: Any, model: Any) -> Any:
        to_field_name = filter_field.extra.get("to_field_name")
        path = (filter_field.field_name or "").split("__")
        if to_field_name and path[-1] == to_field_name:
            return follow_field_source(model, path, emit_warnings=False)
        return super()._get_model_field(filter_field, model)


# --- errors in rows of a list --------------------------------------------------------------------

_INDEX = "INDEX"


def _attr_pattern(names: list[str]) -> str:
    """A pattern that matches the attrs the API really answers for rows of a list."""
    alternatives = [
        r"[0-9]+".join(re.escape(part) for part in name.split(_INDEX)) for name in names
    ]
    return "^(" + "|".join(alternatives) + ")$"


def index_attrs_as_patterns(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Post-processing hook: an error in a row of a list answers with the row's number in its
    attr (``criteria.0.weight``), where drf-standardized-errors declares the placeholder
    ``criteria.INDEX.weight``; declare a pattern that the real attrs match instead."""
    for component in result.get("components", {}).get("schemas", {}).values():
        attr = component.get("properties", {}).get("attr")
        names = attr.get("enum") if isinstance(attr, dict) else None
        if not names or not any(_INDEX in str(name) for name in names):
            continue
        attr.pop("enum")
        attr["pattern"] = _attr_pattern([str(name) for name in names])
    return result
