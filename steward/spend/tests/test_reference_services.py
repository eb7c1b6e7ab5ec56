"""The services of the spend reference data: every field checked, every refusal names its field,
only finance and administrators (and, for prices, whoever may change the contract) write."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from steward.core.errors import DomainError, StaleVersionError
from steward.core.tabular import ImportRefused
from steward.parties.tests.cast import Cast
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendSource,
    VendorAlias,
)
from steward.spend.services import reference as services
from steward.spend.services.reference import STEWARD_FIELDS, clean_mapping
from steward.spend.tests.test_reference_world import World, build_world
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


GOOD_MAPPING = {"date": "Posting date", "amount": "Net", "vendor_name": "Supplier"}


def refused(call: Any, field: str, code: str | None = None) -> DomainError:
    """Run ``call``; it must refuse with an error on ``field`` (and ``code``)."""
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.field == field, caught.value.message
    if code is not None:
        assert caught.value.code == code, caught.value.message
    return caught.value


# --- sources -------------------------------------------------------------------------------------


def test_finance_creates_a_source_with_a_trimmed_mapping_in_field_order(world: World) -> None:
    # when finance saves a source with headers around spaces, in any order
    source = services.spend_source_create(
        actor=world.finance,
        name=" SAP invoices ",
        mapping={"vendor_name": " Supplier ", "amount": "Net", "date": "Posting date"},
        date_format="%d.%m.%Y",
        decimal_comma=True,
        default_currency="eur",
    )
    # then it is kept trimmed, in the order of Steward's fields, with its history
    assert source.name == "SAP invoices"
    assert list(source.mapping.items()) == [
        ("date", "Posting date"),
        ("amount", "Net"),
        ("vendor_name", "Supplier"),
    ]
    assert source.default_currency == "EUR"
    assert source.history.count() == 1


def test_an_empty_mapping_means_the_file_uses_field_names(world: World) -> None:
    source = services.spend_source_create(actor=world.finance, name="Cards", mapping={})
    assert source.mapping == {}


@pytest.mark.parametrize(
    ("mapping", "field", "code"),
    [
        ({**GOOD_MAPPING, "supplier": "X"}, "mapping", "unknown_field"),
        ({**GOOD_MAPPING, "currency": "  "}, "mapping[currency]", "blank"),
        ({**GOOD_MAPPING, "currency": 3}, "mapping[currency]", "blank"),
        ({"amount": "Net", "vendor_name": "Supplier"}, "mapping[date]", "required"),
        ({"date": "Day", "vendor_name": "Supplier"}, "mapping[amount]", "required"),
        ({"date": "Day", "amount": "Net"}, "mapping[vendor_name]", "required"),
        ({**GOOD_MAPPING, "description": "net"}, "mapping[description]", "duplicate_column"),
        ({**GOOD_MAPPING, "item": "x" * 121}, "mapping[item]", "max_length"),
        (["date", "amount"], "mapping", "invalid"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_field(
    world: World, mapping: Any, field: str, code: str
) -> None:
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="ERP", mapping=mapping),
        field,
        code,
    )
    assert not SpendSource.objects.exists()


@pytest.mark.parametrize(
    ("pattern", "code"),
    [("%Q/%m/%Y", "invalid"), ("%d/%m", "incomplete"), ("%Y", "incomplete"), ("%", "invalid")],
)
def test_a_date_format_must_name_day_month_and_year(world: World, pattern: str, code: str) -> None:
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="ERP", date_format=pattern),
        "date_format",
        code,
    )


@pytest.mark.parametrize("pattern", ["%d/%m/%Y", "%m/%d/%y", "%Y%m%d", "%d %b %Y", ""])
def test_usual_date_formats_are_accepted(world: World, pattern: str) -> None:
    source = services.spend_source_create(actor=world.finance, name="ERP", date_format=pattern)
    assert source.date_format == pattern


def test_source_refuses_unknown_currency_kind_and_duplicate_name(world: World) -> None:
    services.spend_source_create(actor=world.finance, name="SAP")
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="sap"), "name", "duplicate"
    )
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="X", default_currency="EUX"),
        "default_currency",
        "invalid_currency",
    )
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="X", kind="fax"),
        "kind",
        "invalid_choice",
    )
    refused(
        lambda: services.spend_source_create(actor=world.finance, name="  "), "name", "required"
    )


@pytest.mark.parametrize("role", ["owner", "auditor", "member", "portal_a"])
def test_only_finance_and_administrators_write_sources(world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.spend_source_create(actor=world.cast.user(role), name="ERP")
    source = services.spend_source_create(actor=world.cast.admin, name="ERP")
    with pytest.raises(PermissionDenied):
        services.spend_source_update(
            actor=world.cast.user(role), source=source, expected_version=1, name="Other"
        )
    with pytest.raises(PermissionDenied):
        services.spend_source_archive(actor=world.cast.user(role), source=source)


def test_source_update_is_versioned_and_archive_keeps_history(world: World) -> None:
    source = services.spend_source_create(actor=world.finance, name="ERP", mapping=GOOD_MAPPING)
    changed = services.spend_source_update(
        actor=world.finance,
        source=source,
        expected_version=1,
        mapping={**GOOD_MAPPING, "currency": "Cur"},
    )
    assert changed.version == 2
    assert changed.mapping["currency"] == "Cur"
    with pytest.raises(StaleVersionError):
        services.spend_source_update(
            actor=world.finance, source=source, expected_version=1, name="Again"
        )
    archived = services.spend_source_archive(actor=world.finance, source=changed)
    assert archived.is_archived
    assert archived.history.count() == 3


_header = st.text(alphabet="abcdefghij XYZ_", min_size=1, max_size=12).filter(str.strip)


@given(
    fields=st.sets(st.sampled_from(sorted(set(STEWARD_FIELDS) - {"date", "amount"}))),
    headers=st.lists(_header, min_size=len(STEWARD_FIELDS), max_size=len(STEWARD_FIELDS)),
)
def test_a_mapping_with_distinct_columns_is_kept_and_one_shared_column_is_refused(
    fields: set[str], headers: list[str]
) -> None:
    # given the required fields and any others, each on a column of its own
    names = ["date", "amount", "vendor_name", *sorted(fields - {"vendor_name"})]
    distinct = {h.strip().casefold(): h for h in headers}
    if len(distinct) < len(names):
        return  # not enough different headers drawn for this many fields
    columns = list(distinct.values())
    mapping = {name: columns[index] for index, name in enumerate(names)}
    # then the mapping is kept, header by header
    assert clean_mapping(mapping) == {n: mapping[n].strip() for n in STEWARD_FIELDS if n in mapping}
    # and two fields on one column (whatever its case) are refused
    clash = {**mapping, names[-1]: mapping["date"].upper()}
    with pytest.raises(DomainError) as caught:
        clean_mapping(clash)
    assert caught.value.code == "duplicate_column"


# --- category rules ------------------------------------------------------------------------------


def test_rules_by_gl_account_description_and_vendor(world: World) -> None:
    gl = services.category_rule_create(
        actor=world.finance, field="gl_account", pattern=" 6200 ", category=world.category
    )
    by_vendor = services.category_rule_create(
        actor=world.finance,
        field="vendor",
        supplier=world.aurora,
        category=world.category,
        priority=200,
    )
    assert gl.pattern == "6200"
    assert by_vendor.supplier == world.aurora
    assert CategoryRule.objects.count() == 2


def test_rule_refusals_name_their_field(world: World) -> None:
    finance, category = world.finance, world.category

    def create(**fields: Any) -> Any:
        return lambda: services.category_rule_create(
            actor=finance, **{"category": category, **fields}
        )

    refused(create(field="vendor"), "supplier", "required")
    refused(create(field="vendor", supplier=world.aurora, pattern="x"), "pattern", "not_allowed")
    refused(create(field="description"), "pattern", "required")
    refused(create(field="description", pattern="x", supplier=world.aurora), "supplier")
    refused(create(field="weekday", pattern="x"), "field", "invalid_choice")
    refused(create(field="description", pattern="x", match="regex"), "match", "invalid_choice")
    refused(create(field="description", pattern="x", priority=40000), "priority", "invalid")
    refused(create(field="description", pattern="x", priority="1"), "priority")
    archived = CategoryFactory(code="old", archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    refused(create(field="description", pattern="x", category=archived), "category", "archived")
    services.category_rule_create(
        actor=finance, field="description", pattern="Cloud", category=category
    )
    refused(create(field="description", pattern="cloud"), "pattern", "duplicate")
    assert CategoryRule.objects.count() == 1


def test_rules_are_changed_by_finance_only(world: World) -> None:
    rule = services.category_rule_create(
        actor=world.finance, field="gl_account", pattern="6200", category=world.category
    )
    with pytest.raises(PermissionDenied):
        services.category_rule_update(
            actor=world.cast.owner, rule=rule, expected_version=1, priority=1
        )
    with pytest.raises(PermissionDenied):
        services.category_rule_create(
            actor=world.cast.owner, field="gl_account", pattern="1", category=world.category
        )
    changed = services.category_rule_update(
        actor=world.finance, rule=rule, expected_version=1, priority=1
    )
    assert changed.priority == 1


# --- cost centers --------------------------------------------------------------------------------


def test_cost_centers_keep_their_code_and_refuse_a_duplicate(world: World) -> None:
    center = services.cost_center_create(actor=world.finance, code=" CC100 ", name="Ops")
    assert center.code == "CC100"
    refused(
        lambda: services.cost_center_create(actor=world.finance, code="cc100", name="Again"),
        "code",
        "duplicate",
    )
    refused(
        lambda: services.cost_center_create(actor=world.finance, code="CC2", name=" "),
        "name",
        "required",
    )
    renamed = services.cost_center_update(
        actor=world.finance, cost_center=center, expected_version=1, name="Operations"
    )
    assert renamed.name == "Operations"
    with pytest.raises(DomainError):
        services.cost_center_update(
            actor=world.finance, cost_center=renamed, expected_version=2, code="CC9"
        )
    with pytest.raises(PermissionDenied):
        services.cost_center_create(actor=world.cast.owner, code="CC3", name="Sales")
    assert CostCenter.objects.count() == 1


# --- exchange rates ------------------------------------------------------------------------------


def test_rate_refusals_name_their_field(world: World) -> None:
    def create(**fields: Any) -> Any:
        values = {"currency": "USD", "rate_date": dt.date(2026, 1, 1), "rate": Decimal("0.9")}
        return lambda: services.exchange_rate_create(actor=world.finance, **{**values, **fields})

    refused(create(currency="EUR"), "currency", "base_currency")
    refused(create(currency="DOLLAR"), "currency", "invalid_currency")
    refused(create(currency=""), "currency", "required")
    refused(create(rate=Decimal(0)), "rate", "min_value")
    refused(create(rate=Decimal("-1")), "rate", "min_value")
    refused(create(rate=Decimal("0.12345678901")), "rate")
    refused(create(rate=Decimal("1e12")), "rate")
    refused(create(rate_date="2026-01-01"), "rate_date")
    create(currency="usd")()
    refused(create(), "rate_date", "duplicate")
    assert ExchangeRate.objects.get().currency == "USD"


def _csv(text: str, name: str = "rates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("rates.xlsx", buffer.getvalue())


RATES = "currency,date,rate\nUSD,2026-01-01,0.92\nUSD,2026-02-01,0.93\nGBP,2026-01-01,1.17\n"


def test_a_rates_file_is_imported_once_and_a_changed_rate_updates_with_history(
    world: World,
) -> None:
    # when finance imports a file of three rates
    assert services.exchange_rates_import(actor=world.finance, upload=_csv(RATES)) == 3
    # then importing it again adds nothing
    assert services.exchange_rates_import(actor=world.finance, upload=_csv(RATES)) == 0
    assert ExchangeRate.objects.count() == 3
    # and a file with one rate changed updates that rate, keeping the old one in its history
    changed = RATES.replace("0.93", "0.95")
    assert services.exchange_rates_import(actor=world.finance, upload=_csv(changed)) == 1
    rate = ExchangeRate.objects.get(currency="USD", rate_date=dt.date(2026, 2, 1))
    assert rate.rate == Decimal("0.95")
    assert rate.version == 2
    assert [h.rate for h in rate.history.order_by("history_id")] == [
        Decimal("0.93"),
        Decimal("0.95"),
    ]


def test_a_rates_file_with_bad_rows_writes_nothing_and_names_each_row(world: World) -> None:
    text = (
        "currency,date,rate\n"
        "USD,2026-01-01,0.92\n"
        "XXQ,2026-01-01,1\n"  # row 3: not a currency
        "GBP,31/01/2026,1.1\n"  # row 4: not an ISO date
        "CHF,2026-01-01,-1\n"  # row 5: not positive
        "USD,2026-01-01,0.93\n"  # row 6: a second USD rate on that day
        "EUR,2026-01-01,1\n"  # row 7: the base currency
        "JPY,2026-01-01,abc\n"  # row 8: not a number
    )
    with pytest.raises(ImportRefused) as caught:
        services.exchange_rates_import(actor=world.finance, upload=_csv(text))
    problems = {(e.row, e.column) for e in caught.value.errors}
    assert problems == {
        (3, "currency"),
        (4, "date"),
        (5, "rate"),
        (6, "date"),
        (7, "currency"),
        (8, "rate"),
    }
    assert "also on row 2" in str(caught.value.errors[3])
    assert not ExchangeRate.objects.exists()


def test_a_rates_workbook_is_read_with_date_cells(world: World) -> None:
    cell = dt.datetime(2026, 3, 1)  # noqa: DTZ001 - a spreadsheet's date cell has no zone
    upload = _xlsx([["Currency", "Date", "Rate"], ["USD", cell, 0.91]])
    assert services.exchange_rates_import(actor=world.finance, upload=upload) == 1
    assert ExchangeRate.objects.get().rate == Decimal("0.91")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_csv("currency,date\nUSD,2026-01-01\n"), "missing: rate"),
        (_csv("currency,date,rate\n"), "no rates"),
        (SimpleUploadedFile("rates.pdf", b"%PDF-1.4"), "accepted file type"),
        (SimpleUploadedFile("rates.xlsx", b"not a workbook"), "does not contain"),
    ],
)
def test_a_rates_file_that_cannot_be_read_is_refused(
    world: World, upload: SimpleUploadedFile, message: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.exchange_rates_import(actor=world.finance, upload=upload)
    assert caught.value.field == "file"
    assert message in str(getattr(caught.value, "errors", None) or caught.value.message)


def test_only_finance_and_administrators_import_rates(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.exchange_rates_import(actor=world.cast.owner, upload=_csv(RATES))
    assert services.exchange_rates_import(actor=world.cast.admin, upload=_csv(RATES)) == 3


# --- vendor aliases ------------------------------------------------------------------------------


def test_confirming_a_name_remembers_it_once(world: World) -> None:
    alias = services.vendor_alias_confirm(
        actor=world.finance, raw_name=" AURORA Metals Handels GmbH ", supplier=world.aurora
    )
    assert alias.raw_name == "AURORA Metals Handels GmbH"
    assert alias.name_key == "aurora metals handels"
    assert alias.confirmed_by == world.finance
    again = services.vendor_alias_confirm(
        actor=world.finance, raw_name="Aurora Metals Handels", supplier=world.aurora
    )
    assert again.pk == alias.pk
    assert VendorAlias.objects.count() == 1


def test_a_name_matched_to_another_vendor_is_refused(world: World) -> None:
    services.vendor_alias_confirm(actor=world.finance, raw_name="AMH", supplier=world.aurora)
    refused(
        lambda: services.vendor_alias_confirm(
            actor=world.finance, raw_name="amh", supplier=world.borealis
        ),
        "raw_name",
        "duplicate",
    )
    # Borealis's own legal name belongs to Borealis
    refused(
        lambda: services.vendor_alias_confirm(
            actor=world.finance, raw_name="Borealis Logistics Limited", supplier=world.aurora
        ),
        "raw_name",
        "duplicate",
    )


def test_a_name_two_vendors_share_may_be_confirmed_as_either(world: World) -> None:
    twin = SupplierFactory(relationship__organization__legal_name="Borealis Logistics GmbH")
    alias = services.vendor_alias_confirm(
        actor=world.finance, raw_name="Borealis Logistics", supplier=twin
    )
    assert alias.supplier == twin


def test_an_archived_match_is_replaced(world: World) -> None:
    alias = services.vendor_alias_confirm(
        actor=world.finance, raw_name="AMH", supplier=world.aurora
    )
    services.vendor_alias_archive(actor=world.finance, alias=alias)
    again = services.vendor_alias_confirm(
        actor=world.finance, raw_name="A.M.H.", supplier=world.borealis
    )
    assert again.pk == alias.pk
    assert again.supplier == world.borealis
    assert not again.is_archived
    assert VendorAlias.objects.count() == 1
    assert again.history.count() == 3


def test_alias_refusals(world: World) -> None:
    def confirm(raw: str, supplier: Any, actor: Any = None) -> Any:
        return lambda: services.vendor_alias_confirm(
            actor=actor or world.finance, raw_name=raw, supplier=supplier
        )

    refused(confirm("  ", world.aurora), "raw_name", "required")
    refused(confirm("…!", world.aurora), "raw_name", "invalid")
    refused(confirm("x" * 256, world.aurora), "raw_name", "max_length")
    gone = SupplierFactory(archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    refused(confirm("Gone Ltd", gone), "supplier", "archived")
    with pytest.raises(PermissionDenied):
        confirm("AMH", world.aurora, world.cast.owner)()
    assert not VendorAlias.objects.exists()


def test_restoring_a_match_whose_name_was_taken_meanwhile_is_refused(world: World) -> None:
    first = services.vendor_alias_confirm(
        actor=world.finance, raw_name="AMH", supplier=world.aurora
    )
    services.vendor_alias_archive(actor=world.finance, alias=first)
    VendorAlias.objects.create(
        name_key="amh", raw_name="AMH", supplier=world.borealis, confirmed_by=world.finance
    )
    refused(
        lambda: services.spend_reference_restore(actor=world.finance, record=first),
        "raw_name",
        "duplicate",
    )


# --- contract prices -----------------------------------------------------------------------------


def test_contract_prices_default_to_the_contracts_currency(world: World) -> None:
    price = services.contract_price_create(
        actor=world.finance, contract=world.contract_a, item=" BOLT ", unit_price=Decimal("0.1")
    )
    assert (price.item, price.currency) == ("BOLT", "EUR")


def test_price_refusals_name_their_field(world: World) -> None:
    def create(**fields: Any) -> Any:
        values: dict[str, Any] = {
            "contract": world.contract_a,
            "item": "BOLT",
            "unit_price": Decimal("0.10"),
        }
        return lambda: services.contract_price_create(actor=world.finance, **{**values, **fields})

    refused(create(contract=world.sell_contract), "contract", "not_buy_side")
    refused(create(item=""), "item", "required")
    refused(create(unit_price=Decimal("-0.01")), "unit_price", "min_value")
    refused(create(unit_price=Decimal("0.00001")), "unit_price")
    refused(create(currency="EURO"), "currency", "invalid_currency")
    refused(
        create(valid_from=dt.date(2026, 2, 1), valid_to=dt.date(2026, 1, 1)),
        "valid_to",
        "ends_before_start",
    )
    create(valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))()
    refused(create(valid_from=dt.date(2026, 6, 1)), "valid_from", "duplicate")
    refused(create(item="bolt"), "valid_from", "duplicate")
    create(valid_from=dt.date(2026, 7, 1))()
    assert ContractPrice.objects.count() == 2


def test_whoever_may_change_the_contract_prices_it(world: World) -> None:
    # the contract's owner may price it; the owner of another vendor may not
    price = services.contract_price_create(
        actor=world.cast.owner, contract=world.contract_a, item="BOLT", unit_price=Decimal(1)
    )
    with pytest.raises(PermissionDenied):
        services.contract_price_create(
            actor=world.cast.outsider,
            contract=world.contract_a,
            item="NUT",
            unit_price=Decimal(1),
        )
    # moving a price needs the right to change the other contract too
    with pytest.raises(PermissionDenied):
        services.contract_price_update(
            actor=world.cast.owner, price=price, expected_version=1, contract=world.contract_b
        )
    moved = services.contract_price_update(
        actor=world.finance, price=price, expected_version=1, contract=world.contract_b
    )
    assert moved.contract == world.contract_b
    with pytest.raises(PermissionDenied):
        services.contract_price_archive(actor=world.cast.owner, price=moved)


def test_restoring_an_overlapping_price_is_refused(world: World) -> None:
    old = services.contract_price_create(
        actor=world.finance, contract=world.contract_a, item="BOLT", unit_price=Decimal(1)
    )
    services.contract_price_archive(actor=world.finance, price=old)
    services.contract_price_create(
        actor=world.finance, contract=world.contract_a, item="BOLT", unit_price=Decimal(2)
    )
    refused(
        lambda: services.spend_reference_restore(actor=world.finance, record=old),
        "valid_from",
        "duplicate",
    )
