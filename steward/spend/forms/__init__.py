"""Forms of the import pages and the spend reference data: they parse and check types only; the
services in ``steward.spend.services`` decide and name the field they refuse."""

from steward.spend.forms.imports import ImportCreateForm, VendorConfirmForm
from steward.spend.forms.reference import (
    CategoryRuleForm,
    ContractPriceForm,
    CostCenterForm,
    ExchangeRateForm,
    RateImportForm,
    SpendSourceForm,
)

__all__ = [
    "CategoryRuleForm",
    "ContractPriceForm",
    "CostCenterForm",
    "ExchangeRateForm",
    "ImportCreateForm",
    "RateImportForm",
    "SpendSourceForm",
    "VendorConfirmForm",
]
