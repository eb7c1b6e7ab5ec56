"""Forms of the supply side: they parse and check input types; the services decide and write."""

from steward.suppliers.forms.common import SEGMENTATION_INPUTS, SupplyForm, SupplyModelForm
from steward.suppliers.forms.reference import CategoryForm, PlaybookForm, PolicyForm
from steward.suppliers.forms.strategy import (
    RACI_FUNCTIONS,
    KpiEditForm,
    KpiForm,
    LeverEditForm,
    LeverForm,
    StrategyForm,
)
from steward.suppliers.forms.vendors import (
    ChecklistForm,
    PrequalificationForm,
    RevokeForm,
    SegmentOverrideForm,
    TransitionForm,
    VendorForm,
)

__all__ = [
    "RACI_FUNCTIONS",
    "SEGMENTATION_INPUTS",
    "CategoryForm",
    "ChecklistForm",
    "KpiEditForm",
    "KpiForm",
    "LeverEditForm",
    "LeverForm",
    "PlaybookForm",
    "PolicyForm",
    "PrequalificationForm",
    "RevokeForm",
    "SegmentOverrideForm",
    "StrategyForm",
    "SupplyForm",
    "SupplyModelForm",
    "TransitionForm",
    "VendorForm",
]
