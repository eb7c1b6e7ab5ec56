"""The permission matrix for spend, savings and total cost of ownership (issue 6).

The same rules as tests/test_permission_matrix.py, whose cast, clients and outcome helpers this
module reuses: expectations are written out by hand from the policy's rules (access.py and the
models' access specs), every role acts on the same starting state (its writes are rolled back),
an allowed role gets the row, the figure or the change, a denied role gets none of them and the
database is untouched.

The cast has no finance person: this module adds ``finance``, an inside user whose profile
function is finance and who holds no job role, and walks ``ROLES + ("finance",)``.

The rules, as the policy states them:

- finance reads, creates and changes every row of the spend models, as administrators do;
  auditors read everything and change nothing;
- spend reference data (sources, category rules, cost centers, exchange rates, vendor matches)
  is read by every inside user and changed by administrators and finance;
- a contract's prices follow the contract (its readers read them, whoever may change it prices
  it), and finance keeps every price;
- an import is read by who ran it (and, as every owned record, by their managers), finance,
  administrators and auditors; only administrators and finance start one; who may change it
  runs it again;
- spend lines and their aggregates follow the vendor: whoever may see vendor A sees A's spend
  (its lines, and its figures on every analytics page and endpoint); spend by cost center cuts
  across vendors, so only those who see all spend (finance, administrators, auditors) see it;
- a savings initiative reaches its owner and the owner's managers, whoever may see its vendor,
  finance, administrators and auditors; it is changed by its owner, whoever may change its
  vendor, finance and administrators; every inside user who may write starts one;
- a TCO comparison reaches its owner and the owner's managers, finance, administrators and
  auditors, and is changed by its owner, finance and administrators; its options follow it;
- portal users see no spend and no savings at all, whatever id they guess.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from steward.contracts.models import Contract
from steward.parties.tests.cast import ROLES, Cast
from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.savings.services import initiatives as initiative_services
from steward.savings.services import tco as tco_services
from steward.spend.choices import ImportStatus
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendCostCenterCell,
    SpendImport,
    SpendLine,
    SpendSegment,
    SpendSource,
    VendorAlias,
)
from steward.spend.money import month_add, month_of, month_start
from steward.spend.services import reference as reference_services
from steward.spend.tests.factories import (
    CostCenterFactory,
    Line,
    SpendImportFactory,
    made,
    store,
)
from steward.suppliers.models import Category, Supplier
from steward.suppliers.tests.factories import SupplierFactory
from tests.test_permission_matrix import (
    ADMINS,
    INTERNAL,
    REL_A_EDITORS,
    REL_A_READERS,
    WRITERS,
    Outcome,
    _api_rows,
    _changed,
    _client,
    _contract,
    _vendor,
)

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "finance")
FINANCE = frozenset({"finance"})
INSIDE = INTERNAL | FINANCE  # every inside user, finance included
KEEPERS = ADMINS | FINANCE  # who changes spend reference data and starts imports
SEES_ALL_SPEND = frozenset({"admin", "auditor", "finance"})
A_SPEND_READERS = REL_A_READERS | FINANCE  # whoever may see vendor A, and finance
# ``owner`` owns the TCO comparison and the savings initiative; ``manager`` and ``director``
# read what ``owner`` owns.
OWNER_READERS = frozenset({"admin", "auditor", "finance", "owner", "manager", "director"})
OWNER_KEEPERS = frozenset({"admin", "owner", "finance"})

# (model, action) -> roles allowed, for vendor A's records and the shared reference data.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # Reference data: every inside user reads it, administrators and finance keep it.
    ("spend_source", "list"): INSIDE,
    ("spend_source", "detail"): INSIDE,
    ("spend_source", "create"): KEEPERS,
    ("spend_source", "update"): KEEPERS,
    ("spend_source", "delete"): KEEPERS,
    ("category_rule", "list"): INSIDE,
    ("category_rule", "detail"): INSIDE,
    ("category_rule", "create"): KEEPERS,
    ("category_rule", "update"): KEEPERS,
    ("category_rule", "delete"): KEEPERS,
    ("cost_center", "list"): INSIDE,
    ("cost_center", "detail"): INSIDE,
    ("cost_center", "create"): KEEPERS,
    ("cost_center", "update"): KEEPERS,
    ("cost_center", "delete"): KEEPERS,
    ("exchange_rate", "list"): INSIDE,
    ("exchange_rate", "detail"): INSIDE,
    ("exchange_rate", "create"): KEEPERS,
    ("exchange_rate", "update"): KEEPERS,
    ("exchange_rate", "delete"): KEEPERS,
    # A file of rates is creating rates, all or none.
    ("exchange_rate_file", "create"): KEEPERS,
    # Confirming that a name is a vendor creates the match; forgetting it archives it.
    ("vendor_alias", "list"): INSIDE,
    ("vendor_alias", "detail"): INSIDE,
    ("vendor_alias", "create"): KEEPERS,
    ("vendor_alias", "delete"): KEEPERS,
    # A contract's prices follow the contract; finance keeps every price.
    ("contract_price", "list"): A_SPEND_READERS,
    ("contract_price", "detail"): A_SPEND_READERS,
    ("contract_price", "create"): REL_A_EDITORS | FINANCE,
    ("contract_price", "update"): REL_A_EDITORS | FINANCE,
    ("contract_price", "delete"): REL_A_EDITORS | FINANCE,
    # An import finance ran: finance, administrators and auditors read it; only administrators
    # and finance start one or run a refused one again.
    ("spend_import", "list"): SEES_ALL_SPEND,
    ("spend_import", "detail"): SEES_ALL_SPEND,
    ("spend_import", "create"): KEEPERS,
    ("spend_import", "update"): KEEPERS,
    # An import ``owner`` ran (when their function was finance): it stays theirs to read and run
    # again, and their managers read it, as every record ``owner`` owns.
    ("own_import", "list"): SEES_ALL_SPEND | {"owner", "manager", "director"},
    ("own_import", "detail"): SEES_ALL_SPEND | {"owner", "manager", "director"},
    ("own_import", "update"): KEEPERS | {"owner"},
    # Vendor A's spend: its lines, its figures on the analytics pages and endpoints (list), and
    # the same asked for by A's id (detail: guessing the id reveals nothing).
    ("spend_line", "list"): A_SPEND_READERS,
    ("spend_line", "detail"): A_SPEND_READERS,
    ("spend_segment", "list"): A_SPEND_READERS,
    ("spend_segment", "detail"): A_SPEND_READERS,
    # Spend by cost center: only those who see all spend (asked for by the cost center's id too).
    ("cost_center_cell", "list"): SEES_ALL_SPEND,
    ("cost_center_cell", "detail"): SEES_ALL_SPEND,
    # A lever the ledger suggests from A's spend (A's spend without a contract, last month):
    # whoever sees A's spend sees it, and takes it up if they may write at all.
    ("spend_lever", "list"): A_SPEND_READERS,
    ("spend_lever", "detail"): A_SPEND_READERS,
    ("spend_lever", "create"): A_SPEND_READERS - {"auditor"},
    # Savings: ``owner``'s initiative on vendor A.
    ("savings_initiative", "list"): A_SPEND_READERS,
    ("savings_initiative", "detail"): A_SPEND_READERS,
    ("savings_initiative", "create"): WRITERS | FINANCE,
    ("savings_initiative", "update"): REL_A_EDITORS | FINANCE,
    ("savings_initiative", "delete"): REL_A_EDITORS | FINANCE,
    # ``owner``'s TCO comparison, and its options.
    ("tco_comparison", "list"): OWNER_READERS,
    ("tco_comparison", "detail"): OWNER_READERS,
    ("tco_comparison", "create"): WRITERS | FINANCE,
    ("tco_comparison", "update"): OWNER_KEEPERS,
    ("tco_comparison", "delete"): OWNER_KEEPERS,
    ("tco_option", "list"): OWNER_READERS,
    ("tco_option", "detail"): OWNER_READERS,
    ("tco_option", "create"): OWNER_KEEPERS,
    ("tco_option", "update"): OWNER_KEEPERS,
    ("tco_option", "delete"): OWNER_KEEPERS,
}

# The year of the matrix's spend; analytics pages and endpoints are asked for it.
YEAR = 2025
PERIOD = f"year={YEAR}"
# What each reader's pages show of vendor A's spend (amounts small enough to print ungrouped):
# A's total (a line on a contract and one without), A's spend without a contract, the cost
# center's spend (A's line without a contract), A's document numbers.
A_TOTAL = "777.87"
A_MAVERICK = "321.09"
COST_CENTER_TOTAL = "321.09"
A_DOCUMENT = "MTX-A-1"
A_COST_CENTER_DOCUMENT = "MTX-A-2"
B_TOTAL = "234.56"
# Last month, A was paid this much without a contract: enough for an off-contract lever.
A_OFF_CONTRACT = Decimal("12345.67")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, not the data directory."""
    settings.MEDIA_ROOT = tmp_path


# --- the world: vendor A's spend, the reference data, imports and savings ------------------------


@dataclass
class World:
    cast: Cast
    finance: Any
    vendor_a: Supplier
    vendor_b: Supplier
    vendor_c: Supplier
    category: Category
    contract: Contract
    cost_center: CostCenter
    source: SpendSource
    rule: CategoryRule
    rate: ExchangeRate
    alias: VendorAlias
    price: ContractPrice
    batch: SpendImport
    own_batch: SpendImport
    lever_key: str
    line: SpendLine
    segment: SpendSegment
    cell: SpendCostCenterCell
    initiative: SavingsInitiative
    comparison: TcoComparison
    option: TcoOption

    def user(self, role: str) -> Any:
        return self.finance if role == "finance" else self.cast.user(role)


def _refused_import(source: SpendSource, by: Any, filename: str) -> SpendImport:
    return made(
        SpendImportFactory(
            source=source,
            created_by=by,
            filename=filename,
            status=ImportStatus.REFUSED,
            stage="Refused",
            progress=100,
            errors=[{"row": 3, "field": "amount", "message": "“ten” is not an amount."}],
        )
    )


def build_world(cast: Cast) -> World:
    """Vendor A (``owner``'s) with two lines in 2025, one on its contract and one without a
    contract on a cost center, and a large one without a contract last month (an off-contract
    lever); vendor B (``outsider``'s) with one line in 2025; the reference data,
    kept by finance; a refused import each of finance and of ``owner``; ``owner``'s savings
    initiative on A and TCO comparison of vendor C (``owner``'s too)."""
    finance = UserFactory(username="finance", profile__function=Function.FINANCE)
    vendor_a = _vendor(cast)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    vendor_c = SupplierFactory(
        relationship=RelationshipFactory(
            organization=OrganizationFactory(
                legal_name="Matrix Castings Oy", display_name="Matrix Castings", owner=cast.owner
            ),
            owner=cast.owner,
        )
    )
    category = Category.objects.get_or_create(code="matrix-metals", defaults={"name": "Metals"})[0]
    contract = _contract(cast)
    cost_center = CostCenterFactory(code="MTX-CC", name="Matrix operations")
    source = reference_services.spend_source_create(actor=finance, name="Matrix ERP")
    done = SpendImportFactory(
        source=source, created_by=finance, filename="matrix-2025.csv", status=ImportStatus.DONE
    )
    store(
        [
            Line(
                vendor_a,
                dt.date(YEAR, 3, 10),
                Decimal("456.78"),
                category=category,
                contract=contract,
                document=A_DOCUMENT,
            ),
            Line(
                vendor_a,
                dt.date(YEAR, 4, 12),
                Decimal(A_MAVERICK),
                category=category,
                cost_center=cost_center,
                document=A_COST_CENTER_DOCUMENT,
            ),
            Line(
                vendor_b,
                dt.date(YEAR, 4, 15),
                Decimal(B_TOTAL),
                category=category,
                document="MTX-B-1",
            ),
            Line(
                vendor_a,
                month_start(month_add(month_of(timezone.localdate()), -1)),
                A_OFF_CONTRACT,
                category=category,
                document="MTX-A-3",
            ),
        ],
        batch=done,
    )
    comparison = tco_services.tco_comparison_create(
        actor=cast.owner, title="Matrix castings TCO", annual_quantity=Decimal(1000)
    )
    return World(
        cast=cast,
        finance=finance,
        vendor_a=vendor_a,
        vendor_b=vendor_b,
        vendor_c=vendor_c,
        category=category,
        contract=contract,
        cost_center=cost_center,
        source=source,
        rule=reference_services.category_rule_create(
            actor=finance, field="gl_account", pattern="MTX-6200", category=category
        ),
        rate=reference_services.exchange_rate_create(
            actor=finance, currency="USD", rate_date=dt.date(YEAR, 1, 1), rate=Decimal("0.9123")
        ),
        alias=reference_services.vendor_alias_confirm(
            actor=finance, raw_name="Aurora Metals Handels GmbH", supplier=vendor_a
        ),
        price=reference_services.contract_price_create(
            actor=finance, contract=contract, item="MTX-ITEM", unit_price=Decimal("12.5000")
        ),
        batch=_refused_import(source, finance, "matrix-refused.csv"),
        own_batch=_refused_import(source, cast.owner, "matrix-owner-refused.csv"),
        lever_key=f"off_contract-supplier-{vendor_a.pk}",
        line=SpendLine.objects.get(document=A_DOCUMENT),
        segment=SpendSegment.objects.get(supplier_id=vendor_a.pk, month=YEAR * 100 + 3),
        cell=SpendCostCenterCell.objects.get(cost_center_id=cost_center.pk),
        initiative=initiative_services.savings_initiative_create(
            actor=cast.owner,
            title="Matrix castings renegotiation",
            kind="negotiation",
            supplier=vendor_a,
            baseline_annual_spend=Decimal(900),
        ),
        comparison=comparison,
        option=tco_services.tco_option_add(
            actor=cast.owner,
            comparison=comparison,
            supplier=vendor_c,
            unit_price=Decimal("11.5000"),
        ),
    )


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


TARGETS: dict[str, Callable[[World], Any]] = {
    "spend_source": lambda w: w.source,
    "category_rule": lambda w: w.rule,
    "cost_center": lambda w: w.cost_center,
    "exchange_rate": lambda w: w.rate,
    "exchange_rate_file": lambda w: w.rate,
    "vendor_alias": lambda w: w.alias,
    "contract_price": lambda w: w.price,
    "spend_import": lambda w: w.batch,
    "own_import": lambda w: w.own_batch,
    "spend_line": lambda w: w.line,
    "spend_segment": lambda w: w.segment,
    "cost_center_cell": lambda w: w.cell,
    "savings_initiative": lambda w: w.initiative,
    "tco_comparison": lambda w: w.comparison,
    "tco_option": lambda w: w.option,
    "spend_lever": lambda w: w.vendor_a,
}


def _target(world: World, model: str) -> Any:
    """A fresh copy of the record each time: an earlier role's rolled-back write leaves none."""
    record = TARGETS[model](world)
    assert record is not None, f"no {model} to check"
    return type(record).objects.get(pk=record.pk)


# --- reading: lists, details, figures ----------------------------------------------------------

MIXED = "mixed"  # an outcome that disagrees with itself across pages is a mismatch for anyone


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(response: Any) -> str:
    """What a page, an endpoint or an export (CSV, or a workbook's cells) says."""
    body = b"".join(response) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = (cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
        return "\n".join(str(cell.value) for cell in cells if cell.value is not None)
    return body.decode(errors="replace")


def _shown(response: Any, marker: str) -> bool:
    """Did a page or an endpoint answer with ``marker``? It refuses with 400, 403 or 404."""
    text = _text(response)
    assert response.status_code in (200, 400, 403, 404), (response.status_code, text[:300])
    return response.status_code == 200 and marker in text


def _all_or_none(client: Any, requests: list[tuple[str, str]]) -> Outcome:
    """Each (url, marker) shown, or none: a figure shown on one page and hidden on another is
    reported as a mismatch whatever the role may do."""
    seen = {url: _shown(client.get(url), marker) for url, marker in requests}
    if all(seen.values()):
        return Outcome(allowed=True, detail="200")
    if not any(seen.values()):
        return Outcome(allowed=False, detail="hidden")
    shown = ", ".join(url for url, ok in seen.items() if ok)
    hidden = ", ".join(url for url, ok in seen.items() if not ok)
    return Outcome(allowed=False, detail=f"{MIXED}: shown on {shown}, hidden on {hidden}")


def _spend_lines(w: World, **filters: Any) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return f"/spend/lines/?{PERIOD}" + (f"&{query}" if query else "")


# model -> [(web page, what it shows of the record)]
UI_LIST: dict[str, Callable[[World, Any], list[tuple[str, str]]]] = {
    "spend_source": lambda w, t: [("/spend/sources/", f"/spend/sources/{t.pk}/")],
    "category_rule": lambda w, t: [("/spend/rules/", t.pattern)],
    "cost_center": lambda w, t: [("/spend/cost-center-codes/", f"<code>{t.code}</code>")],
    "exchange_rate": lambda w, t: [("/spend/rates/", "0.9123")],
    "vendor_alias": lambda w, t: [("/spend/vendor-matches/", t.raw_name)],
    "contract_price": lambda w, t: [(f"/spend/contracts/{t.contract_id}/prices/", t.item)],
    "spend_import": lambda w, t: [("/spend/imports/", f"/spend/imports/{t.pk}/")],
    "own_import": lambda w, t: [("/spend/imports/", f"/spend/imports/{t.pk}/")],
    "spend_line": lambda w, t: [
        (_spend_lines(w), A_DOCUMENT),
        (_spend_lines(w, format="csv"), A_DOCUMENT),
        (_spend_lines(w, format="xlsx"), A_DOCUMENT),
    ],
    # A's total on the overview, Pareto and cube pages and their exports; its spend without a
    # contract on the maverick page.
    "spend_segment": lambda w, t: [
        (f"/spend/?{PERIOD}", A_TOTAL),
        (f"/spend/pareto/?{PERIOD}", A_TOTAL),
        (f"/spend/pareto/?{PERIOD}&format=csv", A_TOTAL),
        (f"/spend/cube/?{PERIOD}", A_TOTAL),
        (f"/spend/cube/?{PERIOD}&format=csv", A_TOTAL),
        (f"/spend/maverick/?{PERIOD}", A_MAVERICK),
        (f"/spend/maverick/?{PERIOD}&format=csv", A_MAVERICK),
    ],
    "cost_center_cell": lambda w, t: [
        (f"/spend/cost-centers/?{PERIOD}", COST_CENTER_TOTAL),
        (f"/spend/cost-centers/?{PERIOD}&format=csv", COST_CENTER_TOTAL),
    ],
    "spend_lever": lambda w, t: [("/savings/levers/", f'id="lever-{w.lever_key}"')],
    "savings_initiative": lambda w, t: [("/savings/", f"/savings/{t.pk}/")],
    "tco_comparison": lambda w, t: [("/savings/tco/", f"/savings/tco/{t.pk}/")],
    "tco_option": lambda w, t: [(f"/savings/tco/{t.comparison_id}/", f'id="option-{t.pk}"')],
}
# model -> the record's own page, or the figures asked for by the record's ids (guessing them)
UI_DETAIL: dict[str, Callable[[World, Any], str]] = {
    "spend_source": lambda w, t: f"/spend/sources/{t.pk}/",
    "savings_initiative": lambda w, t: f"/savings/{t.pk}/",
    "tco_comparison": lambda w, t: f"/savings/tco/{t.pk}/",
}


def _import_pages(w: World, t: SpendImport) -> list[tuple[str, str]]:
    """An import's page, and the fragment its progress indicator polls."""
    return [
        (f"/spend/imports/{t.pk}/", t.filename),
        (f"/spend/imports/{t.pk}/progress/", f'data-status="{t.status}"'),
    ]


UI_BY_ID: dict[str, Callable[[World, Any], list[tuple[str, str]]]] = {
    "spend_import": _import_pages,
    "own_import": _import_pages,
    "spend_line": lambda w, t: [(_spend_lines(w, supplier=t.supplier_id), A_DOCUMENT)],
    "spend_segment": lambda w, t: [
        (f"/spend/cube/?{PERIOD}&supplier={t.supplier_id}", A_TOTAL),
        (f"/spend/pareto/?{PERIOD}&supplier={t.supplier_id}", A_TOTAL),
    ],
    "cost_center_cell": lambda w, t: [
        (_spend_lines(w, cost_center=t.cost_center_id), A_COST_CENTER_DOCUMENT)
    ],
}
API_BASE = {
    "spend_source": "spend-sources",
    "category_rule": "category-rules",
    "cost_center": "cost-centers",
    "exchange_rate": "exchange-rates",
    "vendor_alias": "vendor-aliases",
    "contract_price": "contract-prices",
    "spend_import": "spend-imports",
    "own_import": "spend-imports",
    "savings_initiative": "savings-initiatives",
    "tco_comparison": "tco-comparisons",
    "tco_option": "tco-options",
}
# Figures of the analytics API, asked for the period (list) and by the record's ids (detail).
API_FIGURES: dict[str, Callable[[World, Any], list[tuple[str, str]]]] = {
    "spend_line": lambda w, t: [(f"/api/v1/spend-lines/?{PERIOD}", A_DOCUMENT)],
    "spend_segment": lambda w, t: [
        (f"/api/v1/spend/pareto/?{PERIOD}", A_TOTAL),
        (f"/api/v1/spend/cube/?{PERIOD}&dims=supplier", A_TOTAL),
        (f"/api/v1/spend/maverick/?{PERIOD}", A_MAVERICK),
    ],
    "cost_center_cell": lambda w, t: [
        (f"/api/v1/spend/cube/?{PERIOD}&dims=cost_center", COST_CENTER_TOTAL)
    ],
    "spend_lever": lambda w, t: [("/api/v1/savings-levers/", f'"key":"{w.lever_key}"')],
}
API_FIGURES_BY_ID: dict[str, Callable[[World, Any], list[tuple[str, str]]]] = {
    "spend_line": lambda w, t: [
        (f"/api/v1/spend-lines/?{PERIOD}&supplier={t.supplier_id}", A_DOCUMENT)
    ],
    "spend_segment": lambda w, t: [
        (f"/api/v1/spend/cube/?{PERIOD}&dims=supplier&supplier={t.supplier_id}", A_TOTAL)
    ],
    "cost_center_cell": lambda w, t: [
        (f"/api/v1/spend-lines/?{PERIOD}&cost_center={t.cost_center_id}", A_COST_CENTER_DOCUMENT)
    ],
    "spend_lever": lambda w, t: [(f"/api/v1/savings-levers/{w.lever_key}/", w.lever_key)],
}


def check_list(channel: str, model: str, world: World, role: str) -> Outcome | None:
    target = _target(world, model)
    client = _client(channel, world.user(role))
    if channel == "ui":
        pages = UI_LIST.get(model)
        return _all_or_none(client, pages(world, target)) if pages else None
    if model in API_FIGURES:
        return _all_or_none(client, API_FIGURES[model](world, target))
    if model not in API_BASE:
        return None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    if response.status_code in (403, 404):
        return Outcome(allowed=False, detail=str(response.status_code))
    return Outcome(allowed=any(row["id"] == target.pk for row in _api_rows(response)), detail="200")


def _visible(response: Any) -> Outcome:
    assert response.status_code in (200, 403, 404), (
        response.status_code,
        response.content[:300],
    )
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


def check_detail(channel: str, model: str, world: World, role: str) -> Outcome | None:
    target = _target(world, model)
    client = _client(channel, world.user(role))
    if channel == "ui":
        if model in UI_BY_ID:
            return _all_or_none(client, UI_BY_ID[model](world, target))
        url = UI_DETAIL.get(model)
        return _visible(client.get(url(world, target))) if url else None
    if model in API_FIGURES_BY_ID:
        return _all_or_none(client, API_FIGURES_BY_ID[model](world, target))
    if model not in API_BASE:
        return None
    return _visible(client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/"))


# --- creating -----------------------------------------------------------------------------------


def _created(response: Any, ui: bool, made: bool, api_code: int = 201) -> Outcome:
    return _changed(response, made, (302,) if ui else (api_code,))


def _post(client: Any, ui: bool, ui_path: str, api_path: str, data: dict[str, Any]) -> Any:
    if ui:
        return client.post(ui_path, data)
    return client.post(f"/api/v1/{api_path}", data, format="json")


def _create_source(client: Any, w: World, ui: bool) -> Outcome:
    data = {"name": "Matrix card feed", "kind": "card"}
    response = _post(client, ui, "/spend/sources/new/", "spend-sources/", data)
    return _created(response, ui, SpendSource.objects.filter(name=data["name"]).exists())


def _create_rule(client: Any, w: World, ui: bool) -> Outcome:
    data = {
        "field": "description",
        "match": "contains",
        "pattern": "matrix cloud",
        "category": w.category.pk,
        "priority": 50,
    }
    response = _post(client, ui, "/spend/rules/new/", "category-rules/", data)
    return _created(response, ui, CategoryRule.objects.filter(pattern="matrix cloud").exists())


def _create_cost_center(client: Any, w: World, ui: bool) -> Outcome:
    data = {"code": "MTX-NEW", "name": "Matrix logistics"}
    response = _post(client, ui, "/spend/cost-center-codes/new/", "cost-centers/", data)
    return _created(response, ui, CostCenter.objects.filter(code="MTX-NEW").exists())


def _create_rate(client: Any, w: World, ui: bool) -> Outcome:
    data = {"currency": "GBP", "rate_date": f"{YEAR}-01-01", "rate": "1.1500"}
    response = _post(client, ui, "/spend/rates/new/", "exchange-rates/", data)
    return _created(response, ui, ExchangeRate.objects.filter(currency="GBP").exists())


def _create_rate_file(client: Any, w: World, ui: bool) -> Outcome:
    upload = SimpleUploadedFile(
        "rates.csv", f"currency,date,rate\nCHF,{YEAR}-01-01,1.0500\n".encode(), "text/csv"
    )
    if ui:
        response = client.post("/spend/rates/import/", {"file": upload})
    else:
        response = client.post(
            "/api/v1/exchange-rates/import/", {"file": upload}, format="multipart"
        )
    made = ExchangeRate.objects.filter(currency="CHF").exists()
    return _created(response, ui, made, api_code=200)


def _create_alias(client: Any, w: World, ui: bool) -> Outcome:
    data = {"raw_name": "AURORA METALS (DE)", "supplier": w.vendor_a.pk}
    response = _post(
        client, ui, "/spend/vendor-matches/confirm/", "vendor-aliases/", {**data, "next": ""}
    )
    return _created(response, ui, VendorAlias.objects.filter(raw_name=data["raw_name"]).exists())


def _create_price(client: Any, w: World, ui: bool) -> Outcome:
    data: dict[str, Any] = {"item": "MTX-NEW", "unit_price": "9.9000", "currency": "EUR"}
    if ui:
        response = client.post(f"/spend/contracts/{w.contract.pk}/prices/", data)
    else:
        response = client.post(
            "/api/v1/contract-prices/", {**data, "contract": w.contract.pk}, format="json"
        )
    return _created(response, ui, ContractPrice.objects.filter(item="MTX-NEW").exists())


MATRIX_CSV = b"date,amount,vendor_name\n2025-06-02,10.00,Aurora Metals\n"


def _create_import(client: Any, w: World, ui: bool) -> Outcome:
    upload = SimpleUploadedFile("matrix-new.csv", MATRIX_CSV, "text/csv")
    data = {"source": w.source.pk, "file": upload}
    if ui:
        response = client.post("/spend/imports/new/", data)
    else:
        response = client.post("/api/v1/spend-imports/", data, format="multipart")
    made = SpendImport.objects.filter(filename="matrix-new.csv").exists()
    return _created(response, ui, made, api_code=202)


def _create_initiative(client: Any, w: World, ui: bool) -> Outcome:
    data = {"title": "Matrix new initiative", "kind": "other"}
    if ui:
        data["baseline_method"] = "annual_spend"
    response = _post(client, ui, "/savings/new/", "savings-initiatives/", data)
    made = SavingsInitiative.objects.filter(title=data["title"]).exists()
    return _created(response, ui, made)


def _create_comparison(client: Any, w: World, ui: bool) -> Outcome:
    data = {"title": "Matrix new TCO", "annual_quantity": "500", "horizon_years": 2}
    response = _post(client, ui, "/savings/tco/new/", "tco-comparisons/", data)
    return _created(response, ui, TcoComparison.objects.filter(title=data["title"]).exists())


def _create_option(client: Any, w: World, ui: bool) -> Outcome:
    data: dict[str, Any] = {"supplier": w.vendor_a.pk, "unit_price": "10.2500"}
    if ui:
        response = client.post(f"/savings/tco/{w.comparison.pk}/options/new/", data)
    else:
        response = client.post(
            "/api/v1/tco-options/", {**data, "comparison": w.comparison.pk}, format="json"
        )
    made = TcoOption.objects.filter(comparison=w.comparison, supplier=w.vendor_a).exists()
    return _created(response, ui, made)


def _take_up_lever(client: Any, w: World, ui: bool) -> Outcome:
    """Taking up the lever makes an initiative. The page answers a lever the user does not see
    as gone ("no such suggestion for the spend you may see"): back to the levers, nothing
    made."""
    made = SavingsInitiative.objects.filter(lever_key=w.lever_key)
    if ui:
        response = client.post("/savings/levers/take-up/", {"key": w.lever_key})
        if not made.exists() and response.status_code == 302:
            assert response["Location"] == "/savings/levers/", response["Location"]
            return Outcome(allowed=False, detail="302 back to the levers")
    else:
        response = client.post(
            "/api/v1/savings-initiatives/from-lever/", {"lever": w.lever_key}, format="json"
        )
    return _created(response, ui, made.exists())


CREATORS: dict[str, Callable[[Any, World, bool], Outcome | None]] = {
    "spend_source": _create_source,
    "category_rule": _create_rule,
    "cost_center": _create_cost_center,
    "exchange_rate": _create_rate,
    "exchange_rate_file": _create_rate_file,
    "vendor_alias": _create_alias,
    "contract_price": _create_price,
    "spend_import": _create_import,
    "savings_initiative": _create_initiative,
    "tco_comparison": _create_comparison,
    "tco_option": _create_option,
    "spend_lever": _take_up_lever,
}


def check_create(channel: str, model: str, world: World, role: str) -> Outcome | None:
    creator = CREATORS.get(model)
    if creator is None:
        return None
    return creator(_client(channel, world.user(role)), world, channel == "ui")


# --- changing and archiving ---------------------------------------------------------------------


def _source_form(t: SpendSource) -> dict[str, Any]:
    return {
        "name": t.name,
        "kind": t.kind,
        "date_format": t.date_format,
        "default_currency": "USD",
    }


def _rule_form(t: CategoryRule) -> dict[str, Any]:
    return {
        "field": t.field,
        "match": t.match,
        "pattern": t.pattern,
        "supplier": "",
        "category": t.category_id,
        "priority": 7,
    }


def _price_form(t: ContractPrice) -> dict[str, Any]:
    return {
        "contract": t.contract_id,
        "item": t.item,
        "description": t.description,
        "unit": t.unit,
        "unit_price": "11.0000",
        "currency": t.currency,
    }


def _initiative_form(t: SavingsInitiative) -> dict[str, Any]:
    return {
        "title": "Matrix renamed initiative",
        "kind": t.kind,
        "supplier": t.supplier_id,
        "baseline_method": t.baseline_method,
        "baseline_annual_spend": t.baseline_annual_spend,
    }


# model -> (web form URL or "" when there is none, form data, field, new value)
FORMS: dict[str, Callable[[Any], tuple[str, dict[str, Any], str, Any]]] = {
    "spend_source": lambda t: (
        f"/spend/sources/{t.pk}/edit/",
        _source_form(t),
        "default_currency",
        "USD",
    ),
    "category_rule": lambda t: (f"/spend/rules/{t.pk}/edit/", _rule_form(t), "priority", 7),
    "cost_center": lambda t: (
        f"/spend/cost-center-codes/{t.pk}/edit/",
        {"name": "Matrix renamed"},
        "name",
        "Matrix renamed",
    ),
    "exchange_rate": lambda t: (
        f"/spend/rates/{t.pk}/edit/",
        {"currency": t.currency, "rate_date": t.rate_date.isoformat(), "rate": "0.9500"},
        "rate",
        Decimal("0.9500"),
    ),
    "contract_price": lambda t: (
        f"/spend/prices/{t.pk}/edit/",
        _price_form(t),
        "unit_price",
        Decimal("11.0000"),
    ),
    "savings_initiative": lambda t: (
        f"/savings/{t.pk}/edit/",
        _initiative_form(t),
        "title",
        "Matrix renamed initiative",
    ),
    "tco_comparison": lambda t: (
        f"/savings/tco/{t.pk}/edit/",
        {
            "title": "Matrix renamed TCO",
            "annual_quantity": t.annual_quantity,
            "horizon_years": t.horizon_years,
        },
        "title",
        "Matrix renamed TCO",
    ),
    "tco_option": lambda t: (
        f"/savings/tco/options/{t.pk}/edit/",
        {"unit_price": "10.7500"},
        "unit_price",
        Decimal("10.7500"),
    ),
}


def _api_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _retry(client: Any, target: SpendImport, ui: bool) -> Outcome:
    page, endpoint = f"/spend/imports/{target.pk}/retry/", f"spend-imports/{target.pk}/retry/"
    response = client.post(page if ui else f"/api/v1/{endpoint}")
    target.refresh_from_db()
    return _changed(response, target.status == ImportStatus.QUEUED, (302,) if ui else (202,))


ACTIONS: dict[str, Callable[[Any, Any, bool], Outcome]] = {
    "spend_import": _retry,
    "own_import": _retry,
}


def check_update(channel: str, model: str, world: World, role: str) -> Outcome | None:
    if model not in FORMS and model not in ACTIONS:
        return None
    client = _client(channel, world.user(role))
    target = _target(world, model)
    ui = channel == "ui"
    if model in ACTIONS:
        return ACTIONS[model](client, target, ui)
    url, data, field, value = FORMS[model](target)
    if ui:
        response = client.post(url, {**data, "version": target.version})
    else:
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field: _api_value(value), "version": target.version},
            format="json",
        )
    target.refresh_from_db()
    return _changed(response, getattr(target, field) == value, (302,) if ui else (200,))


UI_ARCHIVE: dict[str, Callable[[Any], str]] = {
    "spend_source": lambda t: f"/spend/sources/{t.pk}/archive/",
    "category_rule": lambda t: f"/spend/rules/{t.pk}/archive/",
    "cost_center": lambda t: f"/spend/cost-center-codes/{t.pk}/archive/",
    "exchange_rate": lambda t: f"/spend/rates/{t.pk}/archive/",
    "vendor_alias": lambda t: f"/spend/vendor-matches/{t.pk}/archive/",
    "contract_price": lambda t: f"/spend/prices/{t.pk}/archive/",
    "savings_initiative": lambda t: f"/savings/{t.pk}/archive/",
    "tco_comparison": lambda t: f"/savings/tco/{t.pk}/archive/",
    "tco_option": lambda t: f"/savings/tco/options/{t.pk}/archive/",
}
# Records the API archives on DELETE.
API_ARCHIVES = frozenset(UI_ARCHIVE)


def check_delete(channel: str, model: str, world: World, role: str) -> Outcome | None:
    ui = channel == "ui"
    if (ui and model not in UI_ARCHIVE) or (not ui and model not in API_ARCHIVES):
        return None
    client = _client(channel, world.user(role))
    target = _target(world, model)
    if ui:
        response = client.post(UI_ARCHIVE[model](target), {"version": target.version})
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    target.refresh_from_db()
    return _changed(response, target.archived_at is not None, (302,) if ui else (204,))


CHECKS: dict[str, Callable[..., Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(TARGETS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        SpendSource,
        CategoryRule,
        CostCenter,
        ExchangeRate,
        VendorAlias,
        ContractPrice,
        SpendImport,
        SpendLine,
        SpendSegment,
        SpendCostCenterCell,
        SavingsInitiative,
        TcoComparison,
        TcoOption,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_spend_permission_matrix(world: World, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, world, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.detail.startswith(MIXED) or outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    """No expectation is written for a model this module does not reach."""
    assert {model for model, _ in EXPECTED} == set(MODELS)


# --- portal users: nothing at all, whatever they guess --------------------------------------------


def _ui_urls(w: World) -> list[str]:
    """Every spend and savings page, with the ids of A's records filled in."""
    a, cc = w.vendor_a.pk, w.cost_center.pk
    return [
        f"/spend/?{PERIOD}",
        f"/spend/pareto/?{PERIOD}&supplier={a}",
        f"/spend/concentration/?{PERIOD}",
        f"/spend/maverick/?{PERIOD}",
        f"/spend/utilization/?{PERIOD}",
        f"/spend/price-variance/?{PERIOD}",
        f"/spend/cost-centers/?{PERIOD}",
        f"/spend/cube/?{PERIOD}&supplier={a}",
        f"/spend/lines/?{PERIOD}&supplier={a}",
        f"/spend/lines/?{PERIOD}&cost_center={cc}&format=csv",
        f"/spend/pareto/?{PERIOD}&format=xlsx",
        "/spend/imports/",
        f"/spend/imports/{w.batch.pk}/",
        f"/spend/imports/{w.batch.pk}/progress/",
        "/spend/sources/",
        f"/spend/sources/{w.source.pk}/",
        "/spend/rules/",
        "/spend/rates/",
        "/spend/cost-center-codes/",
        "/spend/vendor-matches/",
        "/spend/vendor-lookup/?q=Aurora",
        f"/spend/contracts/{w.contract.pk}/prices/",
        "/savings/",
        f"/savings/{w.initiative.pk}/",
        "/savings/levers/",
        "/savings/tco/",
        f"/savings/tco/{w.comparison.pk}/",
        f"/vendors/{a}/?tab=spend",
    ]


def _api_urls(w: World) -> list[str]:
    a, cc = w.vendor_a.pk, w.cost_center.pk
    urls = [f"/api/v1/{base}/" for base in sorted(set(API_BASE.values()))]
    urls += [
        f"/api/v1/spend-sources/{w.source.pk}/",
        f"/api/v1/category-rules/{w.rule.pk}/",
        f"/api/v1/cost-centers/{cc}/",
        f"/api/v1/exchange-rates/{w.rate.pk}/",
        f"/api/v1/vendor-aliases/{w.alias.pk}/",
        f"/api/v1/contract-prices/{w.price.pk}/",
        f"/api/v1/spend-imports/{w.batch.pk}/",
        f"/api/v1/savings-initiatives/{w.initiative.pk}/",
        f"/api/v1/tco-comparisons/{w.comparison.pk}/",
        f"/api/v1/tco-options/{w.option.pk}/",
        "/api/v1/savings-levers/",
        f"/api/v1/savings-levers/{w.lever_key}/",
        f"/api/v1/spend-lines/?{PERIOD}&supplier={a}",
        f"/api/v1/spend-lines/?{PERIOD}&cost_center={cc}",
    ]
    for figure in (
        "cube",
        "trend",
        "pareto",
        "concentration",
        "maverick",
        "utilization",
        "price-variance",
        "consolidation",
        "tail",
    ):
        urls.append(f"/api/v1/spend/{figure}/?{PERIOD}&supplier={a}")
    return urls


# What would betray A's spend, its records or the shared reference data to a portal user.
SECRETS = (
    A_TOTAL,
    A_MAVERICK,
    B_TOTAL,
    A_DOCUMENT,
    A_COST_CENTER_DOCUMENT,
    "MTX-A-3",
    "12345.67",
    "12,345.67",
    "MTX-B-1",
    "MTX-6200",
    "MTX-CC",
    "MTX-ITEM",
    "Matrix ERP",
    "Aurora Metals Handels GmbH",
    "matrix-refused.csv",
    "Matrix castings renegotiation",
    "Matrix castings TCO",
)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("role", ["portal_a", "portal_b"])
def test_portal_users_see_no_spend_and_no_savings(world: World, role: str) -> None:
    """Both portal users, A's included: every page is refused and every endpoint refuses or
    answers an empty list, with the ids of A's records guessed."""
    ui, api = _client("ui", world.user(role)), _client("api", world.user(role))
    problems = []
    for url in _ui_urls(world):
        response = ui.get(url)
        leaks = _leaks(_text(response))
        if response.status_code not in (403, 404) or leaks:
            problems.append(f"{url}: {response.status_code} {leaks}")
    for url in _api_urls(world):
        response = api.get(url)
        leaks = _leaks(_text(response))
        refused = response.status_code in (403, 404)
        empty = response.status_code == 200 and _empty_list(response)
        if not (refused or empty) or leaks:
            problems.append(f"{url}: {response.status_code} {leaks}")
    for url, data in (
        ("/savings/levers/take-up/", {"key": world.lever_key}),
        ("/spend/imports/new/", {"source": world.source.pk}),
        (f"/spend/imports/{world.batch.pk}/retry/", {}),
        ("/spend/vendor-matches/confirm/", {"raw_name": "X", "supplier": world.vendor_a.pk}),
    ):
        response = ui.post(url, data)
        if response.status_code not in (403, 404):
            problems.append(f"POST {url}: {response.status_code}")
    assert not SavingsInitiative.objects.filter(lever_key=world.lever_key).exists()
    assert not problems, f"{role} reached: " + "; ".join(problems)


def _empty_list(response: Any) -> bool:
    payload = json.loads(response.content)
    return isinstance(payload, dict) and payload.get("results") == []


def test_outsider_sees_vendor_b_spend_but_not_vendor_a(world: World) -> None:
    """The analytics are not simply empty for someone who may not see A: ``outsider`` sees B's
    spend on the same pages where A's is missing."""
    client = _client("ui", world.user("outsider"))
    for url in (f"/spend/?{PERIOD}", f"/spend/pareto/?{PERIOD}", f"/spend/cube/?{PERIOD}"):
        body = client.get(url).content.decode()
        assert B_TOTAL in body, url
        assert A_TOTAL not in body, url
    lines = client.get(_spend_lines(world)).content.decode()
    assert "MTX-B-1" in lines
    assert A_DOCUMENT not in lines


def test_an_auditor_writes_nothing_anywhere(world: World) -> None:
    """Every create the matrix tries, and running an import again, refused to a read-only
    auditor through the API: not one row is added and not one record changes version."""
    client = _client("api", world.user("auditor"))
    kept = (
        SpendSource,
        CategoryRule,
        CostCenter,
        ExchangeRate,
        VendorAlias,
        ContractPrice,
        SpendImport,
        SpendLine,
        SavingsInitiative,
        TcoComparison,
        TcoOption,
    )
    counts = {model: model.objects.count() for model in kept}
    records = (world.source, world.rule, world.rate, world.price, world.batch, world.initiative)
    versions = {(type(r), r.pk): r.version for r in records}
    through_ui = False
    for model, creator in CREATORS.items():
        outcome = creator(client, world, through_ui)
        assert outcome is not None, model
        assert not outcome.allowed, model
    retried = client.post(f"/api/v1/spend-imports/{world.batch.pk}/retry/")
    assert retried.status_code == 403
    assert {model: model.objects.count() for model in kept} == counts
    assert {(type(r), r.pk): type(r).objects.get(pk=r.pk).version for r in records} == versions
