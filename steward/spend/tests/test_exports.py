"""Every spend page exports CSV and Excel with its own filters and the user's scope; a name that
a spreadsheet would run as a formula is exported inert."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.spend.tests.test_views_analytics import INJECTED, YEAR, World, spend_world

pytestmark = pytest.mark.django_db

EXPORTS = (
    ("spend:overview", ""),
    ("spend:pareto", ""),
    ("spend:pareto", "by=category"),
    ("spend:concentration", ""),
    ("spend:maverick", ""),
    ("spend:utilization", ""),
    ("spend:price-variance", ""),
    ("spend:cube", "dims=supplier,category,month"),
    ("spend:lines", ""),
)


@pytest.fixture
def world(cast: Cast) -> World:
    return spend_world(cast)


def export(user: Any, name: str, query: str, file_format: str) -> Any:
    extra = f"&{query}" if query else ""
    return web_client(user).get(f"{reverse(name)}?{YEAR}{extra}&format={file_format}")


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response.status_code == 200, response
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def flat(rows: list[list[Any]]) -> str:
    return "\n".join("|".join("" if cell is None else str(cell) for cell in row) for row in rows)


@pytest.mark.parametrize(("name", "query"), EXPORTS)
def test_finance_exports_every_page_as_csv_and_excel(world: World, name: str, query: str) -> None:
    as_csv = csv_rows(export(world.finance, name, query, "csv"))
    as_xlsx = xlsx_rows(export(world.finance, name, query, "xlsx"))
    # the same header and rows either way
    assert len(as_csv) >= 2
    assert as_csv[0] == [str(cell) for cell in as_xlsx[0]]
    assert len(as_csv) == len(as_xlsx)


def test_the_vendor_pareto_exports_every_vendor_with_class(world: World) -> None:
    rows = csv_rows(export(world.finance, "spend:pareto", "", "csv"))
    assert rows[0] == ["Vendor", "Amount (EUR)", "Share %", "Cumulative %", "Class"]
    body = {row[0]: row[1:] for row in rows[1:]}
    assert body["Borealis Logistics"] == ["98765.43", "88.85", "88.85", "A"]
    assert body["Aurora Metals"][0] == "12345.67"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("name", "query"), EXPORTS)
def test_a_vendor_manager_exports_only_their_vendors(
    cast: Cast, world: World, name: str, query: str, file_format: str
) -> None:
    response = export(cast.owner, name, query, file_format)
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    text = flat(rows)
    assert "Borealis" not in text
    assert "98765.43" not in text
    assert "HYPERLINK" not in text


def test_a_vendor_manager_exports_their_own_lines(cast: Cast, world: World) -> None:
    text = flat(csv_rows(export(cast.owner, "spend:lines", "", "csv")))
    assert "INV-A-1" in text
    assert "INV-A-2" in text
    assert "INV-B-1" not in text


@pytest.mark.parametrize(
    ("name", "query"),
    [("spend:pareto", ""), ("spend:cube", "dims=supplier"), ("spend:lines", "")],
)
def test_a_formula_in_a_name_is_exported_inert(world: World, name: str, query: str) -> None:
    text = flat(csv_rows(export(world.finance, name, query, "csv")))
    assert "'" + INJECTED in text
    for row in csv_rows(export(world.finance, name, query, "csv")):
        assert not any(cell.startswith("=") for cell in row)
    for row in xlsx_rows(export(world.finance, name, query, "xlsx")):
        assert not any(isinstance(cell, str) and cell.startswith("=") for cell in row)
    assert "'" + INJECTED in flat(xlsx_rows(export(world.finance, name, query, "xlsx")))


def test_an_export_keeps_the_filters(world: World) -> None:
    category = f"category={world.office.pk}"
    text = flat(csv_rows(export(world.finance, "spend:lines", category, "csv")))
    assert "INV-A-2" in text
    assert "INV-A-1" not in text
    assert "INV-B-1" not in text


def test_exports_are_refused_to_portal_users(cast: Cast, world: World) -> None:
    for name, query in EXPORTS:
        assert export(cast.portal_a, name, query, "csv").status_code == 403


def test_cost_center_export_for_finance(world: World) -> None:
    rows = csv_rows(export(world.finance, "spend:cost-centers", "by=category", "csv"))
    assert rows[0][:2] == ["Cost center", "Category"]
    assert ["CC-OPS Operations", "Cloud hosting", "98765.43"] in [row[:3] for row in rows]
