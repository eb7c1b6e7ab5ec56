"""Factories of spend records for tests; lines are written through the ledger, never one by one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from typing import cast as made_as

import duckdb
import factory
from django.core.files.base import ContentFile
from django.db import transaction

from steward.people.tests.factories import UserFactory
from steward.spend import ledger
from steward.spend.models import CostCenter, SpendImport, SpendSource


class SpendSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendSource

    name = factory.Sequence(lambda n: f"ERP {n}")


class CostCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostCenter

    code = factory.Sequence(lambda n: f"CC{n:03d}")
    name = factory.Sequence(lambda n: f"Cost center {n}")


class SpendImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendImport

    source = factory.SubFactory(SpendSourceFactory)
    created_by = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"generated", name="generated.csv"))
    filename = "generated.csv"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


@dataclass
class Line:
    """One spend line as a test states it; amounts in the base currency unless said otherwise."""

    supplier: Any
    date: dt.date
    amount: Decimal
    category: Any = None
    cost_center: Any = None
    contract: Any = None
    key: int | None = None
    currency: str = "EUR"
    amount_base: Decimal | None = None
    quantity: Decimal | None = None
    item: str = ""
    description: str = ""
    gl_account: str = ""
    document: str = ""
    price_variance: Decimal | None = None


def made(value: Any) -> SpendImport:
    return made_as(SpendImport, value)


def _cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def store(lines: Sequence[Line], *, batch: SpendImport | None = None) -> ledger.StoreResult:
    """Write ``lines`` through the ledger, as an import would (keys default to their position)."""
    batch = batch if batch is not None else made(SpendImportFactory())
    con = duckdb.connect()
    name = ledger.prepared_schema(con)
    rows = [
        (
            line.date.year * 100 + line.date.month,
            line.key if line.key is not None else index + 1,
            line.date,
            line.supplier.pk,
            line.category.pk if line.category else None,
            line.cost_center.pk if line.cost_center else None,
            line.contract.pk if line.contract else None,
            line.currency,
            line.amount,
            _cents(line.amount_base if line.amount_base is not None else line.amount),
            line.quantity,
            line.item,
            line.description,
            line.gl_account,
            line.document,
            _cents(line.price_variance),
        )
        for index, line in enumerate(lines)
    ]
    if rows:
        marks = ", ".join(["?"] * len(ledger.LINE_COLUMNS))
        con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608
    with transaction.atomic():
        result = ledger.store_lines(con, name, batch=batch)
    con.close()
    return result
