"""The `steward` command: serve the web app with gunicorn, or run any management command.

`steward serve` starts gunicorn; everything else — worker, migrate, createuser, demo, backup,
restore, check, shell, collectstatic … — is a Django management command and passes straight
through, so `steward check --deploy` is `django-admin check --deploy` with Steward's settings.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_SETTINGS = "steward.config.settings.local"

USAGE = """\
usage: steward COMMAND [options]

Steward — strategic relationship management.

Commands:
  serve                 run the web app with gunicorn (--bind, --workers)
  worker                run background tasks and the periodic schedule (--once)
  migrate               create or update the database tables
  createuser            add a user (--role, --superuser, --organization)
  demo                  load demo data (--size small|large)
  import spend FILE     import a CSV/XLSX of spend lines (--source NAME, --user U)
  backup FILE           write the database and media folder to a .tar.gz bundle
  restore FILE          replace the database and media folder from a bundle
  check --deploy        check the configuration for production

Every other Django management command works too: `steward help` lists them all and
`steward help COMMAND` explains one. Settings come from DJANGO_SETTINGS_MODULE
(default: steward.config.settings.local) and the environment; see the README.
"""


def main(argv: Sequence[str] | None = None) -> None:
    arguments = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if not arguments or arguments[0] in {"-h", "--help"}:
        print(USAGE, end="")
        return
    if arguments[0] == "--version":
        from importlib.metadata import version

        print(f"steward {version('steward')}")
        return
    _load_settings_or_exit()
    if arguments[0] == "serve":
        serve(arguments[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["steward", *arguments])


def _load_settings_or_exit() -> None:
    """Read the settings now, so a missing variable stops us with one clear line, not a trace."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching it loads the settings module
    except ImproperlyConfigured as error:
        module = os.environ["DJANGO_SETTINGS_MODULE"]
        print(f"steward: configuration error ({module}): {error}", file=sys.stderr)
        raise SystemExit(2) from None


def serve(arguments: Sequence[str]) -> None:
    """Replace this process with gunicorn serving Steward; unknown options go to gunicorn."""
    from django.conf import settings

    parser = argparse.ArgumentParser(
        prog="steward serve",
        description="Serve Steward with gunicorn. Options it does not know go to gunicorn.",
    )
    parser.add_argument(
        "--bind",
        default=settings.STEWARD_BIND,
        help="Address to listen on (STEWARD_BIND; default %(default)s).",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=settings.STEWARD_WORKERS,
        help="Worker processes (STEWARD_WORKERS; default %(default)s).",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="Log every request to standard output (off by default).",
    )
    options, passthrough = parser.parse_known_args(arguments)
    if options.workers < 1:
        parser.error("--workers must be at least 1")
    _warn_without_static_files()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "steward.config.wsgi:application",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--error-logfile",
        "-",
        *(["--access-logfile", "-"] if options.access_log else []),
        *_without_control_socket(),
        *passthrough,
    ]
    print(f"Steward is listening on http://{options.bind}/ ({options.workers} workers)")
    sys.stdout.flush()
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter, arguments we built


def _without_control_socket() -> list[str]:
    """Newer gunicorns open a control socket in the home folder; two servers would share it."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def _warn_without_static_files() -> None:
    from django.conf import settings

    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if not settings.STATIC_ROOT or "Manifest" not in backend:
        return
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        print(
            f"steward: warning: no collected static files in {settings.STATIC_ROOT}; "
            "run `steward collectstatic --no-input` first or pages will fail.",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
