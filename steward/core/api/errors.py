"""How domain errors become API errors, in drf-standardized-errors' one shape.

Services raise ``DomainError`` (with a stable ``code`` and the ``field`` it concerns),
``StaleVersionError``, Django's ``ValidationError`` and ``PermissionDenied``; selectors raise
``Http404``. API views translate them here and nowhere else, so every endpoint answers a
refusal the same way: ``{"type": ..., "errors": [{"code", "detail", "attr"}]}``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings

from steward.core.errors import DomainError, StaleVersionError
from steward.core.tabular import ImportRefused


class StaleVersion(exceptions.APIException):
    """409: the record moved on since the client read it; nothing was written."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This record was changed by someone else. Reload it and try again."
    default_code = "stale_version"


class VersionRequired(exceptions.APIException):
    """428: an update must name the version it was based on."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the version you read, as a `version` field in the body or an "
        '`If-Match: "<version>"` header, so that nobody\'s change is silently overwritten.'
    )
    default_code = "version_required"


def translate_exception(exc: Exception) -> Exception:
    """The API exception that stands for ``exc``; exceptions DRF knows pass through unchanged."""
    if isinstance(exc, StaleVersionError):
        return StaleVersion(detail=exc.message, code=StaleVersionError.code)
    if isinstance(exc, ImportRefused):
        # A refused file: one error on the file per problem, each naming its row and column.
        return serializers.ValidationError(
            {"file": [exceptions.ErrorDetail(str(e), ImportRefused.code) for e in exc.errors]}
        )
    if isinstance(exc, DomainError):
        # An error in one row of a list ("criteria[1].rule") answers on the list's own field,
        # the attribute the schema declares; the message names the row and the part at fault.
        attr = (exc.field or api_settings.NON_FIELD_ERRORS_KEY).split("[", 1)[0]
        return serializers.ValidationError({attr: [exceptions.ErrorDetail(exc.message, exc.code)]})
    if isinstance(exc, DjangoValidationError):
        return serializers.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        # Keep the service's sentence: it tells the client what it may not do.
        return exceptions.PermissionDenied(detail=str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, SuspiciousOperation):
        # A body Django refuses to read (too many form fields, say) is the client's error.
        return exceptions.ParseError(detail=str(exc) or None)
    return exc


# --- schema of the two status codes drf-standardized-errors does not describe itself -------------


class Error409Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(StaleVersion.default_code,) * 2])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)  # type: ignore[assignment]


class Error428Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(VersionRequired.default_code,) * 2])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse428Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error428Serializer(many=True)  # type: ignore[assignment]
