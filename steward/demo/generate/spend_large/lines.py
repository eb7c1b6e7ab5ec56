# ruff: noqa: S608 - SQL is built from this module's constants and integers; names are ours
"""The large ledger's lines, generated in DuckDB a month at a time and stored through the ledger.

Every line is a function of its number ``n`` (0 … lines - 1) alone: each random choice of a
line (its vendor, day, category, cost center, amount, item, whether it went around the
contract) is a 32-bit integer hash of ``n`` and the choice's own stream, so a month's lines are
the same whichever months are generated before it, and the whole ledger is the same on every
run and every machine. The vendors, categories, cost centers and agreed prices the lines draw
from are small tables the package decides (``reference``, ``contracts``) with the step's random
stream.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
from django.db import transaction
from django.utils import timezone

from steward.demo.generate.writes import insert
from steward.spend import ledger
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendImport, SpendSource
from steward.spend.money import base_currency, month_add, month_end, month_of, month_start

if TYPE_CHECKING:
    from steward.demo.generate.context import DemoContext
    from steward.demo.generate.spend_large.shapes import CategoryShape, LedgerPlan, VendorShape

# Vendor sizes fall off with rank r (0 = largest): lines as (r + 1 + OFFSET) ** -LINES_POWER and
# spend as (r + 1 + OFFSET) ** -SPEND_POWER; with 10,000 vendors about 360 of them hold 80 %.
OFFSET = 5
SPEND_POWER = 1.3
LINES_POWER = 0.8
MEAN_LINE_CENTS = 30_000  # EUR 300 a line on average, EUR 1 billion a year on 10 M lines
AMOUNT_SIGMA = 0.9  # spread of a line's amount around its vendor's mean (log-normal)
ITEM_SHARE = 0.85  # lines of a goods category bought as an item with a quantity
DRIFT_SHARE = 0.12  # contract lines paid above the agreed price
LINE_KEY_BASE = 7_000_000_000_000_000_000  # far from the keys an import derives from a file
MAX_QUANTITY = 100_000
# Growth over the three years and the shape of a year (January … December).
YEARLY_GROWTH = 0.06
SEASON = (0.90, 0.95, 1.05, 1.00, 1.00, 1.05, 0.95, 0.85, 1.05, 1.05, 1.05, 1.00)

Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class LineShapes:
    vendors: Sequence[VendorShape]
    categories: Sequence[CategoryShape]
    prices: Sequence[tuple[int, str, int]]  # contract, item, agreed unit price in cents


@dataclass(frozen=True)
class Month:
    month: int  # yyyymm
    first_day: dt.date
    days: int  # days with lines (the last month ends yesterday)
    first_line: int
    lines: int


def vendor_weights(count: int) -> tuple[list[float], list[float]]:
    """Per vendor rank: its share of the lines, and its mean line amount in cents."""
    lines = [(rank + 1 + OFFSET) ** -LINES_POWER for rank in range(count)]
    total = sum(lines)
    lines = [weight / total for weight in lines]
    raw = [(rank + 1 + OFFSET) ** (LINES_POWER - SPEND_POWER) for rank in range(count)]
    mean = sum(share * scale for share, scale in zip(lines, raw, strict=True))
    return lines, [MEAN_LINE_CENTS * scale / mean for scale in raw]


def spend_shares(count: int) -> list[float]:
    """Per vendor rank: its expected share of the spend."""
    lines, scales = vendor_weights(count)
    spend = [line * scale for line, scale in zip(lines, scales, strict=True)]
    total = sum(spend)
    return [value / total for value in spend]


def months_of(today: dt.date, plan: LedgerPlan) -> list[Month]:
    """The plan's months, ending with the month of ``today``'s yesterday, with their lines."""
    yesterday = today - dt.timedelta(days=1)
    last = month_of(yesterday)
    spans = []
    for index in range(plan.months):
        month = month_add(last, index - plan.months + 1)
        first_day = month_start(month)
        days = (min(month_end(month), yesterday) - first_day).days + 1
        weight = days * (1 + YEARLY_GROWTH * index / 12) * SEASON[month % 100 - 1]
        spans.append((month, first_day, days, weight))
    counts = _apportion(plan.lines, [weight for *_, weight in spans])
    months, first_line = [], 0
    for (month, first_day, days, _), lines in zip(spans, counts, strict=True):
        months.append(Month(month, first_day, days, first_line, lines))
        first_line += lines
    return months


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), summing exactly."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def store_months(
    ctx: DemoContext,
    plan: LedgerPlan,
    shapes: LineShapes,
    *,
    source: SpendSource,
    user: Any,
    progress: Progress | None = None,
) -> int:
    """Generate and store every month as one done import; answers the lines stored."""
    months = months_of(ctx.today, plan)
    con = duckdb.connect(config={"memory_limit": "1GB"})
    con.execute("SET enable_progress_bar = false")
    try:
        _load_shapes(con, shapes)
        stored = 0
        for number, month in enumerate(months, start=1):
            stored += _store_month(ctx, con, month, source=source, user=user)
            if progress:
                progress(number, len(months), stored)
    finally:
        con.close()
    return stored


# --- DuckDB --------------------------------------------------------------------------------------

HASH_MACROS = """
CREATE OR REPLACE MACRO lg_mix(x) AS xor(x, x >> 16);
CREATE OR REPLACE MACRO lg_mul1(x) AS (lg_mix(x) * 2146121005) & 4294967295;
CREATE OR REPLACE MACRO lg_mul2(x) AS (xor(x, x >> 15) * 2221713035) & 4294967295;
CREATE OR REPLACE MACRO lg_hash(x) AS lg_mix(lg_mul2(lg_mul1(x)));
"""


def _load_shapes(con: duckdb.DuckDBPyConnection, shapes: LineShapes) -> None:
    con.execute(HASH_MACROS)
    shares, scales = vendor_weights(len(shapes.vendors))
    lows, low = [], 0.0
    for share in shares:
        lows.append(low)
        low += share
    vendors = shapes.vendors
    _table(
        con,
        "lg_vendors",
        {
            "cum_low": ("DOUBLE", lows),
            "supplier_id": ("INTEGER", [v.supplier_id for v in vendors]),
            "scale": ("DOUBLE", scales),
            "category_1": ("INTEGER", [v.categories[0] for v in vendors]),
            "category_2": ("INTEGER", [[*v.categories, None][1] for v in vendors]),
            "second_share": ("DOUBLE", [v.second_share for v in vendors]),
            "contract_id": ("INTEGER", [v.contract_id for v in vendors]),
            "contract_from": ("DATE", [v.contract_start for v in vendors]),
            "earlier_id": ("INTEGER", [v.earlier_contract_id for v in vendors]),
            "earlier_from": ("DATE", [v.earlier_start for v in vendors]),
            "off_contract": ("DOUBLE", [v.off_contract for v in vendors]),
            "price_per_mille": ("INTEGER", [v.price_per_mille for v in vendors]),
        },
    )
    categories = shapes.categories
    _table(
        con,
        "lg_categories",
        {
            "category_id": ("INTEGER", [c.pk for c in categories]),
            "label": ("VARCHAR", [c.name for c in categories]),
            "gl_account": ("VARCHAR", [c.gl_account for c in categories]),
            "centers": ("INTEGER", [len(c.cost_centers) for c in categories]),
            "items": ("INTEGER", [len(c.items) for c in categories]),
        },
    )
    slots = [(c.pk, slot, center) for c in categories for slot, center in enumerate(c.cost_centers)]
    _table(con, "lg_category_centers", _columns(slots, ("category_id", "slot", "cost_center_id")))
    items = [
        (c.pk, slot, code, label, unit)
        for c in categories
        for slot, (code, label, unit) in enumerate(c.items)
    ]
    _table(
        con,
        "lg_items",
        _columns(items, ("category_id", "slot", "item", "label", "unit_cents")),
    )
    _table(con, "lg_prices", _columns(shapes.prices, ("contract_id", "item", "unit_cents")))


_TYPES = {
    "category_id": "INTEGER",
    "slot": "INTEGER",
    "cost_center_id": "INTEGER",
    "item": "VARCHAR",
    "label": "VARCHAR",
    "unit_cents": "BIGINT",
    "contract_id": "INTEGER",
}


def _columns(
    rows: Iterable[Sequence[Any]], names: Sequence[str]
) -> dict[str, tuple[str, list[Any]]]:
    listed = list(rows)
    return {
        name: (_TYPES[name], [row[index] for row in listed]) for index, name in enumerate(names)
    }


def _table(
    con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, tuple[str, list[Any]]]
) -> None:
    """A DuckDB table from Python lists, in one statement (unnest of list parameters)."""
    definition = ", ".join(f"{column} {kind}" for column, (kind, _) in columns.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({definition})")
    selects = ", ".join(
        f"unnest(${index}::{kind}[])" for index, (kind, _) in enumerate(columns.values(), 1)
    )
    values = [values for _, values in columns.values()]
    if values and values[0]:
        con.execute(f"INSERT INTO {name} SELECT {selects}", values)


# A line's random choices, each from its own stream of the line's hash.
_STREAMS = (
    "u_vendor",
    "u_day",
    "u_category",
    "u_center",
    "u_size",
    "u_angle",
    "u_off",
    "u_item",
    "u_drift",
)


def uniforms(streams: Sequence[str] = _STREAMS) -> str:
    """Select list: each stream as a number in [0, 1) from the line's hash ``h`` (a column
    ``lg_hash(n)`` of the line's number; ``HASH_MACROS`` defines the macros)."""
    return ", ".join(
        f"lg_hash(xor(h, {(number * 2654435761) & 0xFFFFFFFF}))::DOUBLE / 4294967296.0 AS {name}"
        for number, name in enumerate(streams, start=1)
    )


def _month_sql(month: Month) -> str:
    """The month's lines as ``ledger.LINE_COLUMNS``; every number is ours."""
    first, last = month.first_line, month.first_line + month.lines
    currency = base_currency().replace("'", "")
    return f"""
    WITH numbered AS (
        SELECT n, lg_hash(n::UBIGINT & 4294967295) AS h FROM range({first}, {last}) AS t(n)
    ), draws AS (
        SELECT n, {uniforms()} FROM numbered
    ), placed AS (
        SELECT d.*, v.supplier_id, v.scale, v.price_per_mille,
            CASE WHEN v.category_2 IS NOT NULL AND d.u_category < v.second_share
                THEN v.category_2 ELSE v.category_1 END AS category_id,
            DATE '{month.first_day.isoformat()}'
                + CAST(floor(d.u_day * {month.days}) AS INTEGER) AS day,
            v.contract_id AS vendor_contract, v.contract_from, v.off_contract,
            v.earlier_id, v.earlier_from
        FROM draws d ASOF JOIN lg_vendors v ON d.u_vendor >= v.cum_low
    ), described AS (
        SELECT p.*, c.label, c.gl_account, cc.cost_center_id,
            CASE
                WHEN p.u_off < p.off_contract THEN NULL
                WHEN p.day >= p.contract_from THEN p.vendor_contract
                WHEN p.day >= p.earlier_from THEN p.earlier_id
            END AS contract_id,
            CASE WHEN c.items > 0 AND p.u_item < {ITEM_SHARE}
                THEN CAST(floor(p.u_item / {ITEM_SHARE} * c.items) AS INTEGER) END AS item_slot,
            greatest(100, round(p.scale * exp({AMOUNT_SIGMA} * sqrt(-2 * ln(1 - p.u_size))
                * cos(2 * pi() * p.u_angle) - {AMOUNT_SIGMA**2 / 2})))::BIGINT AS target_cents
        FROM placed p
        JOIN lg_categories c USING (category_id)
        JOIN lg_category_centers cc ON cc.category_id = p.category_id
            AND cc.slot = CAST(floor(p.u_center * c.centers) AS INTEGER)
    ), priced AS (
        SELECT d.*, i.item, i.label AS item_label, pr.unit_cents AS agreed_cents,
            CASE
                WHEN pr.unit_cents IS NOT NULL AND d.u_drift < {DRIFT_SHARE}
                    THEN pr.unit_cents + (pr.unit_cents * (10
                        + CAST(floor(d.u_drift / {DRIFT_SHARE} * 70) AS BIGINT)) + 500) // 1000
                WHEN pr.unit_cents IS NOT NULL THEN pr.unit_cents
                ELSE (i.unit_cents * d.price_per_mille + 500) // 1000
            END AS unit_cents
        FROM described d
        LEFT JOIN lg_items i ON i.category_id = d.category_id AND i.slot = d.item_slot
        LEFT JOIN lg_prices pr ON pr.contract_id = d.contract_id AND pr.item = i.item
    ), measured AS (
        -- An item dearer than the line's amount would allow is not what this line bought.
        SELECT * REPLACE (
                CASE WHEN unit_cents * 2 <= target_cents * 3 THEN item END AS item,
                CASE WHEN unit_cents * 2 <= target_cents * 3 THEN agreed_cents END
                    AS agreed_cents),
            CASE WHEN item IS NOT NULL AND unit_cents * 2 <= target_cents * 3
                THEN greatest(1, least({MAX_QUANTITY},
                    round(target_cents / unit_cents)))::BIGINT END AS quantity_units
        FROM priced
    )
    SELECT
        {month.month} AS month,
        -- In the file's order, not the ledger's (by vendor): as with the hashed keys of real
        -- imports, the identity index's order within a month is unrelated to the lines' ids.
        -- (Keys rising with the ids would make storing 2.5 times cheaper on SQLite and a plain
        -- GROUP BY over a month range 5 times faster than on an imported ledger.)
        {LINE_KEY_BASE} + n AS line_key,
        day AS date,
        supplier_id, category_id, cost_center_id, contract_id,
        '{currency}' AS currency,
        CAST(coalesce(quantity_units * unit_cents, target_cents) / 100 AS DECIMAL(18, 4))
            AS amount,
        coalesce(quantity_units * unit_cents, target_cents) AS amount_base_cents,
        CAST(quantity_units AS DECIMAL(18, 4)) AS quantity,
        coalesce(item, '') AS item,
        CASE WHEN item IS NOT NULL THEN item_label ELSE label END AS description,
        gl_account,
        printf('LH-%09d', n) AS document,
        CASE WHEN agreed_cents IS NOT NULL
            THEN (unit_cents - agreed_cents) * quantity_units END AS price_variance_cents
    FROM measured
    """


def _store_month(
    ctx: DemoContext,
    con: duckdb.DuckDBPyConnection,
    month: Month,
    *,
    source: SpendSource,
    user: Any,
) -> int:
    con.execute(f"CREATE OR REPLACE TEMP TABLE lg_month AS {_month_sql(month)}")
    count, amount = con.execute(
        "SELECT count(*), coalesce(sum(amount_base_cents), 0) FROM lg_month"
    ).fetchone() or (0, 0)
    closed = dt.datetime.combine(month_end(month.month) + dt.timedelta(days=2), dt.time(6))
    at = min(timezone.make_aware(closed), ctx.now - dt.timedelta(hours=1))
    label = f"{month.month // 100}-{month.month % 100:02d}"
    batch = SpendImport(
        source=source,
        created_by=user,
        file=f"spend/imports/ledger-history/{label}.csv",
        filename=f"ledger-{label}.csv",
        sha256=hashlib.sha256(f"{ctx.seed}:{month.month}:{month.lines}".encode()).hexdigest(),
        status=ImportStatus.DONE,
        progress=100,
        stage="Done",
        rows_read=count,
        lines_added=count,
        amount_base_cents=amount,
        started_at=at + dt.timedelta(minutes=1),
        finished_at=at + dt.timedelta(minutes=4),
    )
    insert(ctx, [batch], by=lambda b: user, at=lambda b: at)
    with transaction.atomic():
        result = ledger.store_lines(con, "lg_month", batch=batch)
    SpendImport.objects.filter(pk=batch.pk).update(
        first_line_id=result.first_line_id, last_line_id=result.last_line_id
    )
    con.execute("DROP TABLE lg_month")
    ctx.counts["spend.SpendLine"] += result.lines_added
    return result.lines_added
