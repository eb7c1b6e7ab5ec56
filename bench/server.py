"""Starting and stopping the server under test, and the environment its commands run in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def bench_environment(workdir: Path, *, settings: str, database_url: str) -> dict[str, str]:
    """This process's environment for Steward's commands on the data folder in ``workdir``:
    ``settings``, the database at ``database_url`` (SQLite in the folder when empty), quiet
    logs."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DEBUG", "STATIC_ROOT"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "STEWARD_DATA_DIR": str(workdir / "data"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
            "LOG_LEVEL": "WARNING",
            "STEWARD_LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def steward_command(*arguments: str) -> list[str]:
    script = BIN / "steward"
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-m", "django", *arguments]


def run_logged(title: str, command: list[str], env: dict[str, str], log: Path) -> float:
    """Run a set-up step, its output appended to ``log``; answers its seconds, raises
    RuntimeError if it fails."""
    started = time.monotonic()
    print(f"  {title} …", end=" ", flush=True)
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(
            command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        print("failed")
        raise RuntimeError(f"`{' '.join(command)}` failed; see {log}")
    print(f"{seconds:.0f} s", flush=True)
    return seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command(bind: str, workers: int) -> tuple[list[str], str]:
    serve = steward_command("serve", "--bind", bind, "--workers", str(workers))
    probe = subprocess.run(
        [*steward_command("serve", "--help")], capture_output=True, text=True, check=False
    )
    if probe.returncode == 0 and "gunicorn" in probe.stdout:
        return serve, "steward serve"
    gunicorn = [sys.executable, "-m", "gunicorn", "steward.config.wsgi:application"]
    note = "`steward serve` is not available yet: started gunicorn on steward.config.wsgi"
    return [*gunicorn, "--bind", bind, "--workers", str(workers)], note


def start_server(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    # A session of its own: Ctrl+C reaches this script, which then stops the server itself.
    return subprocess.Popen(
        command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: the server exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"bench: the server did not answer /healthz within a minute; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn master we started (it stops its own workers)."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
