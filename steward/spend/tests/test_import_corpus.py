"""Every bad file of the corpus is refused with a problem naming its row and field, and writes
nothing (see corpus/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.spend.choices import ImportStatus
from steward.spend.tests.test_import_helpers import make_world, nothing_written, run_import, where

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).with_name("corpus")

# file -> (row, field) of the problem it must report, and a word the message must hold.
EXPECTED = {
    "wrong_encoding.csv": (3, "file", "UTF-8"),
    "missing_column.csv": (1, "amount", "no amount column"),
    "extra_column.csv": (1, "colour", "not one Steward reads"),
    "bad_date.csv": (3, "date", "is not a date"),
    "bad_number.csv": (3, "amount", "is not a number"),
    "negative_amount.csv": (3, "amount", "more than zero"),
    "huge_amount.csv": (3, "amount", "too large"),
    "unknown_currency.csv": (3, "currency", "not an ISO 4217 currency"),
    "duplicate_lines.csv": (4, "reference", "repeats row 2"),
    "formula_cell.csv": (3, "description", "formula"),
    "formula_cell.xlsx": (3, "amount", "formula"),
    "empty_file.csv": (None, "file", "empty"),
    "zero_bytes.csv": (None, "file", "0 bytes"),
    "header_only.csv": (None, "file", "no rows"),
    "truncated.xlsx": (None, "file", "damaged or truncated"),
}


def test_the_corpus_holds_exactly_the_files_checked() -> None:
    files = {path.name for path in CORPUS.iterdir() if path.suffix in {".csv", ".xlsx"}}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_file_is_refused_naming_row_and_field_and_writes_nothing(name: str) -> None:
    # given a vendor the good rows name
    world = make_world()
    row, field, words = EXPECTED[name]

    # when the file is imported
    batch = run_import(world, (CORPUS / name).read_bytes(), name=name)

    # then it is refused with that row and field named, and nothing is in the ledger
    assert batch.status == ImportStatus.REFUSED
    assert where(batch) == {(row, field)}, batch.errors
    assert words in batch.errors[0]["message"]
    assert batch.lines_added == 0
    assert nothing_written()
