"""Running wrk and reading its report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

STATUS_SCRIPT = Path(__file__).resolve().parent / "status.lua"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_200: int  # counted by status.lua: redirects and errors both
    socket_errors: str  # wrk's own line, empty when there were none

    @property
    def clean(self) -> bool:
        return self.non_200 == 0 and not self.socket_errors and self.requests > 0


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package when running as root, else explains."""
    found = shutil.which("wrk")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing; installing Debian's wrk package …", flush=True)
        if not _apt("install", "-y", "wrk"):
            _apt("update")
            _apt("install", "-y", "wrk")
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit(
        "bench: wrk is not installed. Install it (Debian/Ubuntu: `sudo apt-get install wrk`) "
        "and run the benchmark again."
    )


def _apt(*arguments: str) -> bool:
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(
        ["apt-get", *arguments],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    return done.returncode == 0


def run_wrk(
    wrk: str,
    url: str,
    *,
    headers: dict[str, str],
    seconds: float,
    threads: int,
    connections: int,
) -> WrkResult:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(STATUS_SCRIPT),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def parse_wrk(report: str) -> WrkResult:
    """Read requests/s, the 50th and 99th latency percentiles and error counts."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    total = re.search(r"(\d+) requests in", report)
    if rate is None or total is None:
        raise RuntimeError(f"cannot read the wrk report:\n{report}")
    not_ok = re.search(r"non-200 responses: (\d+)", report)
    errors = re.search(r"Socket errors: (.*)", report)
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=_percentile(report, "50%"),
        p99_ms=_percentile(report, "99%"),
        requests=int(total.group(1)),
        non_200=int(not_ok.group(1)) if not_ok else 0,
        socket_errors=errors.group(1).strip() if errors else "",
    )


def _percentile(report: str, label: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s|m)\s*$", report, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {label} latency in the wrk report:\n{report}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]
