"""`steward import spend FILE --source NAME`: a progress bar, the result, exit 1 when refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from steward.people.tests.factories import UserFactory
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendImport, SpendLine, SpendSource
from steward.spend.tests.test_import_helpers import csv_bytes, make_world

pytestmark = pytest.mark.django_db


def spend_file(tmp_path: Path, rows: list[tuple[object, ...]], name: str = "march.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


GOOD = [
    ("2026-03-02", "1,200.00", "EUR", "Acme Industrial GmbH", "INV-1", 1, "Bearings"),
    ("2026-03-03", "34.56", "EUR", "Acme Industrial GmbH", "INV-1", 2, "Seals"),
]


def test_a_file_is_imported_with_a_progress_bar_and_a_summary(tmp_path: Path) -> None:
    world = make_world(name="SAP")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import",
        "spend",
        str(spend_file(tmp_path, GOOD)),
        "--source",
        "sap",
        "--user",
        world.user.username,
        stdout=out,
        stderr=err,
    )

    assert "Imported 2 lines from march.csv: 1,234.56 EUR." in out.getvalue()
    bar = err.getvalue().splitlines()
    assert bar[0].startswith("[")
    assert "Reading the file" in bar[0]
    assert any("Writing 2 lines" in line for line in bar)
    assert SpendLine.objects.count() == 2

    # a second run of the same file adds nothing and says so
    out = io.StringIO()
    call_command(
        "import",
        "spend",
        str(spend_file(tmp_path, GOOD)),
        "--source=SAP",
        f"--user={world.user.username}",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Imported 0 lines (2 already in the ledger, skipped)" in out.getvalue()


def test_a_refused_file_exits_1_listing_rows_fields_and_unmatched_vendors(tmp_path: Path) -> None:
    world = make_world(name="SAP")
    rows = [
        *GOOD,
        ("2026-03-04", "-5", "EUR", "Acme Industrial GmbH", "INV-2", 1, "Credit"),
        ("2026-03-04", "5", "EUR", "Acme Industries", "INV-3", 1, ""),
    ]
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command(
            "import",
            "spend",
            str(spend_file(tmp_path, rows)),
            "--source=SAP",
            f"--user={world.user.username}",
            stdout=io.StringIO(),
            stderr=err,
        )

    assert refused.value.returncode == 1
    assert "was refused" in str(refused.value)
    assert "row 4, amount: “-5” must be more than zero" in err.getvalue()
    assert "unmatched vendor “Acme Industries”: 1 lines (rows 5); perhaps Acme (id" in (
        err.getvalue()
    )
    assert SpendImport.objects.get().status == ImportStatus.REFUSED
    assert not SpendLine.objects.exists()


def test_create_source_makes_a_source_that_reads_stewards_field_names(tmp_path: Path) -> None:
    world = make_world()

    call_command(
        "import",
        "spend",
        str(spend_file(tmp_path, GOOD)),
        "--source=Card provider",
        "--create-source",
        f"--user={world.user.username}",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    source = SpendSource.objects.get(name="Card provider")
    assert source.mapping == {}
    assert SpendImport.objects.get().source == source


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--source=Nope"], "There is no source “Nope”"),
        (["--source=SAP", "--user=ghost"], "There is no active user “ghost”"),
    ],
)
def test_unknown_sources_and_users_are_named(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    world = make_world(name="SAP")
    defaults = [f"--user={world.user.username}"] if "--user=ghost" not in arguments else []

    with pytest.raises(CommandError, match=message):
        call_command("import", "spend", str(spend_file(tmp_path, GOOD)), *arguments, *defaults)


def test_a_user_who_may_not_import_is_told_so(tmp_path: Path) -> None:
    make_world(name="SAP")
    someone = UserFactory()

    with pytest.raises(CommandError, match="You may not create"):
        call_command(
            "import",
            "spend",
            str(spend_file(tmp_path, GOOD)),
            "--source=SAP",
            f"--user={someone.username}",
            stderr=io.StringIO(),
        )
