"""Pieces other apps add to the risk screens, so the risk app never imports what sits above it:

- panels of the risk dashboard (compliance adds expiring certificates, assessments the overdue
  ones);
- sections of a vendor's risk tab;
- risk factors: what raises a vendor's risk score beyond its register (an expired certificate).

Each context or factor receives the user and must read through the access policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RiskPanel:
    name: str
    title: str
    template: str
    # (user, today) -> the template's context
    context: Callable[[Any, dt.date], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class VendorSection:
    name: str
    title: str
    template: str
    # (user, supplier, today) -> the template's context
    context: Callable[[Any, Any, dt.date], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class RiskFactor:
    """Points (0 to 100 scale) added to a vendor's risk score, with the reason shown beside it."""

    points: int
    reason: str


# (supplier ids, today) -> the factors per supplier id; read without a user (scores are facts).
FactorProvider = Callable[[Iterable[int], dt.date], dict[int, list[RiskFactor]]]

_panels: dict[str, RiskPanel] = {}
_sections: dict[str, VendorSection] = {}
_factors: dict[str, FactorProvider] = {}


def register_dashboard_panel(panel: RiskPanel) -> None:
    _panels[panel.name] = panel


def dashboard_panels() -> list[RiskPanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def register_vendor_section(section: VendorSection) -> None:
    _sections[section.name] = section


def vendor_sections() -> list[VendorSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def register_risk_factor(name: str, provider: FactorProvider) -> None:
    _factors[name] = provider


def risk_factors(supplier_ids: Iterable[int], today: dt.date) -> dict[int, list[RiskFactor]]:
    ids = list(supplier_ids)
    merged: dict[int, list[RiskFactor]] = {}
    for provider in _factors.values():
        for supplier_id, factors in provider(ids, today).items():
            merged.setdefault(supplier_id, []).extend(factors)
    return merged
