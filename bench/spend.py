"""Spend analytics and import on the ten-million-line ledger, on SQLite and on PostgreSQL.

    .venv/bin/python bench/spend.py                       # both databases, 5 rounds
    .venv/bin/python bench/spend.py --rounds 3 --engines sqlite
    .venv/bin/python bench/spend.py --database-url postgres://user@host:5432/bench_spend

`make bench` runs this too (``bench/run.py`` calls ``measure`` last). For each database it
starts from nothing: a SQLite file in a temporary folder, and the PostgreSQL database
``bench_spend`` on the local server (dropped and created by this script, dropped again at the
end unless ``--keep-data``). It migrates, loads the ``large`` demo data and the large ledger
(``steward.demo.generate.spend_large``: 10,000,000 lines over 36 months, timed), then, in a
worker process of its own per database (``bench/spend_measure.py``, ``bench/spend_import.py``):

- the dashboard's aggregates through ``steward.spend.analytics`` (its columnar copy warm)
  against ``steward.spend.analytics.naive`` (a plain GROUP BY over the lines), rounds
  interleaved, answers compared; the first query after an import (the copy reloaded);
- the full vendor x category x month cube of a year; drill-down pages to lines;
- importing a 1,000,000-line CSV through ``spend_import_run`` in a child process (its peak
  memory is the child's maximum RSS), against Django's ``bulk_create`` of the same prepared
  rows (rolled back), and a 3,000,000-line file to show the memory stays flat.

It prints medians, ratios, PASS/FAIL against the targets of issue 6 (the exit status does not
depend on them), the machine and how busy it was, and writes results.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

DEFAULT_POSTGRESQL = "postgres://postgres@127.0.0.1:5432/bench_spend"
SETTINGS = "bench.settings"


# --- the databases -------------------------------------------------------------------------------


def _maintenance(database_url: str) -> tuple[str, str]:
    """The server's ``postgres`` database (to create and drop on), and the database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), name


def _recreate_postgresql(database_url: str, *, drop_only: bool = False) -> str:
    """Drop and create the benchmark's database; answers why not, or ''."""
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance(database_url)
    if not name or name == "postgres":
        return f"refusing to drop the database {name or '(none)'}; name a benchmark database"
    try:
        with psycopg.connect(maintenance, autocommit=True) as con:
            con.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if not drop_only:
                con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        return f"PostgreSQL is not available ({str(error).strip()})"
    return ""


def _engine(engine: str, database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Prepare a fresh database for ``engine`` and measure it in a worker process."""
    from bench.server import bench_environment, run_logged, steward_command

    workdir = Path(tempfile.mkdtemp(prefix=f"steward-spend-{engine}-"))
    log = workdir / "bench.log"
    print(f"\n=== {engine}: working in {workdir}", flush=True)
    if engine == "postgresql":
        problem = _recreate_postgresql(database_url)
        if problem:
            print(f"  not measured: {problem}")
            return {"database": engine, "skipped": problem}
    env = bench_environment(
        workdir, settings=SETTINGS, database_url=database_url if engine == "postgresql" else ""
    )
    figures: dict[str, Any] = {"database": engine, "workdir": str(workdir)}
    try:
        figures["migrate_seconds"] = run_logged(
            "migrate", steward_command("migrate", "--no-input", "-v0"), env, log
        )
        figures["demo_seconds"] = run_logged(
            "demo --size large", steward_command("demo", "--size", "large"), env, log
        )
        out = workdir / "spend.json"
        worker = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            str(out),
            "--rounds",
            str(args.rounds),
            "--import-rounds",
            str(args.import_rounds),
        ]
        if args.skip_import:
            worker.append("--skip-import")
        done = subprocess.run(worker, env=env, cwd=REPO, check=False)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"the measuring worker failed (exit {done.returncode})")
        figures.update(json.loads(out.read_text()))
    except RuntimeError as error:
        print(f"  not measured: {error}")
        figures["skipped"] = str(error)
    finally:
        if not args.keep_data:
            shutil.rmtree(workdir / "data", ignore_errors=True)
            if engine == "postgresql":
                _recreate_postgresql(database_url, drop_only=True)
    return figures


# --- entry points --------------------------------------------------------------------------------


def measure(
    rounds: int = 5,
    *,
    engines: tuple[str, ...] = ("sqlite", "postgresql"),
    database_url: str = DEFAULT_POSTGRESQL,
    import_rounds: int = 3,
    keep_data: bool = False,
    skip_import: bool = False,
) -> dict[str, Any]:
    """Measure every engine on a fresh database of its own; print and return the figures.

    Runs in subprocesses, so it does not matter which database the caller's Django uses.
    """
    from bench.report import machine, warn_if_busy
    from bench.spend_report import print_summary

    args = argparse.Namespace(
        rounds=rounds, import_rounds=import_rounds, keep_data=keep_data, skip_import=skip_import
    )
    print("\nSpend analytics and import on the large ledger (10,000,000 lines)", flush=True)
    busy = warn_if_busy()
    results = {engine: _engine(engine, database_url, args) for engine in engines}
    print_summary(results)
    return {"machine": machine(busy), "rounds": rounds, "engines": results}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--import-rounds", type=int, default=3, help="imports of the 1,000,000-line file"
    )
    parser.add_argument(
        "--engines", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_POSTGRESQL,
        help="the PostgreSQL database to create, use and drop (default %(default)s)",
    )
    parser.add_argument("--keep-data", action="store_true")
    parser.add_argument("--skip-import", action="store_true", help="analytics only")
    parser.add_argument("--worker", metavar="JSON", help=argparse.SUPPRESS)
    parser.add_argument("--import-child", metavar="BATCH", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.import_child:
        from bench.spend_import import run_child

        run_child(int(args.import_child))
        return
    if args.worker:
        from bench.spend_measure import work

        work(Path(args.worker), rounds=args.rounds, import_rounds=args.import_rounds,
             skip_import=args.skip_import)  # fmt: skip
        return
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    results = measure(
        args.rounds,
        engines=engines,
        database_url=args.database_url,
        import_rounds=args.import_rounds,
        keep_data=args.keep_data,
        skip_import=args.skip_import,
    )
    path = Path(tempfile.mkdtemp(prefix="steward-spend-results-")) / "results.json"
    path.write_text(json.dumps({"spend": results}, indent=2, default=str))
    print(f"\nFigures written to {path}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("\nbench: interrupted")
