"""What was measured, how it compares with the goals and the baselines, and the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.wrk import WrkResult


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    auth: str  # "session", "token" or "none"
    user: str | None
    kind: str  # "html" or "json": what the body must contain, and which baseline compares
    min_rps: float | None = None
    max_p99_ms: float | None = None

    @property
    def label(self) -> str:
        return f"{self.name} [{self.user}]" if self.user else self.name


@dataclass
class Measured:
    target: Target
    rounds: list[WrkResult] = field(default_factory=list)
    check: str = ""
    skipped: str = ""

    @property
    def rps(self) -> float:
        return statistics.median(r.requests_per_second for r in self.rounds)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99_ms for r in self.rounds)


def verdict(measured: Measured) -> str:
    target = measured.target
    if target.min_rps is None or not measured.rounds:
        return ""
    if any(not r.clean for r in measured.rounds):
        return "FAIL (errors)"
    ok = measured.rps >= target.min_rps and measured.p99 <= (target.max_p99_ms or float("inf"))
    return "PASS" if ok else "FAIL"


def baseline_of(measured: Measured, everything: list[Measured]) -> Measured | None:
    if measured.target.auth == "none":
        return None
    wanted = "baseline page" if measured.target.kind == "html" else "baseline json"
    return next((m for m in everything if m.target.name == wanted and m.rounds), None)


def report(everything: list[Measured]) -> list[dict[str, Any]]:
    header = f"{'target':42} {'req/s':>8} {'p99 ms':>7} {'vs baseline':>12}  {'goal':18} verdict"
    print("\n" + header + "\n" + "-" * len(header))
    rows: list[dict[str, Any]] = []
    for measured in everything:
        target = measured.target
        if measured.skipped or not measured.rounds:
            print(f"{target.label:42} not measured: {measured.skipped}")
            rows.append({"target": target.label, "skipped": measured.skipped})
            continue
        baseline = baseline_of(measured, everything)
        ratio = measured.rps / baseline.rps if baseline else None
        goal = f">={target.min_rps:g}/s, p99<={target.max_p99_ms:g}ms" if target.min_rps else ""
        shown_ratio = f"{ratio:.2f}x" if ratio else ""
        print(
            f"{target.label:42} {measured.rps:8.1f} {measured.p99:7.1f} {shown_ratio:>12}  "
            f"{goal:18} {verdict(measured)}"
        )
        rows.append(
            {
                "target": target.label,
                "path": target.path,
                "user": target.user,
                "median_requests_per_second": round(measured.rps, 1),
                "median_p99_ms": round(measured.p99, 2),
                "ratio_to_baseline": round(ratio, 3) if ratio else None,
                "baseline": baseline.target.name if baseline else None,
                "goal": {"min_rps": target.min_rps, "max_p99_ms": target.max_p99_ms},
                "verdict": verdict(measured),
                "check": measured.check,
                "rounds": [asdict(r) for r in measured.rounds],
            }
        )
    return rows


# --- the machine ----------------------------------------------------------------------------------


def load_average() -> tuple[float, float, float] | None:
    return os.getloadavg() if hasattr(os, "getloadavg") else None


def busy_share(seconds: float = 2.0) -> float | None:
    """How much of the machine's CPU time other work used over ``seconds`` (Linux only)."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else None


def warn_if_busy() -> float | None:
    """Other work on the machine lowers every figure; say so before measuring."""
    busy = busy_share()
    if busy is not None:
        print(f"CPU used by other work just before measuring: {busy:.0%}")
        if busy > 0.15:
            print("  (!) the machine is busy with other work; expect lower figures than usual")
    return busy


def machine(busy_before: float | None) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_busy_before": busy_before,
        "load_average_after": load_average(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "note": "wrk runs on the same machine as the server and shares its cores",
    }
