"""A small world for the tests of the imports and the spend reference data (builders only;
the test modules make their fixtures of them).

On top of the shared cast: ``finance`` (an inside person whose function is finance), two vendors
(Aurora on the owner's relationship, Borealis on the outsider's), a category, a buy-side contract
of each vendor and a sell-side contract. ``reference`` builds one record of each reference model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from steward.contracts import services as contract_services
from steward.contracts.choices import ContractKind
from steward.contracts.models import Contract
from steward.parties.choices import Side
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.spend.models import CategoryRule, ContractPrice, ExchangeRate, VendorAlias
from steward.spend.services import reference as services
from steward.spend.tests.factories import CostCenterFactory, SpendSourceFactory
from steward.suppliers.models import Category, Supplier
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory


@dataclass
class World:
    cast: Cast
    finance: Any
    aurora: Supplier
    borealis: Supplier
    category: Category
    contract_a: Contract
    contract_b: Contract
    sell_contract: Contract


def make_contract(actor: Any, relationship: Any, title: str) -> Contract:
    return contract_services.contract_create(
        actor=actor,
        relationship=relationship,
        title=title,
        kind=ContractKind.MASTER,
        currency="EUR",
    )


def build_world(cast: Cast) -> World:
    finance = UserFactory(username="finance", profile__function=Function.FINANCE)
    customer = RelationshipFactory(organization=cast.org_a, side=Side.DEMAND, owner=cast.owner)
    return World(
        cast=cast,
        finance=finance,
        aurora=SupplierFactory(relationship=cast.rel_a),
        borealis=SupplierFactory(relationship=cast.rel_b),
        category=CategoryFactory(code="office", name="Office supplies"),
        contract_a=make_contract(cast.owner, cast.rel_a, "Aurora framework"),
        contract_b=make_contract(cast.outsider, cast.rel_b, "Borealis freight"),
        sell_contract=make_contract(cast.owner, customer, "Aurora as a customer"),
    )


@dataclass
class Reference:
    source: Any
    cost_center: Any
    rule: CategoryRule
    rate: ExchangeRate
    alias: VendorAlias
    price: ContractPrice


def build_reference(world: World) -> Reference:
    """One current record of each reference model, made by finance through the services."""
    actor = world.finance
    return Reference(
        source=SpendSourceFactory(name="SAP invoices"),
        cost_center=CostCenterFactory(code="CC100", name="Operations"),
        rule=services.category_rule_create(
            actor=actor, field="gl_account", pattern="6200", category=world.category
        ),
        rate=services.exchange_rate_create(
            actor=actor, currency="USD", rate_date=dt.date(2026, 1, 1), rate=Decimal("0.92")
        ),
        alias=services.vendor_alias_confirm(
            actor=actor, raw_name="Aurora Metals Handels", supplier=world.aurora
        ),
        price=services.contract_price_create(
            actor=actor, contract=world.contract_a, item="BOLT-M8", unit_price=Decimal("0.12")
        ),
    )
