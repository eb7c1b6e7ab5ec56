"""The `steward` command: pass-through to Django, `serve`, and `createuser`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from steward.config import cli
from steward.parties.tests.factories import OrganizationFactory
from steward.people.choices import JobRole, UserKind

STEWARD = Path(sys.executable).with_name("steward")
GOOD_PASSWORD = "Quarterly-review-2026"


def steward(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the installed console script the way a person would: default (local) settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TEST_DATABASE_URL"}
    }
    environment["STEWARD_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603 - our own console script
        [str(STEWARD), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=1800,  # a guard against a hang only: busy machines migrate slowly
        check=False,
    )


# --- the console script --------------------------------------------------------------------------


# The script's own database is the SQLite file in its data folder, whatever the suite runs on:
# its tests run in the SQLite run only, instead of migrating the same file again (minutes) in the
# PostgreSQL run. tests/test_migrations.py migrates PostgreSQL through the script.
script_on_sqlite = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the script's SQLite data folder is tested in the SQLite run",
)


@pytest.fixture(scope="module")
def migrated_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder migrated once by the script; tests that change it work on a copy."""
    folder = tmp_path_factory.mktemp("migrated")
    result = steward("migrate", "--no-input", "-v", "0", data_dir=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def data(tmp_path: Path, migrated_data: Path) -> Path:
    """A private copy of the migrated data folder."""
    return Path(shutil.copytree(migrated_data, tmp_path / "data"))


@script_on_sqlite
def test_console_script_passes_management_commands_through_with_local_settings(
    data: Path,
) -> None:
    # given a data folder the script migrated without DJANGO_SETTINGS_MODULE (local settings)
    # when the installed script adds a user and lists the commands
    created = steward(
        "createuser", "dana", "dana@example.com", "--role", "Vendor manager",
        "--password-stdin", data_dir=data, stdin=GOOD_PASSWORD + "\n",
    )  # fmt: skip
    listed = steward("help", data_dir=data)
    unknown = steward("no-such-command", data_dir=data)

    # then the database is in that folder and every command reaches Django
    assert (data / "steward.sqlite3").exists()
    assert created.returncode == 0, created.stderr
    assert "Created user dana with role(s) Vendor manager" in created.stdout
    for command in ("worker", "backup", "restore", "createuser", "migrate", "check", "shell"):
        assert command in listed.stdout
    assert unknown.returncode != 0
    assert "Unknown command: 'no-such-command'" in unknown.stderr


@script_on_sqlite
def test_backup_and_restore_of_a_live_sqlite_file_through_the_script(
    tmp_path: Path, data: Path
) -> None:
    # given a migrated SQLite database in WAL mode with one user and one document
    add_user = ["createuser", "--password-stdin"]
    steward(*add_user, "kept", "kept@example.com", data_dir=data, stdin=GOOD_PASSWORD)
    (data / "media").mkdir(exist_ok=True)
    (data / "media" / "contract.pdf").write_bytes(b"%PDF-1.7 signed")
    bundle = tmp_path / "steward.tar.gz"

    # when it is backed up, changed, and restored
    backed_up = steward("backup", str(bundle), data_dir=data)
    steward(*add_user, "later", "later@example.com", data_dir=data, stdin=GOOD_PASSWORD)
    (data / "media" / "contract.pdf").unlink()
    restored = steward("restore", str(bundle), "--no-input", data_dir=data)
    users = steward(
        "shell", "--no-imports", "-c",
        "from django.contrib.auth.models import User; "
        "print(sorted(User.objects.values_list('username', flat=True)))",
        data_dir=data,
    )  # fmt: skip

    # then the database file and the media folder are as they were at the backup
    assert backed_up.returncode == 0, backed_up.stderr
    assert restored.returncode == 0, restored.stderr
    assert users.stdout.strip() == "['kept']"
    assert (data / "media" / "contract.pdf").read_bytes() == b"%PDF-1.7 signed"


def test_without_arguments_the_script_explains_its_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # when `steward` runs with nothing else
    cli.main([])
    # then it names the main commands
    out = capsys.readouterr().out
    for command in ("serve", "worker", "migrate", "createuser", "demo", "backup", "restore"):
        assert f"\n  {command}" in out


def test_other_commands_reach_django(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # when a plain Django command is given
    cli.main(["check"])
    # then Django ran it
    assert "System check identified no issues" in capsys.readouterr().out


# --- serve ---------------------------------------------------------------------------------------


@pytest.fixture
def exec_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Catch the exec into gunicorn instead of replacing the test process."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execv", lambda _path, argv: calls.append(list(argv)))
    return calls


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_runs_gunicorn_on_the_configured_address(
    settings: Any, exec_calls: list[list[str]]
) -> None:
    # given STEWARD_BIND and STEWARD_WORKERS as the settings read them
    settings.STEWARD_BIND = "127.0.0.1:9100"
    settings.STEWARD_WORKERS = 3
    # when `steward serve` starts
    cli.main(["serve"])
    # then gunicorn serves Steward's WSGI app there, without an access log
    (argv,) = exec_calls
    assert argv[1:4] == ["-m", "gunicorn", "steward.config.wsgi:application"]
    assert option(argv, "--bind") == "127.0.0.1:9100"
    assert option(argv, "--workers") == "3"
    assert "--access-logfile" not in argv


def test_serve_flags_override_the_settings_and_unknown_options_reach_gunicorn(
    exec_calls: list[list[str]],
) -> None:
    # when flags are given, with one that only gunicorn knows
    cli.main(["serve", "--bind", "0.0.0.0:8080", "--workers", "5", "--access-log", "--timeout=60"])
    # then they win and the unknown one is passed on
    (argv,) = exec_calls
    assert option(argv, "--bind") == "0.0.0.0:8080"
    assert option(argv, "--workers") == "5"
    assert option(argv, "--access-logfile") == "-"
    assert "--timeout=60" in argv


def test_serve_refuses_zero_workers(exec_calls: list[list[str]]) -> None:
    # when asked for no workers, then it stops before starting gunicorn
    with pytest.raises(SystemExit):
        cli.main(["serve", "--workers", "0"])
    assert exec_calls == []


# --- createuser ----------------------------------------------------------------------------------


@pytest.fixture
def password_on_stdin(monkeypatch: pytest.MonkeyPatch) -> Any:
    def feed(password: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))

    return feed


@pytest.mark.django_db
def test_createuser_makes_an_inside_person_with_roles(password_on_stdin: Any) -> None:
    # given a password on standard input
    password_on_stdin(GOOD_PASSWORD)
    # when a user is created with two roles, one given by its constant name
    call_command(
        "createuser", "erin", "erin@example.com", "--role", "Account manager",
        "--role", "auditor", "--first-name", "Erin", "--password-stdin", stdout=io.StringIO(),
    )  # fmt: skip
    # then the account, its roles, profile and password are in place
    erin = get_user_model().objects.get(username="erin")
    assert set(erin.groups.values_list("name", flat=True)) == {
        JobRole.ACCOUNT_MANAGER,
        JobRole.AUDITOR,
    }
    assert erin.profile.kind == UserKind.INTERNAL
    assert erin.first_name == "Erin"
    assert erin.check_password(GOOD_PASSWORD)
    assert not erin.is_superuser


@pytest.mark.django_db
def test_createuser_superuser(password_on_stdin: Any) -> None:
    password_on_stdin(GOOD_PASSWORD)
    # when --superuser is given, then the account may use Django's admin
    call_command(
        "createuser", "root2", "r@example.com", "--superuser", "--password-stdin",
        stdout=io.StringIO(),
    )  # fmt: skip
    root = get_user_model().objects.get(username="root2")
    assert root.is_superuser
    assert root.is_staff


@pytest.mark.django_db
def test_createuser_makes_a_portal_user_of_an_organization(password_on_stdin: Any) -> None:
    # given an organization known by its display name
    organization = OrganizationFactory(legal_name="Contoso Freight AG", display_name="Contoso")
    password_on_stdin(GOOD_PASSWORD)
    # when a portal user is created for it
    call_command(
        "createuser", "carrier", "ops@contoso.example", "--organization", "contoso",
        "--password-stdin", stdout=io.StringIO(),
    )  # fmt: skip
    # then the user is external and belongs to that organization
    profile = get_user_model().objects.get(username="carrier").profile
    assert profile.kind == UserKind.EXTERNAL
    assert profile.organization == organization


@pytest.mark.parametrize(
    ("arguments", "password", "message"),
    [
        (["--role", "Wizard"], GOOD_PASSWORD, "--role: unknown job role 'Wizard'"),
        ([], "short", "password: This password is too short"),
        ([], "", "password: the password must not be empty"),
        (["--organization", "Nobody Ltd"], GOOD_PASSWORD, "--organization: no organization"),
        (["--organization", "{org}", "--role", "Auditor"], GOOD_PASSWORD, "roles: Portal users"),
    ],
)
@pytest.mark.django_db
def test_createuser_refuses_bad_input_and_creates_nothing(
    password_on_stdin: Any, arguments: list[str], password: str, message: str
) -> None:
    # given an organization that a portal user could belong to
    organization = OrganizationFactory()
    arguments = [value.replace("{org}", str(organization.pk)) for value in arguments]
    users_before = get_user_model().objects.count()
    password_on_stdin(password)
    # when the command is given bad input
    with pytest.raises(CommandError) as refused:
        call_command(
            "createuser", "frank", "frank@example.com", *arguments, "--password-stdin",
            stdout=io.StringIO(),
        )  # fmt: skip
    # then it names the problem and nobody was added
    assert message in str(refused.value)
    assert get_user_model().objects.count() == users_before


@pytest.mark.django_db
def test_createuser_refuses_a_taken_user_name(password_on_stdin: Any) -> None:
    password_on_stdin(GOOD_PASSWORD)
    call_command("createuser", "gina", "g@example.com", "--password-stdin", stdout=io.StringIO())
    password_on_stdin(GOOD_PASSWORD)
    # when the same name (in other case) is used again, then it is refused
    with pytest.raises(CommandError, match="username: The user name 'GINA' is taken"):
        call_command(
            "createuser", "GINA", "g2@example.com", "--password-stdin", stdout=io.StringIO()
        )


@pytest.mark.django_db
def test_createuser_without_a_terminal_asks_for_password_stdin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given no terminal and no --password-stdin
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    # then it explains how to pass the password instead of hanging
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("createuser", "hal", "hal@example.com", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="hal").exists()
