"""Load-test Steward's organization list page and API against naive Django baselines.

    .venv/bin/python bench/run.py                    # the full run (make bench)
    .venv/bin/python bench/run.py --size small --duration 2 --rounds 1 --warmup 1   # a smoke run

Everything happens here, in a temporary folder: migrate, load the ``large`` demo data,
collect static files, start `steward serve` (gunicorn) on a free loopback port with
``bench.settings`` (Steward plus two naive baseline views), sign in as a vendor manager (a
session cookie for the page, an API token for the API) and as an administrator, check that
every URL answers 200 with real rows, then run wrk (concurrency 4) for a warm-up and several
rounds per target, interleaved so drift hits every target alike. It prints the median
requests/s and median p99 latency per target, the ratio to the baseline measured in the same
run, PASS/FAIL against the targets (the exit status does not depend on them), and writes the
figures to results.json in the temporary folder. It stops the server it started, and only that.
Last, with the server stopped, it measures closing a scorecard period (``bench/scorecards.py``)
and spend analytics and import on the ten-million-line ledger (``bench/spend.py``, on fresh
SQLite and PostgreSQL databases of its own).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import urllib.error
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.key_accounts import measure as measure_key_accounts  # noqa: E402
from bench.radar import measure as measure_radar  # noqa: E402
from bench.report import Measured, Target, machine, report, warn_if_busy  # noqa: E402
from bench.resegment import measure as measure_resegmentation  # noqa: E402
from bench.risk import measure as measure_risk  # noqa: E402
from bench.scorecards import measure as measure_scorecards  # noqa: E402
from bench.server import (  # noqa: E402
    bench_environment,
    free_port,
    run_logged,
    server_command,
    start_server,
    steward_command,
    stop_server,
    wait_until_healthy,
)
from bench.sourcing import measure as measure_sourcing  # noqa: E402
from bench.spend import DEFAULT_POSTGRESQL  # noqa: E402
from bench.spend import measure as measure_spend  # noqa: E402
from bench.web import check, login  # noqa: E402
from bench.wrk import ensure_wrk, run_wrk  # noqa: E402

SETTINGS = "bench.settings"
VENDOR_MANAGER = "vendor.manager"
ADMINISTRATOR = "admin"


def targets(with_admin: bool) -> list[Target]:
    page = "/organizations/"
    api = "/api/v1/organizations/?page_size=50"
    chosen = [
        Target("healthz", "/healthz", "none", None, "health"),
        Target("baseline page", "/bench/baseline/organizations/", "none", None, "html"),
        Target("baseline json", "/bench/baseline/organizations.json", "none", None, "json"),
        Target("organization list page", page, "session", VENDOR_MANAGER, "html", 300, 25),
        Target("organization API list", api, "token", VENDOR_MANAGER, "json", 1000, 10),
    ]
    if with_admin:
        chosen += [
            Target("organization list page", page, "session", ADMINISTRATOR, "html", 300, 25),
            Target("organization API list", api, "token", ADMINISTRATOR, "json", 1000, 10),
        ]
    return chosen


# --- preparing the data ------------------------------------------------------------------------


def run_step(title: str, command: list[str], env: dict[str, str], log: Path) -> None:
    try:
        run_logged(title, command, env, log)
    except RuntimeError as error:
        sys.exit(f"bench: {error}")


def prepare(env: dict[str, str], size: str, log: Path, *, static: bool = True) -> None:
    print(f"Preparing a fresh data folder with the {size} demo data:")
    run_step("migrate", steward_command("migrate", "--no-input", "-v0"), env, log)
    run_step(f"demo --size {size}", steward_command("demo", "--size", size), env, log)
    if static:
        run_step("collectstatic", steward_command("collectstatic", "--no-input", "-v0"), env, log)


def setup_django(env: dict[str, str]) -> Any:
    """Load Django in this process, with the server's settings, for the set-up steps."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    return connections


def first_page_names() -> list[str]:
    from steward.parties.models import Organization

    rows = Organization.objects.filter(archived_at__isnull=True).order_by("display_name", "pk")
    return list(rows.values_list("display_name", flat=True)[:50])


def create_tokens(usernames: list[str]) -> dict[str, str]:
    """An API token per user, through the same service the UI uses."""
    from django.contrib.auth import get_user_model

    from steward.people.services import api_token_create

    tokens = {}
    for username in usernames:
        user = get_user_model().objects.get(username=username)
        _, secret = api_token_create(actor=user, name="bench")
        tokens[username] = secret
    return tokens


# --- measuring -----------------------------------------------------------------------------------


def measure(
    wrk: str,
    base: str,
    plan: list[tuple[Measured, dict[str, str]]],
    args: argparse.Namespace,
) -> None:
    """A warm-up per target, then the rounds, each round visiting every target in turn."""
    ready = [(measured, headers) for measured, headers in plan if not measured.skipped]
    options = {"threads": args.threads, "connections": args.connections}
    print(f"\nWarming up ({args.warmup:g} s per target) …", flush=True)
    for measured, headers in ready:
        run_wrk(wrk, base + measured.target.path, headers=headers, seconds=args.warmup, **options)
    for number in range(1, args.rounds + 1):
        print(f"Round {number} of {args.rounds} ({args.duration:g} s per target):", flush=True)
        for measured, headers in ready:
            result = run_wrk(
                wrk, base + measured.target.path, headers=headers, seconds=args.duration, **options
            )
            measured.rounds.append(result)
            flag = "" if result.clean else f"  (!) non-200: {result.non_200} {result.socket_errors}"
            print(
                f"  {measured.target.label:40} {result.requests_per_second:8.1f} req/s  "
                f"p99 {result.p99_ms:6.1f} ms{flag}",
                flush=True,
            )


# --- the run -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--duration", type=float, default=10, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=4, help="wrk concurrency")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * cpus, help="gunicorn workers")
    parser.add_argument("--no-admin", action="store_true", help="skip the runs as an administrator")
    parser.add_argument(
        "--resegment-rounds",
        type=int,
        default=5,
        help="rounds of the re-segmentation and renewal radar benchmarks (0 skips them)",
    )
    parser.add_argument(
        "--key-account-rounds",
        type=int,
        default=5,
        help="rounds of the forecast and accountability benchmark (0 skips it)",
    )
    parser.add_argument(
        "--scorecard-rounds",
        type=int,
        default=3,
        help="rounds of the scorecard period-close benchmark, run last (0 skips it)",
    )
    parser.add_argument(
        "--spend-rounds",
        type=int,
        default=5,
        help="rounds of the spend benchmark on its own databases, run last (0 skips it)",
    )
    parser.add_argument(
        "--spend-database-url",
        default=DEFAULT_POSTGRESQL,
        help="the PostgreSQL database the spend benchmark creates and drops (default "
        "%(default)s; empty: SQLite only)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="benchmark on this (empty) database instead of SQLite in the temporary folder",
    )
    parser.add_argument(
        "--keep-data", action="store_true", help="keep the database and static files"
    )
    parser.add_argument(
        "--settings",
        default=SETTINGS,
        help="settings module for the server (default %(default)s); it must keep bench.urls",
    )
    return parser.parse_args(argv)


def environment(workdir: Path, args: argparse.Namespace) -> dict[str, str]:
    return bench_environment(workdir, settings=args.settings, database_url=args.database_url)


def measure_alone(
    measure_rounds: Callable[[int], dict[str, Any]],
    *,
    description: str,
    name: str,
    result: str,
    argv: list[str] | None = None,
) -> None:
    """One of the set-up measurements on its own: fresh demo data, then its figures as JSON.

    ``name`` names the temporary folder, ``result`` the JSON file written in it.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database")
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args(argv)
    args.settings = "bench.settings"
    workdir = Path(tempfile.mkdtemp(prefix=f"steward-{name}-"))
    print(f"Working in {workdir}")
    env = environment(workdir, args)
    prepare(env, args.size, workdir / "bench.log", static=False)
    setup_django(env)
    figures = measure_rounds(args.rounds)
    path = workdir / result
    path.write_text(json.dumps(figures, indent=2, default=str))
    if not args.keep_data:
        shutil.rmtree(workdir / "data", ignore_errors=True)
    print(f"\nFigures written to {path}")


def plan_targets(
    base: str, args: argparse.Namespace, names: list[str], tokens: dict[str, str]
) -> list[tuple[Measured, dict[str, str]]]:
    from steward.demo.generate.context import DEMO_PASSWORD

    sessions: dict[str, str | Exception] = {}
    plan = []
    for target in targets(with_admin=not args.no_admin):
        measured, headers = Measured(target), {}
        try:
            if target.auth == "session" and target.user:
                if target.user not in sessions:
                    try:
                        sessions[target.user] = login(base, target.user, DEMO_PASSWORD)
                    except (RuntimeError, urllib.error.URLError) as error:
                        sessions[target.user] = error
                session = sessions[target.user]
                if isinstance(session, Exception):
                    raise RuntimeError(f"cannot sign in: {session}")
                headers["Cookie"] = session
            if target.auth == "token" and target.user:
                headers["Authorization"] = f"Bearer {tokens[target.user]}"
            measured.check = check(base + target.path, headers, target.kind, names)
            print(f"  ok   {target.label:40} {measured.check}")
        except RuntimeError as error:
            measured.skipped = str(error)
            print(f"  SKIP {target.label:40} {error}")
        plan.append((measured, headers))
    return plan


def save_results(
    workdir: Path,
    args: argparse.Namespace,
    *,
    server: str,
    busy_before: float | None,
    rows: list[dict[str, Any]],
    resegmentation: dict[str, Any] | None,
    radar: dict[str, Any] | None,
    risk: dict[str, Any] | None = None,
    sourcing: dict[str, Any] | None = None,
    key_accounts: dict[str, Any] | None = None,
    scorecards: dict[str, Any] | None = None,
    spend: dict[str, Any] | None = None,
) -> Path:
    results = {
        "settings": {
            "size": args.size,
            "database": "postgresql" if args.database_url else "sqlite",
            "server": server,
            "settings_module": args.settings,
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration:g}s --latency",
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
        },
        "machine": machine(busy_before),
        "targets": rows,
        "resegmentation": resegmentation,
        "renewal_radar": radar,
        "risk_score_refresh": risk,
        "sourcing_comparison": sourcing,
        "key_accounts": key_accounts,
        "scorecard_period_close": scorecards,
        "spend": spend,
    }
    path = workdir / "results.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    return path


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="steward-bench-"))
    log = workdir / "bench.log"
    env = environment(workdir, args)
    print(f"Working in {workdir}")
    prepare(env, args.size, log)
    connections = setup_django(env)
    # Before the server starts, so the two do not compete for the machine.
    rounds = args.resegment_rounds
    resegmentation = measure_resegmentation(rounds) if rounds else None
    radar = measure_radar(rounds) if rounds else None
    risk = measure_risk(rounds) if rounds else None
    sourcing = measure_sourcing(rounds) if rounds else None
    key_rounds = args.key_account_rounds
    key_accounts = measure_key_accounts(key_rounds) if key_rounds else None
    names = first_page_names()
    users = [VENDOR_MANAGER] if args.no_admin else [VENDOR_MANAGER, ADMINISTRATOR]
    tokens = create_tokens(users)
    connections.close_all()

    bind = f"127.0.0.1:{free_port()}"
    command, how = server_command(bind, args.workers)
    print(f"\nStarting the server ({how}, {args.workers} workers) on http://{bind}/")
    server = start_server(command, env, workdir / "server.log")
    base = f"http://{bind}"
    try:
        wait_until_healthy(base, server, workdir / "server.log")
        busy_before = warn_if_busy()
        print("Checking every URL answers 200 with real content:")
        plan = plan_targets(base, args, names, tokens)
        measure(wrk, base, plan, args)
    finally:
        stop_server(server)
    rows = report([measured for measured, _ in plan])
    # Last, because it adds vendors (up to 10,000) that the pages above must not see.
    scorecards = measure_scorecards(args.scorecard_rounds) if args.scorecard_rounds else None
    # On databases of its own (it loads ten million lines): SQLite, and PostgreSQL if given.
    spend = None
    if args.spend_rounds:
        engines = ("sqlite", "postgresql") if args.spend_database_url else ("sqlite",)
        spend = measure_spend(
            args.spend_rounds, engines=engines, database_url=args.spend_database_url
        )
    path = save_results(
        workdir,
        args,
        server=how,
        busy_before=busy_before,
        rows=rows,
        resegmentation=resegmentation,
        radar=radar,
        risk=risk,
        sourcing=sourcing,
        key_accounts=key_accounts,
        scorecards=scorecards,
        spend=spend,
    )
    if not args.keep_data:
        shutil.rmtree(workdir / "data", ignore_errors=True)
    print(f"\nFigures written to {path}")
    print(
        f"Machine: {os.cpu_count()} cores shared by the server and wrk; "
        "runs differ by 10-20% even on a quiet machine."
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("\nbench: interrupted; the server it started has been stopped.")
