"""The spend benchmark's worker: one database, Django set up for it (see bench/spend.py).

It makes sure the large ledger is there (generating it when the demo data came without it,
timed), then measures the dashboard's aggregates, the cube and drill-down against the naive
GROUP BY in interleaved rounds, then the import (bench/spend_import.py), and writes the figures
as JSON for the parent process.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DASHBOARD_MS = 50
CUBE_MS = 300
DRILLDOWN_MS = 50
MIN_RATIO = {"sqlite": 100, "postgresql": 20}
BUDGET_SECONDS = 120  # a call still running then is interrupted and reported, not repeated
SLOW_SECONDS = 20  # a call slower than this is measured once, not every round


@dataclass
class Figure:
    """One answer measured two ways: Steward's and the naive GROUP BY."""

    name: str
    kind: str  # dashboard, cube or drilldown: which target applies
    fast: Callable[[], Any]
    naive: Callable[[], Any] | None
    compare: Callable[[Any], Any] = lambda result: result
    fast_seconds: list[float] = field(default_factory=list)
    naive_seconds: list[float] = field(default_factory=list)
    identical: bool | None = None
    size: int | None = None  # rows in the answer
    given_up: dict[str, str] = field(default_factory=dict)  # fast/naive: why not measured
    fast_cpu: list[float] = field(default_factory=list)  # this process's CPU in each fast call

    def last(self, measured: set[str]) -> str:
        fast = (
            f"{self.fast_seconds[-1] * 1000:9.2f} ms"
            if self.fast_seconds
            else self.given_up.get("fast", "")
        )
        naive = (
            f"naive {self.naive_seconds[-1]:8.3f} s"
            if self.naive_seconds and "naive" in measured
            else self.given_up.get("naive", "naive timed once" if self.naive_seconds else "")
        )
        cpu = f" ({self.fast_cpu[-1] * 1000:7.2f} ms CPU)" if self.fast_cpu else ""
        return f"{fast}{cpu}   {naive}"

    def row(self, vendor: str) -> dict[str, Any]:
        target_ms = {"dashboard": DASHBOARD_MS, "cube": CUBE_MS, "drilldown": DRILLDOWN_MS}
        limit = target_ms[self.kind]
        wanted_ratio = MIN_RATIO.get(vendor) if self.kind == "dashboard" else None
        fast = statistics.median(self.fast_seconds) if self.fast_seconds else None
        naive = statistics.median(self.naive_seconds) if self.naive_seconds else None
        if naive is None and "naive" in self.given_up:
            naive = float(BUDGET_SECONDS)  # at least
        ratio = naive / fast if naive and fast else None
        passes = (
            fast is not None
            and fast * 1000 <= limit
            and (wanted_ratio is None or (ratio or 0) >= wanted_ratio)
        )
        return {
            "name": self.name,
            "kind": self.kind,
            "median_ms": round(fast * 1000, 2) if fast is not None else None,
            "min_ms": round(min(self.fast_seconds) * 1000, 2) if self.fast_seconds else None,
            "cpu_median_ms": (
                round(statistics.median(self.fast_cpu) * 1000, 2) if self.fast_cpu else None
            ),
            "naive_median_ms": round(naive * 1000, 1) if naive else None,
            "ratio": round(ratio, 1) if ratio else None,
            "target_ms": limit,
            "target_ratio": wanted_ratio,
            "passes": passes,
            "identical": self.identical,
            "rows": self.size,
            "not_measured": self.given_up,
            "rounds_ms": [round(s * 1000, 2) for s in self.fast_seconds],
            "naive_rounds_ms": [round(s * 1000, 1) for s in self.naive_seconds],
        }


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


# --- the ledger ----------------------------------------------------------------------------------


def ensure_ledger() -> dict[str, Any]:
    """The large ledger, generated here (timed) if the demo data did not bring it."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from steward.demo.generate.context import SIZES, DemoContext
    from steward.demo.generate.spend_large import LARGE, build_ledger
    from steward.demo.models import DemoDataset
    from steward.spend.models import SpendLine

    figures: dict[str, Any] = {}
    lines = SpendLine.objects.count()
    if lines >= LARGE.lines:
        figures["generated_by"] = "the demo loader (demo --size large)"
    else:
        print("  the demo data has no large ledger yet: generating it here", flush=True)
        dataset = DemoDataset.objects.order_by("pk").first()
        seed = dataset.seed if dataset else 20240601
        ctx = DemoContext.starting(
            size=SIZES["large"], seed=seed, password_hash=make_password(None)
        )
        started = time.perf_counter()

        def progress(done: int, months: int, stored: int) -> None:
            if done % 6 == 0 or done == months:
                elapsed = time.perf_counter() - started
                print(
                    f"    {done:2}/{months} months, {stored:,} lines, {elapsed:.0f} s", flush=True
                )

        with transaction.atomic():
            build_ledger(ctx, LARGE, progress=progress)
        figures["generated_by"] = "bench/spend.py (build_ledger)"
        figures["generate_seconds"] = round(time.perf_counter() - started, 1)
        lines = SpendLine.objects.count()
        print(f"  generated {lines:,} lines in {figures['generate_seconds']} s", flush=True)
    seconds, _ = _timed(lambda: _analyze(connection))
    figures["analyze_seconds"] = round(seconds, 1)
    figures["lines"] = lines
    figures.update(_ledger_shape())
    return figures


def _analyze(connection: Any) -> None:
    """Planner statistics, as a live database has them (autovacuum; SQLite's optimize)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _ledger_shape() -> dict[str, Any]:
    from steward.spend.models import SpendCostCenterCell, SpendImport, SpendSegment

    return {
        "segments": SpendSegment.objects.count(),
        "cost_center_cells": SpendCostCenterCell.objects.count(),
        "imports": SpendImport.objects.count(),
    }


# --- the figures ---------------------------------------------------------------------------------


def _figures(today: dt.date) -> tuple[list[Figure], dict[str, Any]]:
    from django.contrib.auth import get_user_model

    from steward.spend import analytics
    from steward.spend.analytics import naive
    from steward.spend.analytics.period import Filters, Period
    from steward.spend.scope import SpendScope, scope_for

    every = SpendScope(supplier_ids=None, cost_centers=True)
    year = Period.last_12_months(today)
    month = Period(first=year.last, last=year.last)
    top_vendor = _largest(row.key for row in analytics.pareto(every, year, "supplier"))
    top_category = _largest(row.key for row in analytics.pareto(every, year, "category"))
    top_center = _largest(row.keys[0] for row in analytics.cube(every, year, ["cost_center"]))
    context = {
        "period": f"{year.first}-{year.last}",
        "top_vendor": top_vendor,
        "top_category": top_category,
        "top_cost_center": top_center,
    }
    figures = [
        Figure(
            "spend by category x month (a year)",
            "dashboard",
            lambda: analytics.cube(every, year, ["category", "month"]),
            lambda: naive.cube(every, year, ["category", "month"]),
        ),
        Figure(
            "top 20 vendors, Pareto share and ABC",
            "dashboard",
            lambda: analytics.pareto(every, year, "supplier", limit=20),
            lambda: naive.pareto(every, year, "supplier", limit=20),
        ),
        Figure(
            "concentration per category",
            "dashboard",
            lambda: analytics.concentration(every, year),
            lambda: naive.concentration(every, year),
        ),
        Figure(
            "maverick total",
            "dashboard",
            lambda: analytics.maverick(every, year, limit=20),
            lambda: naive.maverick(every, year, limit=20),
        ),
    ]
    manager = get_user_model().objects.filter(username="vendor.manager").first()
    if manager is not None:
        theirs = scope_for(manager)
        context["vendor_manager_vendors"] = len(theirs.supplier_ids or ())
        figures.append(
            Figure(
                "top 20 vendors, Pareto [vendor.manager]",
                "dashboard",
                lambda: analytics.pareto(theirs, year, "supplier", limit=20),
                lambda: naive.pareto(theirs, year, "supplier", limit=20),
            )
        )
    figures.append(
        Figure(
            "cube vendor x category x month (a year)",
            "cube",
            lambda: analytics.cube(every, year, ["supplier", "category", "month"]),
            lambda: naive.cube(every, year, ["supplier", "category", "month"]),
        )
    )
    drills = [
        ("vendor x month", month, Filters(suppliers=(top_vendor,)), 1),
        ("vendor x month, page 20", month, Filters(suppliers=(top_vendor,)), 20),
        ("category x month", month, Filters(categories=(top_category,)), 1),
        ("maverick + cost center (a year)", year,
         Filters(maverick=True, cost_centers=(top_center,)), 1),
    ]  # fmt: skip
    figures += [_drill(every, *drill) for drill in drills]
    return figures, context


def _largest(keys: Iterable[int | None]) -> int:
    """The first key that is not empty (the rows come largest first)."""
    return next(key for key in keys if key is not None)


def _drill(every: Any, name: str, period: Any, filters: Any, page: int) -> Figure:
    from steward.spend.analytics import drilldown

    return Figure(
        f"drill-down: {name}",
        "drilldown",
        lambda: drilldown.lines(every, period, filters, page=page),
        lambda: _naive_page(every, period, filters, page),
        compare=lambda found: (found.total, [line.pk for line in found.lines]),
    )


def _naive_page(scope: Any, period: Any, filters: Any, page: int) -> Any:
    """A page of lines the ORM way: filter, count, order, slice."""
    from steward.spend.analytics import naive
    from steward.spend.analytics.drilldown import LinePage

    matching = naive.lines(scope, period, filters)
    total = matching.count()
    offset = (page - 1) * 50
    found = list(matching.order_by("-month", "-id")[offset : offset + 50])
    return LinePage(lines=found, total=total, page=page, per_page=50)


def _size(result: Any) -> int | None:
    if isinstance(result, list):
        return len(result)
    lines = getattr(result, "lines", None)
    return len(lines) if isinstance(lines, list) else None


@contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """Interrupt the database's work past ``seconds``: a figure that slow is reported as such
    instead of holding the benchmark for hours."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        deadline = time.monotonic() + seconds
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds}s"])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', '0', false)")


def _attempt(call: Callable[[], Any], budget: float) -> tuple[float, float, Any, bool]:
    """Seconds, CPU seconds of this process, result, and whether it finished in ``budget``."""
    from django.db import OperationalError

    started, cpu = time.perf_counter(), time.process_time()
    try:
        with _budget(budget):
            result = call()
    except OperationalError:
        return time.perf_counter() - started, time.process_time() - cpu, None, False
    return time.perf_counter() - started, time.process_time() - cpu, result, True


def _round(figure: Figure, number: int) -> None:
    """One round of one figure: both approaches, in an order that alternates by round."""
    pair = [("fast", figure.fast), ("naive", figure.naive)]
    if number % 2 == 0:
        pair.reverse()
    results = {}
    for which, call in pair:
        seconds_of = figure.fast_seconds if which == "fast" else figure.naive_seconds
        if call is None or figure.given_up.get(which):
            continue
        if number > 1 and seconds_of and max(seconds_of) > SLOW_SECONDS:
            continue  # measured once: too slow to repeat every round
        seconds, cpu, result, finished = _attempt(call, BUDGET_SECONDS)
        if not finished:
            figure.given_up[which] = f"interrupted after {seconds:.0f} s"
            continue
        seconds_of.append(seconds)
        if which == "fast":
            figure.fast_cpu.append(cpu)
        results[which] = result
    if "naive" in results and "fast" in results:
        same = figure.compare(results["fast"]) == figure.compare(results["naive"])
        figure.identical = same and figure.identical is not False
    if "fast" in results:
        figure.size = _size(results["fast"])
    print(f"    {figure.name:46} {figure.last(set(results))}", flush=True)


def measure_figures(rounds: int, vendor: str) -> dict[str, Any]:
    """Load and warm the copy, then rounds that alternate which approach goes first."""
    from django.utils import timezone

    from steward.spend import analytics
    from steward.spend.analytics.period import Period
    from steward.spend.scope import SpendScope

    today = timezone.localdate()
    every = SpendScope(supplier_ids=None, cost_centers=True)
    first_load, _ = _timed(lambda: analytics.pareto(every, Period.last_12_months(today)))
    print(f"  first query of the process (the columnar copy loaded): {first_load * 1000:.0f} ms")
    figures, context = _figures(today)
    for figure in figures:  # warm: plans and caches, as for a page served before
        seconds, _, _, finished = _attempt(figure.fast, BUDGET_SECONDS)
        if not finished:
            figure.given_up["fast"] = f"interrupted after {seconds:.0f} s"
            print(f"    {figure.name:46} warm-up {figure.given_up['fast']}", flush=True)
    for number in range(1, rounds + 1):
        print(f"  round {number} of {rounds}", flush=True)
        for figure in figures:
            _round(figure, number)
    return {
        "first_query_ms": round(first_load * 1000, 1),
        "context": context,
        "figures": [figure.row(vendor) for figure in figures],
    }


def reload_after_import() -> float:
    """The first dashboard query after the ledger changed: it reloads the columnar copy."""
    from django.utils import timezone

    from steward.spend import analytics
    from steward.spend.analytics.period import Period
    from steward.spend.scope import SpendScope

    every = SpendScope(supplier_ids=None, cost_centers=True)
    seconds, _ = _timed(
        lambda: analytics.pareto(every, Period.last_12_months(timezone.localdate()), limit=20)
    )
    return seconds


def spend_shape() -> dict[str, Any]:
    """What the generated spend looks like, from the analytics."""
    from django.utils import timezone

    from steward.spend import analytics
    from steward.spend.analytics.period import Period
    from steward.spend.scope import SpendScope

    every = SpendScope(supplier_ids=None, cost_centers=True)
    year = Period.last_12_months(timezone.localdate())
    pareto = analytics.pareto(every, year, "supplier")
    mavericks = analytics.maverick(every, year)
    categories = analytics.concentration(every, year)
    return {
        "vendors_with_spend_in_the_year": len(pareto),
        "vendors_in_class_a": sum(1 for row in pareto if row.abc == "A"),
        "spend_in_the_year_cents": sum(row.amount_cents for row in pareto),
        "maverick_share": str(mavericks.share),
        "categories": len(categories),
        "single_source_categories": sum(1 for row in categories if row.single_source),
    }


# --- the worker ----------------------------------------------------------------------------------


def work(out: Path, *, rounds: int, import_rounds: int, skip_import: bool) -> None:
    import django

    django.setup()
    from django.db import connection

    from bench.spend_import import measure_import

    vendor = connection.vendor
    print(f"\nMeasuring on {vendor}:", flush=True)
    figures: dict[str, Any] = {"database": vendor, "ledger": ensure_ledger()}
    try:
        figures.update(measure_figures(rounds, vendor))
        figures["ledger"].update(spend_shape())
    except ImportError as error:
        figures["analytics_skipped"] = f"steward.spend.analytics is not available: {error}"
        print(f"  not measured: {figures['analytics_skipped']}")
    if not skip_import:
        figures["import"] = measure_import(import_rounds, reload=reload_after_import)
    out.write_text(json.dumps(figures, indent=2, default=str))
