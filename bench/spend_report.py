"""The spend benchmark's summary: one table per database, then the import, then the machine."""

from __future__ import annotations

import os
from typing import Any


def _verdict(passes: bool | None) -> str:
    return "" if passes is None else ("PASS" if passes else "FAIL")


def _goal(row: dict[str, Any]) -> str:
    goal = f"<={row['target_ms']} ms"
    if row.get("target_ratio"):
        goal += f", >={row['target_ratio']}x"
    return goal


def _figures(engine: dict[str, Any]) -> None:
    header = (
        f"  {'figure':46} {'median ms':>9} {'min ms':>8} {'naive s':>8} {'ratio':>8}  "
        f"{'goal':18} {'verdict':7} same"
    )
    print(header + "\n  " + "-" * (len(header) - 2))
    for row in engine.get("figures", []):
        naive, ratio, fast = row["naive_median_ms"], row["ratio"], row["median_ms"]
        same = {True: "yes", False: "NO", None: ""}[row["identical"]]
        missing = row.get("not_measured") or {}
        shown_naive = f"{naive / 1000:8.3f}" if naive else f"{'':8}"
        if "naive" in missing:
            shown_naive = f">{naive / 1000:7.0f}"
        print(
            f"  {row['name']:46} "
            + (f"{fast:9.2f} {row['min_ms']:8.2f}" if fast is not None else f"{'-':>9} {'-':>8}")
            + f" {shown_naive} {(f'{ratio:,.0f}x' if ratio else ''):>8}  "
            f"{_goal(row):18} {_verdict(row['passes']):7} {same}"
        )
        for which, why in missing.items():
            print(f"    ({which} {why})")


def _import(found: dict[str, Any]) -> None:
    if "skipped" in found:
        print(f"  import: not measured ({found['skipped']})")
        return
    if "median_seconds" not in found:
        print(f"  import: did not finish: {found.get('runs')}")
        return
    big = found["big_file"]
    rounds = ", ".join(f"{run['seconds']:.2f}" for run in found["runs"])
    print(
        f"  import of {found['lines']:,} CSV lines: median {found['median_seconds']:.2f} s "
        f"({rounds}; {found['lines_per_second']:,} lines/s), goal <= {found['target_seconds']} s\n"
        f"    Django bulk_create of the same rows: {found['bulk_create_seconds']:.1f} s "
        f"({found['bulk_create_rows_per_second']:,} rows/s); import is "
        f"{found['ratio_to_bulk_create']}x faster, goal >= 8x\n"
        f"    peak memory (child's max RSS): "
        + ", ".join(f"{run['max_rss_mb']:.0f}" for run in found["runs"])
        + f" MB for {found['lines']:,} lines; {big['max_rss_mb']:.0f} MB for "
        f"{big['lines']:,} lines ({big.get('seconds', 0):.1f} s); goal <= 400 MB\n"
        f"    first dashboard query after an import (copy reload): "
        + ", ".join(f"{ms:.0f}" for ms in found["reload_after_import_ms"])
        + f" ms\n    verdict: {_verdict(found['passes'])}"
    )


def print_summary(results: dict[str, Any]) -> None:
    print("\n" + "=" * 100 + "\nSpend: medians of the rounds; naive = plain GROUP BY over lines")
    for name, engine in results.items():
        if "skipped" in engine and "ledger" not in engine:
            print(f"\n{name}: not measured ({engine['skipped']})")
            continue
        ledger = engine.get("ledger", {})
        made = (
            f"generated in {ledger['generate_seconds']} s"
            if "generate_seconds" in ledger
            else f"by {ledger.get('generated_by')}"
        )
        print(
            f"\n{name}: {ledger.get('lines', 0):,} lines, {ledger.get('segments', 0):,} segments, "
            f"{ledger.get('cost_center_cells', 0):,} cost-center cells; ledger {made}; "
            f"demo load {engine.get('demo_seconds', 0):.0f} s; "
            f"ANALYZE {ledger.get('analyze_seconds')} s"
        )
        if "vendors_in_class_a" in ledger:
            print(
                f"  the year: {ledger['vendors_with_spend_in_the_year']:,} vendors, "
                f"{ledger['vendors_in_class_a']:,} in class A (80 %), maverick "
                f"{float(ledger['maverick_share']):.1f} %, {ledger['categories']} categories "
                f"({ledger['single_source_categories']} single-source)"
            )
        if "analytics_skipped" in engine:
            print(f"  analytics: not measured ({engine['analytics_skipped']})")
        else:
            print(f"  first query of the process (copy load): {engine.get('first_query_ms')} ms")
            _figures(engine)
        _import(engine.get("import", {"skipped": "not run"}))
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(
        f"\nMachine: {os.cpu_count()} cores; load average now "
        + (" / ".join(f"{x:.1f}" for x in load) if load else "unknown")
        + ". Other work on the machine slows every figure (the naive ones as much); runs differ"
        " by 10-20 %. Compare ratios measured in the same run."
    )
