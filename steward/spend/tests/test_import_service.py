"""The import services: upload checks, the background job, idempotency, all-or-nothing, retry."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from steward.core.errors import DomainError, TransitionError
from steward.people.tests.factories import UserFactory
from steward.spend import ledger
from steward.spend.choices import ImportStatus
from steward.spend.models import ExchangeRate, SpendImport, SpendLine, SpendSegment
from steward.spend.services.imports import (
    spend_import_create,
    spend_import_retry,
    spend_import_run,
)
from steward.spend.tests.test_import_helpers import (
    csv_bytes,
    make_world,
    nothing_written,
    run_import,
    upload,
    where,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

# A spreadsheet's date-time has no time zone; the line keeps its day.
SPREADSHEET_TIME = dt.datetime(2026, 3, 3, 14, 5)  # noqa: DTZ001


def rows(first: int, last: int) -> list[tuple[Any, ...]]:
    return [
        ("2026-02-03", f"{n}.25", "EUR", "Acme Industrial GmbH", f"INV-{n}", 1, f"Line {n}")
        for n in range(first, last + 1)
    ]


# --- idempotency ---------------------------------------------------------------------------------


def test_the_same_file_imported_twice_adds_its_lines_once() -> None:
    world = make_world()
    content = csv_bytes(rows(1, 5))

    first = run_import(world, content)
    second = run_import(world, content)

    assert (first.status, first.lines_added, first.lines_skipped) == (ImportStatus.DONE, 5, 0)
    assert (second.status, second.lines_added, second.lines_skipped) == (ImportStatus.DONE, 0, 5)
    assert second.amount_base_cents == 0
    assert SpendLine.objects.count() == 5
    assert first.sha256 == second.sha256 == hashlib.sha256(content).hexdigest()


def test_an_overlapping_file_adds_only_the_lines_it_does_not_share() -> None:
    world = make_world()
    run_import(world, csv_bytes(rows(1, 5)))

    overlapping = run_import(world, csv_bytes(rows(4, 9)))

    assert (overlapping.lines_added, overlapping.lines_skipped) == (4, 2)
    assert SpendLine.objects.count() == 9
    assert sum(s.lines for s in SpendSegment.objects.all()) == 9


def test_lines_without_reference_are_identified_by_all_their_values() -> None:
    world = make_world()
    header = ("date", "amount", "vendor_name", "description")
    run_import(world, csv_bytes([("2026-01-05", "10", "Acme Industrial", "Taxi")], header))

    again = run_import(
        world,
        csv_bytes(
            [
                ("2026-01-05", "10.00", "Acme Industrial", "Taxi"),
                ("2026-01-05", "10", "Acme Industrial", "Bus"),
            ],
            header,
        ),
    )

    assert (again.lines_added, again.lines_skipped) == (1, 1)


def test_an_import_refreshes_the_vendors_twelve_month_spend() -> None:
    world = make_world()
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).isoformat()

    run_import(world, csv_bytes([(last_month, "1,234.50", "EUR", "Acme Industrial", "A", 1, "")]))

    world.vendor.refresh_from_db()
    assert world.vendor.annual_spend == Decimal("1234.50")


def test_a_done_import_is_not_run_again() -> None:
    world = make_world()
    batch = run_import(world, csv_bytes(rows(1, 2)))

    again = spend_import_run(batch=batch)

    assert (again.status, again.lines_added) == (ImportStatus.DONE, 2)
    assert SpendLine.objects.count() == 2


# --- all or nothing -----------------------------------------------------------------------------


def test_a_failure_inside_the_ledger_transaction_leaves_nothing_and_marks_the_import_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a store that breaks after the lines, segments and cells were inserted
    world = make_world()
    written = {}
    mark_changed = ledger.ledger_changed

    def break_after_writing() -> None:
        # The ledger marks itself changed once its rows are in (and, on SQLite, first to
        # take the write lock, before any line).
        lines = SpendLine.objects.count()
        if not lines:
            mark_changed()
            return
        written["lines"] = lines
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "ledger_changed", break_after_writing)

    # when a file is imported
    batch = run_import(world, csv_bytes(rows(1, 3)))

    # then the lines were written, then rolled back with everything else
    assert written == {"lines": 3}
    assert batch.status == ImportStatus.FAILED
    assert "disk full" in batch.errors[0]["message"]
    assert nothing_written()

    # and running it again, repaired, imports the file once
    monkeypatch.undo()
    retried = spend_import_run(batch=spend_import_retry(actor=world.user, batch=batch))
    assert (retried.status, retried.lines_added) == (ImportStatus.DONE, 3)


def test_one_bad_row_refuses_the_whole_file() -> None:
    world = make_world()
    content = csv_bytes([*rows(1, 3), ("2026-02-30", "1", "EUR", "Acme Industrial", "X", 1, "")])

    batch = run_import(world, content)

    assert batch.status == ImportStatus.REFUSED
    assert where(batch) == {(5, "date")}
    assert batch.rows_read == 4
    assert nothing_written()


def test_problems_beyond_five_hundred_are_counted_not_listed() -> None:
    world = make_world()
    bad = [("2026-01-01", "x", "EUR", "Acme Industrial", f"R{n}", 1, "") for n in range(600)]

    batch = run_import(world, csv_bytes(bad))

    assert len(batch.errors) == 501
    assert batch.errors[499]["row"] == 501
    assert batch.errors[-1]["message"] == "… and 100 more problems not listed."


# --- reading ------------------------------------------------------------------------------------


def test_an_xlsx_file_is_read_with_its_dates_numbers_and_line_numbers() -> None:
    world = make_world()
    content = xlsx_bytes(
        [
            (dt.date(2026, 3, 2), 120.5, "EUR", "Acme Industrial GmbH", "INV-1", 1, "Bearings"),
            (SPREADSHEET_TIME, 80, "EUR", "Acme Industrial GmbH", "INV-1", 2, None),
            (None, None, None, None, None, None, None),
            (dt.date(2026, 4, 1), "0.1", "EUR", "Acme Industrial GmbH", "INV-2", 1, "Seals"),
        ]
    )

    batch = run_import(world, content, name="Spend March.xlsx")

    assert batch.status == ImportStatus.DONE, batch.errors
    assert (batch.rows_read, batch.lines_added, batch.amount_base_cents) == (3, 3, 20060)
    line = SpendLine.objects.get(document="INV-1", date=dt.date(2026, 3, 3))
    assert line.amount == Decimal("80")
    assert batch.filename == "Spend March.xlsx"


def test_an_xlsx_problem_names_the_row_the_spreadsheet_shows() -> None:
    world = make_world()
    content = xlsx_bytes(
        [
            (dt.date(2026, 3, 2), 1, "EUR", "Acme Industrial", "A", 1, ""),
            (None, None, None, None, None, None, None),
            (dt.date(2026, 3, 2), -4.5, "EUR", "Acme Industrial", "B", 1, ""),
        ]
    )

    batch = run_import(world, content, name="spend.xlsx")

    assert where(batch) == {(4, "amount")}


def test_a_source_mapping_renames_columns_and_reads_its_date_and_number_formats() -> None:
    # given a German ERP export: semicolons, decimal commas, day-first dates
    world = make_world(
        mapping={"date": "Belegdatum", "amount": "Betrag", "vendor_name": "Lieferant"},
        date_format="%d.%m.%Y",
        decimal_comma=True,
    )
    content = (
        b"Belegdatum;BETRAG;Lieferant;reference\n"
        b'05.03.2026;"1.234,56";Acme Industrial GmbH;R1\n'
        b"2026-03-06;7,5;Acme Industrial GmbH;R2\n"
        b"06.03.2026;1,234.56;Acme Industrial GmbH;R3\n"
    )

    batch = run_import(world, content)

    assert where(batch) == {(4, "amount")}
    assert "1.234,56" in batch.errors[0]["message"]
    fixed = run_import(world, content.replace(b"1,234.56", b"1234,56"))
    assert fixed.status == ImportStatus.DONE, fixed.errors
    assert fixed.amount_base_cents == 123456 + 750 + 123456
    assert SpendLine.objects.filter(date=dt.date(2026, 3, 5)).get().amount == Decimal("1234.56")


def test_rows_keep_their_numbers_across_blank_lines_and_quoted_line_breaks() -> None:
    world = make_world()
    header = "date,amount,vendor_name,reference,description\n"
    with_blank = header + (
        "2026-01-05,1,Acme Industrial,A,ok\n\n2026-01-05,1,Acme Industrial,B,ok\n"
        "2026-01-05,oops,Acme Industrial,C,ok\n"
    )
    with_break = header + (
        '2026-01-05,1,Acme Industrial,A,"two\nlines"\n2026-01-05,oops,Acme Industrial,C,ok\n'
    )
    with_extra_cell = header + "2026-01-05,1,Acme Industrial,A,ok\n2026-01-05,1,Acme,B,ok,extra\n"

    assert where(run_import(world, with_blank.encode())) == {(5, "amount")}
    assert where(run_import(world, with_break.encode())) == {(3, "amount")}
    extra = run_import(world, with_extra_cell.encode())
    assert where(extra) == {(3, "file")}
    assert "more cells than the header" in extra.errors[0]["message"]


def test_a_column_without_a_name_is_allowed_while_it_stays_empty() -> None:
    world = make_world()
    trailing = "date,amount,vendor_name,reference,\n2026-01-05,1,Acme Industrial,A,\n"

    accepted = run_import(world, trailing.encode())
    refused = run_import(world, (trailing + "2026-01-05,1,Acme Industrial,B,oops\n").encode())

    assert (accepted.status, accepted.lines_added) == (ImportStatus.DONE, 1)
    assert where(refused) == {(3, "column 5")}


# --- upload -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("../spend.csv", b"date\n", "file_name"),
        ("folder/spend.csv", b"date\n", "file_name"),
        ("spend.txt", b"date\n", "file_type"),
        ("spend.xlsx", b"date,amount\n", "file_content"),
        ("spend.csv", b"PK\x03\x04rest of a zip", "file_content"),
        ("spend.csv", "date,amount\n".encode("utf-16"), "file_content"),
    ],
)
def test_uploads_of_the_wrong_kind_are_refused_before_anything_is_kept(
    name: str, content: bytes, code: str
) -> None:
    world = make_world()

    with pytest.raises(DomainError) as refused:
        spend_import_create(
            actor=world.user, source=world.source, upload=ContentFile(content, name=name)
        )

    assert (refused.value.field, refused.value.code) == ("file", code)
    assert not SpendImport.objects.exists()


def test_a_file_over_the_spend_upload_limit_is_refused(settings: Any) -> None:
    settings.STEWARD_SPEND_UPLOAD_MAX_BYTES = 10
    world = make_world()

    with pytest.raises(DomainError, match="the limit is"):
        spend_import_create(
            actor=world.user, source=world.source, upload=upload(csv_bytes(rows(1, 1)))
        )


def test_only_finance_and_administrators_import() -> None:
    world = make_world()

    with pytest.raises(PermissionDenied):
        spend_import_create(
            actor=UserFactory(), source=world.source, upload=upload(csv_bytes(rows(1, 1)))
        )


def test_an_archived_source_takes_no_file() -> None:
    world = make_world(archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    with pytest.raises(DomainError) as refused:
        spend_import_create(actor=world.user, source=world.source, upload=upload(b"date\n"))

    assert refused.value.field == "source"


def test_an_upload_is_kept_under_a_generated_name_and_queued_for_the_background_job(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a finance user's upload
    world = make_world()
    content = csv_bytes(rows(1, 2))

    # when it is uploaded, and the transaction commits (the test settings run tasks at once)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = spend_import_create(
            actor=world.user, source=world.source, upload=upload(content, "March.csv")
        )

    # then the file is kept as sent and the job imported it
    assert queued.status == ImportStatus.QUEUED
    assert len(callbacks) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.lines_added, queued.progress) == (ImportStatus.DONE, 2, 100)
    assert queued.filename == "March.csv"
    assert queued.file.name.startswith("spend/imports/")
    assert "March" not in str(queued.file.name)
    with default_storage.open(queued.file.name, "rb") as stored:
        assert stored.read() == content


def test_progress_is_reported_stage_by_stage_and_recorded_on_the_import() -> None:
    world = make_world()
    seen: list[tuple[int, str]] = []

    batch = spend_import_create(
        actor=world.user,
        source=world.source,
        upload=upload(csv_bytes(rows(1, 3))),
        run_now=True,
        progress=lambda percent, stage: seen.append((percent, stage)),
    )

    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents)
    stages = [stage for _, stage in seen]
    assert "Reading the file" in stages
    assert "Matching vendors" in stages
    assert "Writing 3 lines" in stages
    assert (batch.progress, batch.stage, batch.rows_read) == (100, "Imported", 3)


# --- retry --------------------------------------------------------------------------------------


def test_a_refused_import_is_queued_again_and_a_done_one_is_not(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = make_world()
    refused = run_import(
        world, csv_bytes([("2026-01-01", "1", "GBP", "Acme Industrial", "A", 1, "")])
    )
    assert where(refused) == {(2, "currency")}
    ExchangeRate.objects.create(currency="GBP", rate_date=dt.date(2025, 12, 31), rate="1.2")

    with django_capture_on_commit_callbacks(execute=True):
        queued = spend_import_retry(actor=world.user, batch=refused)

    assert queued.status == ImportStatus.QUEUED
    refused.refresh_from_db()
    assert (refused.status, refused.errors, refused.lines_added) == (ImportStatus.DONE, [], 1)
    with pytest.raises(TransitionError):
        spend_import_retry(actor=world.user, batch=refused)


def test_someone_else_may_not_retry_an_import() -> None:
    world = make_world()
    refused = run_import(world, b"date\n")

    with pytest.raises(PermissionDenied):
        spend_import_retry(actor=UserFactory(), batch=refused)
