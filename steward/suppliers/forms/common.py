"""What the supply side's forms share: grouped fields and the segmentation inputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.forms import BoundField

from steward.core.forms import StewardForm, StewardModelForm

SEGMENTATION_INPUTS = [
    "annual_spend",
    "category_share",
    "criticality",
    "process_integration",
    "knowledge_sharing",
    "alternatives",
    "switching_cost",
    "market_scarcity",
    "risk_score",
    "supply_nature",
]


class GroupedFieldsMixin:
    """Fields shown in titled groups; ``groups`` names them, the rest go first untitled."""

    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def field_groups(self) -> Iterator[tuple[str, list[BoundField]]]:
        grouped = {name for _, names in self.groups for name in names}
        form: Any = self
        yield "", [form[name] for name in form.fields if name not in grouped]
        for title, names in self.groups:
            yield title, [form[name] for name in names if name in form.fields]


class SupplyForm(GroupedFieldsMixin, StewardForm):
    pass


class SupplyModelForm(GroupedFieldsMixin, StewardModelForm):
    pass
