"""What an accepted line becomes: its category, cost center, base amount, contract and price
variance, with a problem naming the row for every reference it cannot resolve."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from steward.contracts.models import Contract
from steward.spend.choices import ImportStatus, RuleField, RuleMatch
from steward.spend.models import (
    CategoryRule,
    ContractPrice,
    ExchangeRate,
    SpendCostCenterCell,
    SpendLine,
    SpendSegment,
)
from steward.spend.tests.factories import CostCenterFactory
from steward.spend.tests.test_import_helpers import (
    World,
    csv_bytes,
    make_world,
    nothing_written,
    run_import,
    where,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def lines_by_reference() -> dict[str, SpendLine]:
    return {line.document: line for line in SpendLine.objects.all()}


def make_contract(world: World, reference: str, **fields: Any) -> Contract:
    values: dict[str, Any] = {
        "status": "active",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
    }
    values.update(fields)
    return Contract.objects.create(
        relationship=world.vendor.relationship,
        title=f"Agreement {reference}",
        kind="master",
        owner=world.user,
        reference=reference,
        **values,
    )


# --- categories ---------------------------------------------------------------------------------

CATEGORY_HEADER = ("date", "amount", "vendor_name", "reference", "gl_account", "description")


def test_a_category_code_in_the_file_wins_over_every_rule() -> None:
    world = make_world()
    named, ruled = CategoryFactory(code="it-hardware"), CategoryFactory()
    CategoryRule.objects.create(
        field=RuleField.GL_ACCOUNT, match=RuleMatch.EQUALS, pattern="6100", category=ruled
    )
    header = (*CATEGORY_HEADER, "category")
    content = csv_bytes(
        [("2026-01-05", "1", "Acme Industrial", "A", "6100", "Laptops", "IT-Hardware")], header
    )

    batch = run_import(world, content)

    assert batch.status == ImportStatus.DONE, batch.errors
    assert SpendLine.objects.get().category_id == named.pk


def test_rules_apply_in_priority_order_gl_and_description_before_the_vendor_default() -> None:
    # given rules on GL account, description and the vendor, at several priorities
    world = make_world()
    by_gl, by_text, by_vendor, early = (CategoryFactory() for _ in range(4))
    rule = CategoryRule.objects.create
    rule(field=RuleField.GL_ACCOUNT, match=RuleMatch.EQUALS, pattern="6100", category=by_gl)
    rule(field=RuleField.DESCRIPTION, match=RuleMatch.CONTAINS, pattern="toner", category=by_text)
    rule(field=RuleField.VENDOR, supplier=world.vendor, category=by_vendor)
    rule(
        field=RuleField.DESCRIPTION,
        match=RuleMatch.STARTS_WITH,
        pattern="urgent",
        category=early,
        priority=10,
    )
    rows = [
        ("2026-01-05", "1", "Acme Industrial", "GL", "6100", "Chairs"),
        ("2026-01-05", "1", "Acme Industrial", "TEXT", "7000", "Black TONER x4"),
        ("2026-01-05", "1", "Acme Industrial", "VENDOR", "7000", "Chairs"),
        ("2026-01-05", "1", "Acme Industrial", "EARLY", "6100", "Urgent toner"),
    ]

    # when the lines are imported
    batch = run_import(world, csv_bytes(rows, CATEGORY_HEADER))

    # then each line takes the category of the first rule that matches it
    assert batch.status == ImportStatus.DONE, batch.errors
    lines = lines_by_reference()
    assert lines["GL"].category_id == by_gl.pk
    assert lines["TEXT"].category_id == by_text.pk
    assert lines["VENDOR"].category_id == by_vendor.pk
    assert lines["EARLY"].category_id == early.pk


def test_a_line_no_rule_matches_stays_uncategorized() -> None:
    world = make_world()

    batch = run_import(
        world, csv_bytes([("2026-01-05", "1", "Acme Industrial", "A", "1", "x")], CATEGORY_HEADER)
    )

    assert batch.status == ImportStatus.DONE
    assert SpendLine.objects.get().category_id is None


def test_an_unknown_category_code_is_a_problem_of_its_row() -> None:
    world = make_world()
    content = csv_bytes(
        [("2026-01-05", "1", "Acme Industrial", "A", "1", "x", "no-such-category")],
        (*CATEGORY_HEADER, "category"),
    )

    batch = run_import(world, content)

    assert where(batch) == {(2, "category")}
    assert "“no-such-category” is not a category code" in batch.errors[0]["message"]
    assert nothing_written()


# --- cost centers -------------------------------------------------------------------------------


def test_cost_centers_are_found_by_code_and_an_unknown_code_is_refused() -> None:
    world = make_world()
    center = CostCenterFactory(code="CC-IT")
    header = ("date", "amount", "vendor_name", "reference", "cost_center")

    good = run_import(
        world, csv_bytes([("2026-01-05", "5", "Acme Industrial", "A", "cc-it")], header)
    )
    bad = run_import(
        world, csv_bytes([("2026-01-05", "5", "Acme Industrial", "B", "CC-HR")], header)
    )

    assert good.status == ImportStatus.DONE
    assert SpendLine.objects.get().cost_center_id == center.pk
    assert SpendCostCenterCell.objects.get().cost_center_id == center.pk
    assert bad.status == ImportStatus.REFUSED
    assert where(bad) == {(2, "cost_center")}


# --- currencies ---------------------------------------------------------------------------------

RATE_HEADER = ("date", "amount", "currency", "vendor_name", "reference")


def test_amounts_convert_at_the_latest_rate_on_or_before_the_line_date() -> None:
    # given USD rates from January and February
    world = make_world()
    ExchangeRate.objects.create(currency="USD", rate_date=dt.date(2026, 1, 1), rate="0.9")
    ExchangeRate.objects.create(currency="USD", rate_date=dt.date(2026, 2, 1), rate="0.8")
    rows = [
        ("2026-01-31", "100.00", "USD", "Acme Industrial", "JAN"),
        ("2026-02-01", "100.00", "usd", "Acme Industrial", "FEB"),
        ("2026-02-01", "0.005", "EUR", "Acme Industrial", "HALF"),
        ("2026-02-01", "100.00", "EUR", "Acme Industrial", "BASE"),
        ("2026-02-01", "100.00", "", "Acme Industrial", "DEFAULT"),
    ]

    # when lines in USD and in the base currency are imported
    batch = run_import(world, csv_bytes(rows, RATE_HEADER))

    # then each is converted at its day's rate, rounded half away from zero
    assert batch.status == ImportStatus.DONE, batch.errors
    lines = lines_by_reference()
    assert lines["JAN"].amount_base_cents == 9000
    assert lines["FEB"].amount_base_cents == 8000
    assert lines["FEB"].currency == "USD"
    assert lines["HALF"].amount_base_cents == 1  # half a cent rounds up
    assert lines["BASE"].amount_base_cents == 10000
    assert lines["DEFAULT"].currency == "EUR"
    assert batch.amount_base_cents == 9000 + 8000 + 1 + 10000 + 10000


def test_the_source_default_currency_applies_to_empty_cells() -> None:
    world = make_world(default_currency="GBP")
    ExchangeRate.objects.create(currency="GBP", rate_date=dt.date(2026, 1, 1), rate="1.15")

    batch = run_import(
        world, csv_bytes([("2026-01-05", "10.00", "", "Acme Industrial", "A")], RATE_HEADER)
    )

    assert batch.status == ImportStatus.DONE, batch.errors
    assert (SpendLine.objects.get().currency, SpendLine.objects.get().amount_base_cents) == (
        "GBP",
        1150,
    )


def test_a_line_without_a_rate_names_currency_and_date() -> None:
    world = make_world()
    ExchangeRate.objects.create(currency="USD", rate_date=dt.date(2026, 2, 1), rate="0.8")

    batch = run_import(
        world, csv_bytes([("2026-01-31", "5", "USD", "Acme Industrial", "A")], RATE_HEADER)
    )

    assert where(batch) == {(2, "currency")}
    assert batch.errors[0]["message"] == "there is no USD exchange rate on or before 2026-01-31."
    assert nothing_written()


# --- contracts and prices -----------------------------------------------------------------------

CONTRACT_HEADER = ("date", "amount", "vendor_name", "reference", "contract", "item", "quantity")


def test_a_line_takes_the_vendors_contract_in_force_on_its_date_or_none() -> None:
    # given last year's contract, this year's (evergreen) one and a terminated one
    world = make_world()
    last_year = make_contract(
        world, "C-2025", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31)
    )
    this_year = make_contract(world, "C-2026", end_date=None, evergreen=True)
    make_contract(world, "C-OLD", status="terminated", start_date=dt.date(2024, 1, 1))
    make_contract(world, "C-DRAFT", status="draft", start_date=dt.date(2026, 6, 1))
    rows = [
        ("2025-06-30", "1", "Acme Industrial", "A", "", "", ""),
        ("2026-07-01", "1", "Acme Industrial", "B", "", "", ""),
        ("2024-06-30", "1", "Acme Industrial", "C", "", "", ""),
    ]

    # when lines of three years are imported
    batch = run_import(world, csv_bytes(rows, CONTRACT_HEADER))

    # then each goes to the contract running on its day; the oldest is maverick spend
    assert batch.status == ImportStatus.DONE, batch.errors
    lines = lines_by_reference()
    assert lines["A"].contract_id == last_year.pk
    assert lines["B"].contract_id == this_year.pk
    assert lines["C"].contract_id is None


def test_of_two_contracts_in_force_the_latest_start_wins() -> None:
    world = make_world()
    make_contract(world, "MSA")
    newer = make_contract(world, "SOW", start_date=dt.date(2026, 3, 1))

    run_import(
        world, csv_bytes([("2026-03-05", "1", "Acme Industrial", "A", "", "", "")], CONTRACT_HEADER)
    )

    assert SpendLine.objects.get().contract_id == newer.pk


def test_a_contract_named_in_the_file_is_used_and_an_unknown_one_refused() -> None:
    world = make_world()
    expired = make_contract(world, "C-2020", status="expired", start_date=dt.date(2020, 1, 1))
    make_contract(world, "C-2026")

    good = run_import(
        world,
        csv_bytes([("2026-03-05", "1", "Acme Industrial", "A", "c-2020", "", "")], CONTRACT_HEADER),
    )
    bad = run_import(
        world,
        csv_bytes([("2026-03-05", "1", "Acme Industrial", "B", "C-9999", "", "")], CONTRACT_HEADER),
    )

    assert good.status == ImportStatus.DONE
    assert SpendLine.objects.get().contract_id == expired.pk
    assert where(bad) == {(2, "contract")}


def test_price_variance_compares_the_unit_price_paid_with_the_contracted_one() -> None:
    # given a contracted price of 10.00 EUR per bearing and 4.00 USD per seal
    world = make_world()
    contract = make_contract(world, "C-2026")
    ContractPrice.objects.create(
        contract=contract, item="BRG-1", unit_price="10.00", currency="EUR", valid_from=None
    )
    ContractPrice.objects.create(
        contract=contract,
        item="SEAL",
        unit_price="4.00",
        currency="USD",
        valid_from=dt.date(2026, 1, 1),
    )
    ExchangeRate.objects.create(currency="USD", rate_date=dt.date(2026, 1, 1), rate="0.5")
    rows = [
        ("2026-03-05", "60.00", "Acme Industrial", "OVER", "", "brg-1", "5"),
        ("2026-03-05", "45.00", "Acme Industrial", "UNDER", "", "BRG-1", "5"),
        ("2026-03-05", "3.00", "Acme Industrial", "USD", "", "SEAL", "2"),
        ("2026-03-05", "60.00", "Acme Industrial", "NOQTY", "", "BRG-1", ""),
        ("2026-03-05", "60.00", "Acme Industrial", "OTHER", "", "BOLT", "5"),
    ]

    # when lines with items and quantities are imported
    batch = run_import(world, csv_bytes(rows, CONTRACT_HEADER))

    # then the variance is what was paid less the contracted price, in base cents
    assert batch.status == ImportStatus.DONE, batch.errors
    lines = lines_by_reference()
    assert lines["OVER"].price_variance_cents == 1000
    assert lines["UNDER"].price_variance_cents == -500
    assert lines["USD"].price_variance_cents == 300 - 400  # 2 x 4.00 USD x 0.5
    assert lines["NOQTY"].price_variance_cents is None
    assert lines["OTHER"].price_variance_cents is None
    assert lines["OVER"].quantity == Decimal(5)
    segment = SpendSegment.objects.get()
    assert (segment.price_variance_cents, segment.priced_lines) == (1000 - 500 - 100, 3)
