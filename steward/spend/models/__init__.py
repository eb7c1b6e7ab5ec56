"""Spend: what the organization actually paid, the reference data that interprets it, and the
aggregates kept in step with it."""

from steward.spend.models.imports import SpendImport, SpendSource
from steward.spend.models.ledger import (
    LedgerState,
    SpendCostCenterCell,
    SpendLine,
    SpendLineKey,
    SpendSegment,
)
from steward.spend.models.reference import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    VendorAlias,
)

__all__ = [
    "CategoryRule",
    "ContractPrice",
    "CostCenter",
    "ExchangeRate",
    "LedgerState",
    "SpendCostCenterCell",
    "SpendImport",
    "SpendLine",
    "SpendLineKey",
    "SpendSegment",
    "SpendSource",
    "VendorAlias",
]
