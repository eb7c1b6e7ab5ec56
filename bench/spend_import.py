# ruff: noqa: S608 - SQL is built from this module's constants and integers
"""Importing a million-line CSV into the large ledger, and Django's bulk_create of the same rows.

Part of bench/spend.py's worker. The files are generated here (DuckDB, deterministic): invoice
lines of the ledger's vendors in the last two whole months, with tax id and name (a tenth by
name alone), category code, cost center, GL account, the vendor's contract reference for most
lines of vendors with one, an item and quantity on a quarter of them and a tenth in USD, under
a source whose mapping is empty (the file uses Steward's field names as headers).

Each import runs in a child process (``bench/spend.py --import-child ID``): ``spend_import_run``
is timed there, and the child's peak resident memory (VmHWM, Django and DuckDB loaded
included) is the import's peak memory. After each import the first
dashboard query is timed (the columnar copy reloads), then the import's lines, segments and
cells are removed again so every round starts from the same ledger. Django's ``bulk_create`` of
the first import's lines (the rows the import prepared, as model instances) runs inside a
transaction that is rolled back. A 3,000,000-line file is imported once to show that the peak
memory does not grow with the file.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

IMPORT_LINES = 1_000_000
BIG_FILE_LINES = 3_000_000
SECONDS = {"sqlite": 6.0, "postgresql": 4.0}
MIN_RATIO_TO_BULK_CREATE = 8
MAX_RSS_MB = 400
SOURCE_NAME = "Bench ERP export"
USD_RATE = "0.92"


class _RollbackError(Exception):
    """Undoes bulk_create's rows."""


# --- the files -----------------------------------------------------------------------------------


def _vendors() -> list[tuple[str, str, str, str, str, float]]:
    """Name, tax id, category code, GL account, contract reference and spend of each vendor
    with spend, from the ledger's segments."""
    from django.db.models import Sum

    from steward.contracts.models import Contract
    from steward.spend.models import SpendSegment
    from steward.suppliers.models import Category, Supplier

    spend = dict(
        SpendSegment.objects.values("supplier_id")
        .annotate(amount=Sum("amount_base_cents"))
        .values_list("supplier_id", "amount")
    )
    main_category: dict[int, tuple[int | None, int]] = {}
    main_contract: dict[int, tuple[int | None, int]] = {}
    for supplier, category, contract, amount in (
        SpendSegment.objects.values("supplier_id", "category_id", "contract_id")
        .annotate(amount=Sum("amount_base_cents"))
        .values_list("supplier_id", "category_id", "contract_id", "amount")
        .order_by()
    ):
        if category is not None and amount > main_category.get(supplier, (0, 0))[1]:
            main_category[supplier] = (category, amount)
        if contract is not None and amount > main_contract.get(supplier, (0, 0))[1]:
            main_contract[supplier] = (contract, amount)
    codes = dict(Category.objects.values_list("pk", "code"))
    references = dict(
        Contract.objects.filter(pk__in=[c for c, _ in main_contract.values()]).values_list(
            "pk", "reference"
        )
    )
    names = Supplier.objects.filter(pk__in=spend).values_list(
        "pk", "relationship__organization__legal_name", "relationship__organization__tax_id"
    )
    found = []
    for pk, name, tax_id in sorted(names):
        category_id, _ = main_category.get(pk, (None, 0))
        contract_id, _ = main_contract.get(pk, (None, 0))
        found.append(
            (
                name,
                tax_id,
                codes.get(category_id, "") if category_id else "",
                f"6{(category_id or 0) % 100_000:05d}",
                references.get(contract_id, "") if contract_id else "",
                float(spend[pk]),
            )
        )
    return found


def write_csv(path: Path, lines: int, *, stream: int) -> Path:
    """A CSV of ``lines`` invoice lines in the last two whole months (deterministic)."""
    import duckdb
    from django.utils import timezone

    from steward.demo.generate.spend_large.lines import HASH_MACROS, uniforms
    from steward.spend.models import CostCenter
    from steward.spend.money import month_add, month_end, month_of, month_start

    vendors = _vendors()
    centers = list(CostCenter.objects.order_by("code").values_list("code", flat=True))
    last = month_add(month_of(timezone.localdate()), -1)
    first_day, last_day = month_start(month_add(last, -1)), month_end(last)
    total = sum(v[5] for v in vendors)
    lows, low = [], 0.0
    for vendor in vendors:
        lows.append(low)
        low += vendor[5] / total
    con = duckdb.connect(config={"memory_limit": "512MB"})
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(HASH_MACROS)
        con.execute(
            "CREATE TABLE v AS SELECT unnest($1::DOUBLE[]) AS low, unnest($2::VARCHAR[]) AS name,"
            " unnest($3::VARCHAR[]) AS tax_id, unnest($4::VARCHAR[]) AS category,"
            " unnest($5::VARCHAR[]) AS gl, unnest($6::VARCHAR[]) AS contract",
            [lows, *([v[i] for v in vendors] for i in range(5))],
        )
        con.execute(
            "CREATE TABLE c AS SELECT unnest($1::VARCHAR[]) AS code,"
            " generate_subscripts($1::VARCHAR[], 1) - 1 AS slot",
            [centers],
        )
        days = (last_day - first_day).days + 1
        streams = ("u_vendor", "u_day", "u_size", "u_angle", "u_name", "u_usd", "u_item",
                   "u_qty", "u_center", "u_contract")  # fmt: skip
        con.execute(
            f"""COPY (
            WITH numbered AS (
                SELECT n, lg_hash((n + {stream} * 100000000)::UBIGINT & 4294967295) AS h
                FROM range({lines}) t(n)
            ), draws AS (SELECT n, {uniforms(streams)} FROM numbered),
            lines AS (
                SELECT d.*, v.*,
                    greatest(1.0, exp(ln(200) + sqrt(-2 * ln(1 - u_size))
                        * cos(2 * pi() * u_angle))) AS eur
                FROM draws d ASOF JOIN v ON d.u_vendor >= v.low
            )
            SELECT
                strftime(DATE '{first_day.isoformat()}' + CAST(floor(u_day * {days}) AS INTEGER),
                    '%Y-%m-%d') AS date,
                printf('%.2f', CASE WHEN u_usd < 0.1 THEN eur / {USD_RATE} ELSE eur END)
                    AS amount,
                CASE WHEN u_usd < 0.1 THEN 'USD' ELSE 'EUR' END AS currency,
                name AS vendor_name,
                CASE WHEN u_name < 0.1 THEN '' ELSE tax_id END AS vendor_tax_id,
                printf('BI{stream}-%08d', n // 3) AS reference,
                n % 3 + 1 AS line_number,
                c.code AS cost_center,
                gl AS gl_account,
                'Bench purchase' AS description,
                CASE WHEN u_item < 0.25
                    THEN printf('ITEM-%04d', CAST(floor(u_item * 4000) AS INTEGER))
                    ELSE '' END AS item,
                CASE WHEN u_item < 0.25 THEN CAST(1 + floor(u_qty * 20) AS INTEGER)::VARCHAR
                    ELSE '' END AS quantity,
                category,
                CASE WHEN u_contract < 0.8 THEN contract ELSE '' END AS contract
            FROM lines
            JOIN c ON c.slot = CAST(floor(u_center * {len(centers)}) AS INTEGER)
            ORDER BY n
        ) TO '{path}' (HEADER, DELIMITER ',')"""
        )
    finally:
        con.close()
    return path


# --- the imports ---------------------------------------------------------------------------------


def _prepare() -> tuple[Any, Any]:
    """The finance user who imports, the source (empty mapping), USD rates over the months."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from steward.core.access import can_create
    from steward.people.choices import Function
    from steward.spend.models import ExchangeRate, SpendImport, SpendSource

    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    candidates = [*users.filter(profile__function=Function.FINANCE), *users]
    finance = next(u for u in candidates if can_create(u, SpendImport))
    source, _ = SpendSource.objects.get_or_create(
        name=SOURCE_NAME, defaults={"default_currency": "EUR"}
    )
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=120)
    if not ExchangeRate.objects.filter(currency="USD", rate_date__lte=start).exists():
        ExchangeRate.objects.create(currency="USD", rate_date=start, rate=Decimal(USD_RATE))
    return finance, source


def _create(finance: Any, source: Any, path: Path) -> Any:
    from django.core.files import File

    from steward.spend.services.imports import spend_import_create

    with path.open("rb") as handle:
        return spend_import_create(
            actor=finance, source=source, upload=File(handle, name=path.name), run_now=False
        )


def _child(batch_id: int) -> dict[str, Any]:
    """Run the import in a child process; its figures and its maximum resident memory."""
    command = [sys.executable, str(Path(__file__).with_name("spend.py")), "--import-child",
               str(batch_id)]  # fmt: skip
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    found: dict[str, Any] = json.loads(lines[-1]) if lines else {"status": "crashed"}
    found.setdefault("max_rss_mb", 0.0)
    return found


def _memory_mb(field: str) -> float:
    """A figure of this process's memory from /proc (Linux), in MB.

    VmHWM, the peak resident set, starts afresh when a process executes a program; the
    rusage maximum does not (it keeps the parent's size at the fork), so the child reports
    its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)  # kB
    return 0.0


def run_child(batch_id: int) -> None:
    """In the child: time ``spend_import_run`` and print the figures as one JSON line."""
    import django

    django.setup()
    from steward.spend.models import SpendImport
    from steward.spend.services.imports import spend_import_run

    batch = SpendImport.objects.get(pk=batch_id)
    before = _memory_mb("VmHWM")
    started, cpu = time.perf_counter(), time.process_time()
    done = spend_import_run(batch=batch)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                # every thread of this process (DuckDB's too); on SQLite that is all the work,
                # so wall time above it is waiting: for the disk or for a busy machine
                "cpu_seconds": round(cpu, 3),
                "status": done.status,
                "rows_read": done.rows_read,
                "lines_added": done.lines_added,
                "errors": done.errors[:5],
                "unmatched": len(done.unmatched),
                "rss_before_import_mb": before,
                "max_rss_mb": _memory_mb("VmHWM"),
            }
        ),
        flush=True,
    )


def _remove(batch: Any) -> None:
    """Take the import's lines, keys and aggregates out again, so the next round starts alike."""
    from django.db import connection, transaction

    from steward.spend.ledger import ledger_changed
    from steward.spend.models import (
        SpendCostCenterCell,
        SpendImport,
        SpendLine,
        SpendLineKey,
        SpendSegment,
    )

    batch.refresh_from_db()
    lines, keys = SpendLine._meta.db_table, SpendLineKey._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if batch.first_line_id is not None:
            cursor.execute(
                f"""DELETE FROM {keys} WHERE (month, line_key) IN (
                    SELECT month, line_key FROM {lines} WHERE id BETWEEN %s AND %s)""",
                [batch.first_line_id, batch.last_line_id],
            )
            cursor.execute(
                f"DELETE FROM {lines} WHERE id BETWEEN %s AND %s",
                [batch.first_line_id, batch.last_line_id],
            )
        SpendSegment.objects.filter(batch=batch).delete()
        SpendCostCenterCell.objects.filter(batch=batch).delete()
        batch.file.delete(save=False)
        SpendImport.objects.filter(pk=batch.pk).delete()
        ledger_changed()


class _Ledger:
    """Puts the ledger back as it was before the first round.

    On SQLite the database file is copied before the first import and copied back after each:
    removing an import's million lines would leave a million lines of free pages that the next
    import fills at scattered places (each round slower than the one before, which a ledger
    that only grows never sees). On PostgreSQL the import's rows are removed and the tables
    vacuumed.
    """

    def __init__(self, folder: Path) -> None:
        from django.db import connection

        self.saved: Path | None = None
        if connection.vendor == "sqlite":
            self.database = Path(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            self.saved = folder / "ledger-before-imports.sqlite3"
            shutil.copyfile(self.database, self.saved)

    def restore(self, batch: Any) -> None:
        from django.db import connection

        from steward.spend.models import SpendCostCenterCell, SpendLine, SpendLineKey, SpendSegment

        if self.saved is None:
            _remove(batch)
            with connection.cursor() as cursor:
                for model in (SpendLine, SpendLineKey, SpendSegment, SpendCostCenterCell):
                    cursor.execute(f"VACUUM {model._meta.db_table}")
            return
        batch.file.delete(save=False)  # _one_import refreshed the batch
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.saved, self.database)

    def discard(self) -> None:
        if self.saved is not None:
            self.saved.unlink(missing_ok=True)


def _prepared_rows(batch: Any) -> list[dict[str, Any]]:
    from steward.spend.models import SpendLine

    names = [f.attname for f in SpendLine._meta.concrete_fields if f.attname != "id"]
    rows = SpendLine.objects.filter(id__gte=batch.first_line_id, id__lte=batch.last_line_id)
    return list(rows.order_by("id").values(*names).iterator(chunk_size=50_000))


def bulk_create_seconds(rows: list[dict[str, Any]]) -> float:
    """Django's bulk_create of ``rows`` (model instances made from them) and of their keys,
    rolled back: the rows the import stores for the lines."""
    from django.db import transaction

    from steward.spend.models import SpendLine, SpendLineKey

    started = time.perf_counter()
    seconds = 0.0
    try:
        with transaction.atomic():
            for start in range(0, len(rows), 50_000):
                chunk = rows[start : start + 50_000]
                SpendLine.objects.bulk_create([SpendLine(**row) for row in chunk])
                SpendLineKey.objects.bulk_create(
                    [SpendLineKey(month=row["month"], line_key=row["line_key"]) for row in chunk]
                )
            seconds = time.perf_counter() - started
            raise _RollbackError
    except _RollbackError:
        pass
    return seconds


def _one_import(finance: Any, source: Any, path: Path) -> tuple[Any, dict[str, Any]]:
    batch = _create(finance, source, path)
    found = _child(batch.pk)
    batch.refresh_from_db()
    print(
        f"    {path.name}: {found.get('status')} in {found.get('seconds', 0):.2f} s "
        f"({found.get('cpu_seconds', 0):.2f} s CPU), "
        f"{found.get('lines_added', 0):,} lines, peak memory {found['max_rss_mb']:.0f} MB",
        flush=True,
    )
    if found.get("status") != "done":
        print(f"      errors: {found.get('errors')}; unmatched vendors: {found.get('unmatched')}")
    return batch, found


def measure_import(rounds: int, *, reload: Callable[[], float]) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    try:
        from steward.spend.services import imports  # noqa: F401
    except ImportError as error:
        print(f"  import not measured: {error}")
        return {"skipped": f"steward.spend.services.imports is not available: {error}"}
    vendor = connection.vendor
    folder = Path(settings.DATA_DIR) / "bench-files"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"  import: writing the {IMPORT_LINES:,}-line file …", flush=True)
    finance, source = _prepare()
    small = write_csv(folder / "bench-1m.csv", IMPORT_LINES, stream=1)
    ledger = _Ledger(folder)
    runs: list[dict[str, Any]] = []
    reloads: list[float] = []
    rows: list[dict[str, Any]] = []
    for number in range(1, rounds + 1):
        print(f"  import round {number} of {rounds}", flush=True)
        batch, found = _one_import(finance, source, small)
        runs.append(found)
        if found.get("status") != "done":
            ledger.restore(batch)
            break
        reloads.append(reload())
        print(f"    first dashboard query after it (copy reload): {reloads[-1] * 1000:.0f} ms")
        if not rows:
            rows = _prepared_rows(batch)
        ledger.restore(batch)
    done = [run["seconds"] for run in runs if run.get("status") == "done"]
    figures: dict[str, Any] = {"database": vendor, "lines": IMPORT_LINES, "runs": runs}
    if not done:
        ledger.discard()
        return figures
    print(f"  bulk_create of the same {len(rows):,} rows (rolled back) …", flush=True)
    bulk = bulk_create_seconds(rows)
    del rows
    print(f"    {bulk:.1f} s", flush=True)
    print(f"  import: writing the {BIG_FILE_LINES:,}-line file …", flush=True)
    big = write_csv(folder / "bench-3m.csv", BIG_FILE_LINES, stream=2)
    batch, big_run = _one_import(finance, source, big)
    ledger.restore(batch)
    ledger.discard()
    small.unlink()
    big.unlink()
    median = statistics.median(done)
    peak = max(run["max_rss_mb"] for run in [*runs, big_run])
    ratio = bulk / median
    figures.update(
        {
            "median_seconds": round(median, 3),
            "lines_per_second": round(IMPORT_LINES / median),
            "target_seconds": SECONDS.get(vendor),
            "bulk_create_seconds": round(bulk, 2),
            "bulk_create_rows_per_second": round(IMPORT_LINES / bulk),
            "ratio_to_bulk_create": round(ratio, 1),
            "reload_after_import_ms": [round(s * 1000, 1) for s in reloads],
            "big_file": {"lines": BIG_FILE_LINES, **big_run},
            "peak_rss_mb": peak,
            "passes": median <= SECONDS.get(vendor, 0)
            and ratio >= MIN_RATIO_TO_BULK_CREATE
            and peak <= MAX_RSS_MB,
        }
    )
    return figures
