"""The ledger stores prepared lines once, with segments whose id ranges hold exactly their lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from steward.spend import ledger
from steward.spend.models import SpendCostCenterCell, SpendLine, SpendLineKey, SpendSegment
from steward.spend.tests.factories import CostCenterFactory, Line, SpendImportFactory, store
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_lines_are_stored_with_segments_over_contiguous_ids() -> None:
    a, b = SupplierFactory(), SupplierFactory()
    it, office = CategoryFactory(), CategoryFactory()
    cc = CostCenterFactory()
    lines = [
        Line(b, dt.date(2026, 1, 5), Decimal("10.50"), category=it, cost_center=cc),
        Line(a, dt.date(2026, 1, 6), Decimal("20.00"), category=office),
        Line(a, dt.date(2026, 2, 1), Decimal("5.25"), category=it, description="", item="X"),
        Line(b, dt.date(2026, 1, 7), Decimal("1.00"), category=it, quantity=Decimal("2.5")),
    ]
    result = store(lines)
    assert (result.lines_added, result.lines_skipped) == (4, 0)
    assert result.amount_base_cents == 3675
    assert SpendLine.objects.count() == 4
    stored = SpendLine.objects.get(supplier=a, month=202602)
    assert stored.amount == Decimal("5.25")
    assert stored.date == dt.date(2026, 2, 1)
    assert stored.description == ""
    assert stored.item == "X"
    for segment in SpendSegment.objects.all():
        inside = SpendLine.objects.filter(
            id__gte=segment.first_line_id, id__lte=segment.last_line_id
        )
        assert inside.count() == segment.lines
        assert {(line.supplier_id, line.category_id, line.month) for line in inside} == {
            (segment.supplier_id, segment.category_id, segment.month)
        }
        assert sum(line.amount_base_cents for line in inside) == segment.amount_base_cents
    by_month = dict(
        SpendLine.objects.values_list("month").annotate(Sum("amount_base_cents")).order_by()
    )
    cells = dict(
        SpendCostCenterCell.objects.values_list("month")
        .annotate(Sum("amount_base_cents"))
        .order_by()
    )
    assert by_month == cells == {202601: 3150, 202602: 525}


def test_a_repeated_or_overlapping_file_adds_nothing_twice() -> None:
    a = SupplierFactory()
    first = [Line(a, dt.date(2026, 3, day), Decimal(day), key=day) for day in range(1, 6)]
    store(first)
    overlapping = [Line(a, dt.date(2026, 3, day), Decimal(day), key=day) for day in range(3, 9)]
    result = store(overlapping, batch=SpendImportFactory())
    assert (result.lines_added, result.lines_skipped) == (3, 3)
    assert SpendLine.objects.count() == 8
    assert SpendSegment.objects.aggregate(n=Sum("lines"))["n"] == 8
    again = store(overlapping, batch=SpendImportFactory())
    assert (again.lines_added, again.lines_skipped) == (0, 6)
    ids = list(SpendLine.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + 8))
    assert SpendLine.objects.values("line_key").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    keys = set(SpendLineKey.objects.values_list("month", "line_key"))
    assert keys == set(SpendLine.objects.values_list("month", "line_key"))
    assert len(keys) == 8


def test_the_key_table_refuses_a_line_stored_twice() -> None:
    """The ledger's last guard: even a writer that skipped the import's checks cannot store a
    (month, line key) twice, and the whole transaction is undone."""
    a = SupplierFactory()
    store([Line(a, dt.date(2026, 4, 2), Decimal(1), key=7)])
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendLineKey.objects.create(month=202604, line_key=SpendLine.objects.get().line_key)
    assert SpendLineKey.objects.count() == SpendLine.objects.count() == 1


@pytest.mark.parametrize("per_chunk", [2, 50_000])
def test_lines_held_in_several_months_are_skipped_in_each(
    per_chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keys held are read month by month, in chunks (here also of 2 keys, so a month
    takes several)."""
    monkeypatch.setattr(ledger, "_KEYS_PER_CHUNK", per_chunk)
    a = SupplierFactory()
    held = [
        Line(a, dt.date(2026, month, day), Decimal(day), key=month * 100 + day)
        for month in (5, 6)
        for day in range(1, 6)
    ]
    store(held)
    again = [
        Line(a, dt.date(2026, month, day), Decimal(day), key=month * 100 + day)
        for month in (5, 6, 7)
        for day in range(4, 8)
    ]
    result = store(again, batch=SpendImportFactory())
    assert (result.lines_added, result.lines_skipped) == (8, 4)
    assert set(SpendLineKey.objects.values_list("month", flat=True)) == {202605, 202606, 202607}
    assert SpendLineKey.objects.count() == SpendLine.objects.count() == 18


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a clause of SQLite only")
def test_the_key_table_is_stored_in_its_primary_key_on_sqlite() -> None:
    """Migration spend.0004: one B-tree instead of a table and a unique index (an import writes
    each key once). A rebuild of the table by a later migration would lose it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s",
            [SpendLineKey._meta.db_table],
        )
        (definition,) = cursor.fetchone()
    assert definition.rstrip().endswith("WITHOUT ROWID")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT 202601, no_such_column FROM range(10)", duckdb.Error),  # DuckDB fails first
        ("SELECT 202601, 'not a number' FROM range(100000)", psycopg.DataError),  # the server's
    ],
)
def test_a_failed_copy_raises_and_writes_nothing(query: str, error: type[Exception]) -> None:
    """The export and the COPY run side by side through a pipe: whichever side fails, the
    other stops too (nothing waits forever) and the error reaches the caller."""
    con = duckdb.connect()
    with pytest.raises(error), transaction.atomic():
        ledger._write(con, SpendLineKey._meta.db_table, ("month", "line_key"), query)
    assert not SpendLineKey.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_streams_every_row_with_its_progress() -> None:
    con = duckdb.connect()
    seen: list[tuple[int, int]] = []
    with transaction.atomic():
        ledger._write(
            con,
            SpendLineKey._meta.db_table,
            ("month", "line_key"),
            "SELECT 202601, i FROM range(300000) t(i)",
            total=300_000,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert SpendLineKey.objects.count() == 300_000
    assert seen[-1] == (300_000, 300_000)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
