"""The API of imports and the reference data of spend.

- ``spend-imports``: list and read imports (who ran them, finance, administrators, auditors);
  ``POST`` a multipart file with its source to start one (202: it runs in the background; poll
  the import for ``status`` and ``progress``); ``POST {id}/retry/`` runs a refused or failed one
  again.
- ``spend-sources``, ``category-rules``, ``cost-centers``, ``exchange-rates`` (with
  ``POST import/`` for a file of rates, all rows or none), ``vendor-aliases`` (create confirms a
  name as a vendor, delete archives the match) and ``contract-prices``: every inside user reads
  them; finance and administrators change them (a contract's prices also whoever may change the
  contract). Delete archives; ``restore`` brings a record back; ``history`` lists its changes.

Writes refuse a read-only caller with 403 before the body is read; bad input answers 400 naming
the field; a refused rates file answers 400 with one error on ``file`` per bad row.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.access import Action, require_create
from steward.core.api.viewsets import ErrorCodes, RecordViewSet, StewardViewSet
from steward.spend import selectors
from steward.spend.api.serializers_ledger import (
    CategoryRuleInputSerializer,
    CategoryRuleSerializer,
    CategoryRuleUpdateSerializer,
    ContractPriceInputSerializer,
    ContractPriceSerializer,
    ContractPriceUpdateSerializer,
    CostCenterCreateSerializer,
    CostCenterSerializer,
    CostCenterUpdateSerializer,
    ExchangeRateInputSerializer,
    ExchangeRateSerializer,
    ExchangeRateUpdateSerializer,
    RateFileSerializer,
    RateImportResultSerializer,
    RetrySerializer,
    SpendImportCreateSerializer,
    SpendImportSerializer,
    SpendSourceInputSerializer,
    SpendSourceSerializer,
    SpendSourceUpdateSerializer,
    VendorAliasConfirmSerializer,
    VendorAliasSerializer,
)
from steward.spend.filtersets import (
    CategoryRuleFilterSet,
    ContractPriceFilterSet,
    CostCenterFilterSet,
    ExchangeRateFilterSet,
    SpendImportFilterSet,
    SpendSourceFilterSet,
    VendorAliasFilterSet,
)
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendSource,
    VendorAlias,
)
from steward.spend.services import imports as import_services
from steward.spend.services import reference as services

UPLOAD_CODES = ("file_type", "file_empty", "file_too_large", "file_content")
SPEND_UPLOAD_CODES = ("file_name", "file_type", "file_too_large", "file_content")
_REQUIRED = ("required", "invalid")
_ARCHIVED_CHOICE = ("archived", "invalid")


class ReferenceViewSet(RecordViewSet):
    """Spend reference data: read by every inside user, written by finance and administrators.

    Creation is refused before the body is read when the access policy says the caller may not
    create the model (a contract's prices depend on the contract, so they are checked by the
    service once the body names it).
    """

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    create_checked_first: ClassVar[bool] = True

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if self.create_checked_first:
            require_create(request.user, self.viewset_model())
        return super().create(request, *args, **kwargs)

    def perform_restore(self, record: Any, version: int | None) -> Any:
        return services.spend_reference_restore(
            actor=self.request.user, record=record, expected_version=version
        )


# --- sources -------------------------------------------------------------------------------------

_MAPPING = (
    "invalid",
    "not_a_dict",
    "unknown_field",
    "blank",
    "max_length",
    "null_characters_not_allowed",
    "required",
    "duplicate_column",
)
_SOURCE_RULES: dict[str, tuple[str, ...]] = {
    "name": ("required", "invalid", "duplicate"),
    "kind": ("invalid_choice",),
    "mapping": _MAPPING,
    "date_format": ("invalid", "incomplete"),
    "decimal_comma": ("invalid",),
    "default_currency": ("invalid", "invalid_currency"),
}


@extend_schema_view(
    create=extend_schema(
        description="Add a source: a system whose files are imported and how to read them "
        "(finance and administrators)."
    ),
    destroy=extend_schema(description="Archive the source (its imports and lines stay)."),
)
class SpendSourceViewSet(ReferenceViewSet):
    queryset = SpendSource.objects.none()
    filterset_class = SpendSourceFilterSet
    output_serializer_class = SpendSourceSerializer
    create_serializer_class = SpendSourceInputSerializer
    update_serializer_class = SpendSourceUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _SOURCE_RULES,
        "partial_update": _SOURCE_RULES,
    }

    def select_one(self, action: Action = Action.VIEW) -> SpendSource:
        return selectors.source_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> SpendSource:
        return services.spend_source_create(actor=self.request.user, **data)

    def perform_update_record(self, record: SpendSource, data: dict[str, Any], version: int) -> Any:
        return services.spend_source_update(
            actor=self.request.user, source=record, expected_version=version, **data
        )

    def perform_archive(self, record: SpendSource, version: int | None) -> Any:
        return services.spend_source_archive(
            actor=self.request.user, source=record, expected_version=version
        )


# --- imports -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="Imports you may see: yours, or all for finance."),
    create=extend_schema(
        description=(
            "Upload a CSV or XLSX file of spend lines with the id of its source (finance and "
            "administrators). Answers 202 with the queued import: it runs in the background; "
            "read it again for `status` and `progress`. A refused file writes nothing; its "
            "`errors` name the row and field of each problem and `unmatched` lists vendor names "
            "to confirm (see `vendor-aliases`)."
        ),
        responses={202: SpendImportSerializer},
    ),
    retry=extend_schema(
        description="Run a refused or failed import again on the same file, with the source, "
        "rules, rates and vendor matches as they are now. Answers 202.",
        request=None,
        responses={202: SpendImportSerializer},
    ),
)
class SpendImportViewSet(StewardViewSet):
    http_method_names = ["get", "post", "head", "options"]
    queryset = SpendImport.objects.none()
    filterset_class = SpendImportFilterSet
    output_serializer_class = SpendImportSerializer
    create_serializer_class = SpendImportCreateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {"retry": RetrySerializer}
    parser_classes = [MultiPartParser, FormParser]
    forbidden_actions: ClassVar[tuple[str, ...]] = ("create", "retry")
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": {"file": SPEND_UPLOAD_CODES, "source": _ARCHIVED_CHOICE},
        "retry": {"status": ("invalid_transition",)},
    }

    def select_list(self) -> QuerySet[SpendImport]:
        return selectors.imports_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> SpendImport:
        return selectors.import_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_create(request.user, SpendImport)
        data = self.parse()
        batch = import_services.spend_import_create(
            actor=request.user, source=data["source"], upload=data["file"]
        )
        return self.answer(batch, code=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def retry(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = self.select_one(Action.CHANGE)
        again = import_services.spend_import_retry(actor=request.user, batch=batch)
        return self.answer(again, code=status.HTTP_202_ACCEPTED)


# --- vendor matches ------------------------------------------------------------------------------

_ALIAS_RULES: dict[str, tuple[str, ...]] = {
    "raw_name": ("required", "invalid", "max_length", "duplicate"),
    "supplier": ("archived",),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Confirm that a name the ledger uses (an `unmatched` name of a refused import) is "
            "this vendor; later imports match it at once. Confirming it again for the same "
            "vendor changes nothing; a name matched to another vendor is refused (`duplicate`)."
        )
    ),
    destroy=extend_schema(description="Forget the match: the name is unmatched again."),
)
class VendorAliasViewSet(ReferenceViewSet):
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = VendorAlias.objects.none()
    filterset_class = VendorAliasFilterSet
    output_serializer_class = VendorAliasSerializer
    create_serializer_class = VendorAliasConfirmSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _ALIAS_RULES,
        "restore": {"raw_name": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[VendorAlias]:
        return selectors.aliases_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> VendorAlias:
        return selectors.alias_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> VendorAlias:
        return services.vendor_alias_confirm(actor=self.request.user, **data)

    def perform_archive(self, record: VendorAlias, version: int | None) -> Any:
        return services.vendor_alias_archive(
            actor=self.request.user, alias=record, expected_version=version
        )


# --- category rules ------------------------------------------------------------------------------

_RULE_RULES: dict[str, tuple[str, ...]] = {
    "field": ("invalid_choice",),
    "match": ("invalid_choice",),
    "pattern": ("invalid", "required", "not_allowed", "duplicate"),
    "supplier": ("required", "not_allowed", "archived", "duplicate"),
    "category": ("required", "archived"),
    "priority": ("invalid",),
}


class CategoryRuleViewSet(ReferenceViewSet):
    """Rules that put imported lines in a category by GL account, description or vendor."""

    queryset = CategoryRule.objects.none()
    filterset_class = CategoryRuleFilterSet
    output_serializer_class = CategoryRuleSerializer
    create_serializer_class = CategoryRuleInputSerializer
    update_serializer_class = CategoryRuleUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _RULE_RULES,
        "partial_update": _RULE_RULES,
        "restore": _RULE_RULES,
    }

    def select_list(self) -> QuerySet[CategoryRule]:
        return selectors.rules_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> CategoryRule:
        return selectors.rule_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> CategoryRule:
        return services.category_rule_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: CategoryRule, data: dict[str, Any], version: int
    ) -> Any:
        return services.category_rule_update(
            actor=self.request.user, rule=record, expected_version=version, **data
        )

    def perform_archive(self, record: CategoryRule, version: int | None) -> Any:
        return services.category_rule_archive(
            actor=self.request.user, rule=record, expected_version=version
        )


# --- cost centers --------------------------------------------------------------------------------

_COST_CENTER_RULES: dict[str, tuple[str, ...]] = {
    "code": ("required", "invalid", "duplicate"),
    "name": ("required", "invalid"),
}


class CostCenterViewSet(ReferenceViewSet):
    """The codes ledgers use for who spent; the code is fixed once made, the name may change."""

    queryset = CostCenter.objects.none()
    filterset_class = CostCenterFilterSet
    output_serializer_class = CostCenterSerializer
    create_serializer_class = CostCenterCreateSerializer
    update_serializer_class = CostCenterUpdateSerializer
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _COST_CENTER_RULES,
        "partial_update": {"name": ("required", "invalid")},
    }

    def select_list(self) -> QuerySet[CostCenter]:
        return selectors.cost_centers_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> CostCenter:
        return selectors.cost_center_get(
            user=self.request.user, pk=self.kwargs["pk"], action=action
        )

    def perform_create_record(self, data: dict[str, Any]) -> CostCenter:
        return services.cost_center_create(actor=self.request.user, **data)

    def perform_update_record(self, record: CostCenter, data: dict[str, Any], version: int) -> Any:
        return services.cost_center_update(
            actor=self.request.user, cost_center=record, expected_version=version, **data
        )

    def perform_archive(self, record: CostCenter, version: int | None) -> Any:
        return services.cost_center_archive(
            actor=self.request.user, cost_center=record, expected_version=version
        )


# --- exchange rates ------------------------------------------------------------------------------

_RATE_RULES: dict[str, tuple[str, ...]] = {
    "currency": ("required", "invalid", "invalid_currency", "base_currency"),
    "rate_date": ("invalid", "duplicate"),
    "rate": ("invalid", "min_value"),
}


@extend_schema_view(
    import_file=extend_schema(
        description=(
            "Import a CSV or XLSX file of rates (columns currency, date, rate): all rows or "
            "none (finance and administrators). A rate already kept for that currency and day "
            "is not added twice; a different one replaces it, keeping the old in its history. "
            "A refused file writes nothing and answers 400 with one error on `file` (code "
            "`import_refused`) per problem, each naming its row and column."
        ),
        responses={200: RateImportResultSerializer},
    )
)
class ExchangeRateViewSet(ReferenceViewSet):
    """What one unit of a currency is worth in the base currency, from a day on."""

    queryset = ExchangeRate.objects.none()
    filterset_class = ExchangeRateFilterSet
    output_serializer_class = ExchangeRateSerializer
    create_serializer_class = ExchangeRateInputSerializer
    update_serializer_class = ExchangeRateUpdateSerializer
    action_input_serializers: ClassVar[dict[str, Any]] = {
        **ReferenceViewSet.action_input_serializers,
        "import_file": RateFileSerializer,
    }
    forbidden_actions: ClassVar[tuple[str, ...]] = (
        *ReferenceViewSet.forbidden_actions,
        "import_file",
    )
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _RATE_RULES,
        "partial_update": _RATE_RULES,
        "restore": {"rate_date": ("duplicate",)},
        "import_file": {"file": ("import_refused", *UPLOAD_CODES)},
    }

    def select_list(self) -> QuerySet[ExchangeRate]:
        return selectors.rates_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> ExchangeRate:
        return selectors.rate_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def get_output_serializer_class(self) -> Any:
        if self.action == "import_file":
            return RateImportResultSerializer
        return super().get_output_serializer_class()

    def perform_create_record(self, data: dict[str, Any]) -> ExchangeRate:
        return services.exchange_rate_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ExchangeRate, data: dict[str, Any], version: int
    ) -> Any:
        return services.exchange_rate_update(
            actor=self.request.user, exchange_rate=record, expected_version=version, **data
        )

    def perform_archive(self, record: ExchangeRate, version: int | None) -> Any:
        return services.exchange_rate_archive(
            actor=self.request.user, exchange_rate=record, expected_version=version
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_create(request.user, ExchangeRate)
        data = self.parse()
        # A refused file is answered by the API's error handler, row by row.
        changed = services.exchange_rates_import(actor=request.user, upload=data["file"])
        return Response(RateImportResultSerializer({"changed": changed}).data)


# --- contracted prices ---------------------------------------------------------------------------

_PRICE_RULES: dict[str, tuple[str, ...]] = {
    "contract": ("required", "not_buy_side", "archived"),
    "item": ("required", "invalid"),
    "description": ("invalid",),
    "unit": ("invalid",),
    "unit_price": ("invalid", "min_value"),
    "currency": ("required", "invalid", "invalid_currency"),
    "valid_from": ("invalid", "duplicate"),
    "valid_to": ("invalid", "ends_before_start"),
}


@extend_schema_view(
    create=extend_schema(
        description=(
            "Price an item of a buy-side contract (finance, administrators, and whoever may "
            "change the contract). The periods of one item's prices may not overlap."
        )
    ),
)
class ContractPriceViewSet(ReferenceViewSet):
    """Prices agreed in buy-side contracts, against which paid prices are compared."""

    queryset = ContractPrice.objects.none()
    filterset_class = ContractPriceFilterSet
    output_serializer_class = ContractPriceSerializer
    create_serializer_class = ContractPriceInputSerializer
    update_serializer_class = ContractPriceUpdateSerializer
    create_checked_first = False
    validation_error_codes: ClassVar[ErrorCodes] = {
        "create": _PRICE_RULES,
        "partial_update": _PRICE_RULES,
        "restore": {"valid_from": ("duplicate",)},
    }

    def select_list(self) -> QuerySet[ContractPrice]:
        return selectors.prices_visible(user=self.request.user)

    def select_one(self, action: Action = Action.VIEW) -> ContractPrice:
        return selectors.price_get(user=self.request.user, pk=self.kwargs["pk"], action=action)

    def perform_create_record(self, data: dict[str, Any]) -> ContractPrice:
        return services.contract_price_create(actor=self.request.user, **data)

    def perform_update_record(
        self, record: ContractPrice, data: dict[str, Any], version: int
    ) -> Any:
        return services.contract_price_update(
            actor=self.request.user, price=record, expected_version=version, **data
        )

    def perform_archive(self, record: ContractPrice, version: int | None) -> Any:
        return services.contract_price_archive(
            actor=self.request.user, price=record, expected_version=version
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("spend-sources", SpendSourceViewSet, "spend-source"),
    ("spend-imports", SpendImportViewSet, "spend-import"),
    ("vendor-aliases", VendorAliasViewSet, "vendor-alias"),
    ("category-rules", CategoryRuleViewSet, "category-rule"),
    ("cost-centers", CostCenterViewSet, "cost-center"),
    ("exchange-rates", ExchangeRateViewSet, "exchange-rate"),
    ("contract-prices", ContractPriceViewSet, "contract-price"),
]
