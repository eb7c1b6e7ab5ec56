"""Small builders the risk tests share: vendors of the cast, an IT security person, a risk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from steward.parties.models import Relationship
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.risk import services
from steward.risk.models import Risk
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory


def vendor_of(relationship: Relationship, **fields: Any) -> Supplier:
    supplier = Supplier.objects.filter(pk=relationship.pk).first()
    return supplier or SupplierFactory.create(relationship=relationship, **fields)


def vendors(cast: Cast) -> tuple[Supplier, Supplier]:
    return vendor_of(cast.rel_a), vendor_of(cast.rel_b)


def security_person(username: str = "secops") -> Any:
    return UserFactory(username=username, profile__function=Function.IT_SECURITY)


def risk(actor: Any, relationship: Relationship, **fields: Any) -> Risk:
    values: dict[str, Any] = {
        "category": "cybersecurity",
        "title": "Shared admin accounts",
        "inherent_likelihood": 4,
        "inherent_impact": 5,
        "residual_likelihood": 2,
        "residual_impact": 4,
    }
    values.update(fields)
    return services.risk_create(actor=actor, relationship=relationship, **values)


def score_of(supplier: Supplier) -> Decimal | None:
    supplier.refresh_from_db(fields=["risk_score"])
    return supplier.risk_score
