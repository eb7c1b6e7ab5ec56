"""The columnar copy follows the ledger: appended to after an import, loaded again whole when
rows it holds are gone or may have been rolled back."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from steward.spend import analytics
from steward.spend.analytics import Period
from steward.spend.analytics import copy as columnar_copy
from steward.spend.ledger import ledger_changed
from steward.spend.models import SpendCostCenterCell, SpendSegment
from steward.spend.scope import SpendScope
from steward.spend.tests.factories import Line, SpendImportFactory, store
from steward.suppliers.tests.factories import SupplierFactory

ALL = SpendScope(supplier_ids=None, cost_centers=True)
YEAR = Period.year(2026)


def total() -> int:
    rows = analytics.cube(ALL, YEAR, [])
    return rows[0].amount_cents if rows else 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_is_appended_and_a_removed_one_reloads_the_copy() -> None:
    # Given a copy read outside any transaction
    vendor = SupplierFactory()
    store([Line(vendor, dt.date(2026, 1, 5), Decimal("1.00"))])
    assert total() == 100
    first = columnar_copy.current()
    assert not first.provisional
    # When another import lands, the copy is extended in place
    second_batch = SpendImportFactory()
    store([Line(vendor, dt.date(2026, 2, 5), Decimal("2.00"), key=2)], batch=second_batch)
    assert total() == 300
    assert columnar_copy.current().database is first.database
    assert columnar_copy.current().marks["segment"].rows == 2
    # When an import's rows are gone, the copy is loaded again whole
    SpendSegment.objects.filter(batch=second_batch).delete()
    store([Line(vendor, dt.date(2026, 3, 5), Decimal("4.00"), key=3)], batch=SpendImportFactory())
    assert total() == 500
    assert columnar_copy.current().database is not first.database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_other_rows_under_the_same_ids_reload_the_copy() -> None:
    """As after a backup is restored and another import lands: as many segments and cells,
    under the same ids, with other amounts."""
    vendor = SupplierFactory()
    store([Line(vendor, dt.date(2026, 1, 5), Decimal("1.00"))])
    batch = SpendImportFactory()
    store([Line(vendor, dt.date(2026, 2, 5), Decimal("2.00"), key=2)], batch=batch)
    assert total() == 300
    first = columnar_copy.current()
    for model in (SpendSegment, SpendCostCenterCell):
        model.objects.filter(batch=batch).update(amount_base_cents=700)
    ledger_changed()
    assert total() == 800
    assert columnar_copy.current().database is not first.database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_copy_read_inside_a_transaction_is_never_extended() -> None:
    vendor = SupplierFactory()
    with transaction.atomic():
        store([Line(vendor, dt.date(2026, 1, 5), Decimal("1.00"))])
        assert total() == 100
        inside = columnar_copy.current()
        assert inside.provisional
        transaction.set_rollback(True)
    # The rolled-back import is not in the ledger: the copy is replaced, not extended
    store([Line(vendor, dt.date(2026, 1, 5), Decimal("8.00"))])
    assert total() == 800
    assert columnar_copy.current().database is not inside.database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_read_while_the_copy_is_reloaded() -> None:
    vendors = [SupplierFactory() for _ in range(5)]
    store(
        [Line(v, dt.date(2026, 1 + n % 12, 5), Decimal(n + 1)) for n, v in enumerate(vendors * 20)]
    )
    want = analytics.pareto(ALL, YEAR)
    answers: list[object] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for round_number in range(15):
                if round_number % 5 == 0:
                    columnar_copy.forget()
                answers.append(analytics.pareto(ALL, YEAR))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == [want] * 60
