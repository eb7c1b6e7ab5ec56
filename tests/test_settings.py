"""Settings from the environment: production is strict and clean, local makes its own secret."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

STEWARD = Path(sys.executable).with_name("steward")
PRODUCTION = "steward.config.settings.production"
LOCAL = "steward.config.settings.local"


def run_steward(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run the installed script with only the Steward variables given here."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "STEWARD_", "SECRET_KEY", "ALLOWED_HOSTS"))
        and key not in {"DATABASE_URL", "TEST_DATABASE_URL", "DEBUG"}
    }
    environment.update(variables)
    return subprocess.run(  # noqa: S603 - our own console script
        [str(STEWARD), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,  # a guard against a hang only: busy machines migrate slowly
        check=False,
    )


def production_environment(data_dir: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "steward.example.com",
        # never contacted: `check --deploy` inspects settings, not the database
        "DATABASE_URL": "postgres://steward@db.invalid:5432/steward",
        "STEWARD_DATA_DIR": str(data_dir),
    }


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    # given production settings with the three required variables
    # when the deployment checks run, failing on anything of warning level or above
    result = run_steward(
        "check", "--deploy", "--fail-level", "WARNING", **production_environment(tmp_path)
    )
    # then there is nothing to report at all
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_production_without_a_secret_key_stops_with_a_clear_message(
    tmp_path: Path, secret: str | None
) -> None:
    # given production settings whose SECRET_KEY is missing or empty
    environment = production_environment(tmp_path)
    if secret is None:
        del environment["SECRET_KEY"]
    else:
        environment["SECRET_KEY"] = secret
    # when any command starts
    result = run_steward("check", **environment)
    # then it stops at once, naming the variable, without a traceback
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "configuration error" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_requires_allowed_hosts_and_database_url(tmp_path: Path) -> None:
    for missing in ("ALLOWED_HOSTS", "DATABASE_URL"):
        # given production settings without one of them
        environment = production_environment(tmp_path)
        del environment[missing]
        # when a command starts, then it names what is missing
        result = run_steward("check", **environment)
        assert result.returncode == 2, missing
        assert missing in result.stderr


def test_local_settings_generate_a_private_secret_once_and_reuse_it(tmp_path: Path) -> None:
    # given an empty data folder and local settings without SECRET_KEY
    show_key = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    ]
    environment = {"DJANGO_SETTINGS_MODULE": LOCAL, "STEWARD_DATA_DIR": str(tmp_path)}

    # when Steward starts twice
    first = run_steward(*show_key, **environment)
    key_file = tmp_path / "secret_key"
    written = key_file.read_text().strip()
    second = run_steward(*show_key, **environment)

    # then the first start wrote a long secret only its owner can read, and both used it
    assert first.returncode == 0, first.stderr
    assert len(written) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip() == written
    assert second.stdout.strip() == written
    assert key_file.read_text().strip() == written


def test_every_environment_variable_the_settings_read_is_in_the_readme() -> None:
    # given the variables the settings modules read through django-environ
    settings_dir = Path(__file__).resolve().parent.parent / "steward" / "config" / "settings"
    pattern = re.compile(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
    read = {
        name for path in settings_dir.glob("*.py") for name in pattern.findall(path.read_text())
    }
    # when the README's configuration is read
    readme = (settings_dir.parent.parent.parent / "README.md").read_text()
    # then each variable is documented there
    assert len(read) > 20
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
