"""The accounts API: profiles, buying units, the installed base and whitespace cells, each
following its account (owner and editing team members change; managers, reviewers and
auditors read; peers and portal users see nothing), plus an account's penetration."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from steward.accounts import selectors, services
from steward.accounts.api import serializers as s
from steward.accounts.filtersets import (
    AccountProfileFilterSet,
    BuyingUnitFilterSet,
    InstalledProductFilterSet,
    WhitespaceCellFilterSet,
)
from steward.accounts.models import AccountProfile, BuyingUnit, InstalledProduct, WhitespaceCell
from steward.core.access import Action, principal_for
from steward.core.api.schema import StewardAutoSchema
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.parties.models import Relationship

CURRENCY = ("required", "invalid", "invalid_currency")
ACCOUNT = ("not_an_account", "archived")
PLACE = ("not_a_location", "archived")
UNIT = ("invalid", "archived", "other_site", "no_location")


def _refuse_portal(request: Request) -> None:
    if principal_for(request.user).is_external:
        raise exceptions.PermissionDenied("Key accounts are kept by inside users.")


class AccountPartViewSet(RecordViewSet):
    """A record of an account: read and changed as the account is."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    validation_error_codes: ClassVar[ErrorCodes] = {
        "restore": {"name": ("duplicate",), "family": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[Any]:
        model = self.viewset_model()
        return selectors.part_list(user=self.request.user, model=model).order_by(
            "relationship_id", "pk"
        )

    def select_one(self, action: Action = Action.VIEW) -> Any:
        return selectors.part_get(
            user=self.request.user, model=self.viewset_model(), pk=self.kwargs["pk"], action=action
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_portal(request)
        return super().create(request, *args, **kwargs)

    def perform_archive(self, record: Any, version: int | None) -> Any:
        return services.account_record_archive(
            actor=self.request.user, record=record, expected_version=version
        )

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.account_record_restore(
            actor=self.request.user, record=record, expected_version=version
        )


PROFILE_ERRORS: dict[str, tuple[str, ...]] = {
    "relationship": ACCOUNT,
    "currency": CURRENCY,
    "wallet": ("min_value", "max_value"),
    "segment": ("invalid",),
    "expected_margin_percent": ("out_of_range",),
    "customer_since": ("future",),
    "non_field_errors": ("duplicate",),
}


@extend_schema_view(
    create=extend_schema(
        description="Give a demand-side relationship its account profile (one per account; "
        "`duplicate` when it has one, `not_an_account` on a supply-side relationship)."
    ),
)
class AccountProfileViewSet(AccountPartViewSet):
    """What key account management knows of each account: segment, currency, wallet."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = AccountProfile.objects.none()
    filterset_class = AccountProfileFilterSet
    output_serializer_class = s.AccountProfileSerializer
    create_serializer_class = s.AccountProfileCreateSerializer
    update_serializer_class = s.AccountProfileUpdateSerializer
    restore = None  # type: ignore[assignment]
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": PROFILE_ERRORS,
        "partial_update": PROFILE_ERRORS,
    }

    def perform_create_record(self, data: dict[str, Any]) -> AccountProfile:
        from steward.core.errors import DuplicateError

        relationship = data.pop("relationship")
        if AccountProfile.objects.filter(relationship=relationship).exists():
            raise DuplicateError("The account has a profile; change it instead.")
        return services.account_profile_update(
            actor=self.request.user, relationship=relationship, **data
        )

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.account_profile_update(
            actor=self.request.user,
            relationship=record.relationship,
            expected_version=version,
            **data,
        )


UNIT_ERRORS: dict[str, tuple[str, ...]] = {
    "relationship": ACCOUNT,
    "name": ("required", "max_length", "duplicate"),
    "site": (*PLACE, "in_use"),
}


class BuyingUnitViewSet(AccountPartViewSet):
    """Parts of the customer that buy on their own (a division, a department), at a location."""

    queryset = BuyingUnit.objects.none()
    filterset_class = BuyingUnitFilterSet
    output_serializer_class = s.BuyingUnitSerializer
    create_serializer_class = s.BuyingUnitCreateSerializer
    update_serializer_class = s.BuyingUnitUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": UNIT_ERRORS,
        "partial_update": UNIT_ERRORS,
    }

    def perform_create_record(self, data: dict[str, Any]) -> BuyingUnit:
        return services.buying_unit_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.buying_unit_update(
            actor=self.request.user, unit=record, expected_version=version, **data
        )


INSTALLED_ERRORS: dict[str, tuple[str, ...]] = {
    "relationship": ACCOUNT,
    "product": ("archived",),
    "site": PLACE,
    "buying_unit": UNIT,
    "quantity": ("min_value",),
    "currency": CURRENCY,
    "annual_revenue": ("required", "min_value", "max_value"),
    "annual_cost": ("required", "min_value", "max_value"),
    "until": ("before_since",),
}


@extend_schema_view(
    destroy=extend_schema(
        description="Archive a row entered by mistake; when the customer stops, PATCH `until`."
    ),
)
class InstalledProductViewSet(AccountPartViewSet):
    """What each customer has from us, with yearly revenue and cost; ``until`` ends it."""

    queryset = InstalledProduct.objects.none()
    filterset_class = InstalledProductFilterSet
    output_serializer_class = s.InstalledProductSerializer
    create_serializer_class = s.InstalledProductCreateSerializer
    update_serializer_class = s.InstalledProductUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": INSTALLED_ERRORS,
        "partial_update": INSTALLED_ERRORS,
    }

    def select_list(self) -> QuerySet[Any]:
        return super().select_list().select_related("product")

    def perform_create_record(self, data: dict[str, Any]) -> InstalledProduct:
        return services.installed_product_add(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.installed_product_update(
            actor=self.request.user, installed=record, expected_version=version, **data
        )


CELL_ERRORS: dict[str, tuple[str, ...]] = {
    "relationship": ACCOUNT,
    "family": ("archived", "duplicate"),
    "site": PLACE,
    "buying_unit": UNIT,
    "holder": ("invalid",),
    "competitor": ("required", "max_length"),
    "currency": CURRENCY,
    "current_spend": ("min_value", "max_value"),
    "potential": ("min_value", "max_value"),
}


@extend_schema_view(
    create=extend_schema(
        description="Add one cell to an account's whitespace: a product family at a location "
        "(and buying unit). A competitor's cell names the competitor."
    ),
)
class WhitespaceCellViewSet(AccountPartViewSet):
    """The whitespace matrix's cells: who supplies each family at each location today, the
    customer's current spend and our potential. Filter by ``account``."""

    queryset = WhitespaceCell.objects.none()
    filterset_class = WhitespaceCellFilterSet
    output_serializer_class = s.WhitespaceCellSerializer
    create_serializer_class = s.WhitespaceCellCreateSerializer
    update_serializer_class = s.WhitespaceCellUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": CELL_ERRORS,
        "partial_update": CELL_ERRORS,
    }

    def perform_create_record(self, data: dict[str, Any]) -> WhitespaceCell:
        return services.whitespace_cell_create(actor=self.request.user, **data)

    def perform_update_record(self, record: Any, data: dict[str, Any], version: int) -> Any:
        return services.whitespace_cell_update(
            actor=self.request.user, cell=record, expected_version=version, **data
        )


class _PenetrationSchema(StewardAutoSchema):
    """A currency without a rate is refused with 400 (``no_rate``)."""

    def _should_add_validation_error_response(self) -> bool:
        return self._action() == "retrieve" or super()._should_add_validation_error_response()


class AccountPenetrationViewSet(StewardViewSet):
    """``GET accounts/{id}/penetration/``: the account's whitespace figures."""

    schema = _PenetrationSchema()
    queryset = Relationship.objects.none()
    output_serializer_class = s.PenetrationSerializer
    paginated_actions: ClassVar[tuple[str, ...]] = ()
    filter_backends: list[Any] = []
    pagination_class = None
    validation_error_codes: ClassVar[ErrorCodes] = {"retrieve": {"currency": ("no_rate",)}}

    @extend_schema(
        operation_id="accounts_penetration_retrieve",
        description="Penetration %, share of wallet and open potential of one account, amounts "
        "in the account's currency at today's rates.",
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        relationship = selectors.account_get(user=request.user, pk=self.kwargs["pk"])
        figures = selectors.penetration(relationship=relationship)
        data = {"account": relationship.pk, **figures.__dict__}
        return Response(s.PenetrationSerializer(data).data)
