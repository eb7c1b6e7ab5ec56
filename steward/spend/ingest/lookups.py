"""The reference data an import needs, copied from the database into DuckDB tables.

Everything archived is left out: an archived vendor, alias, category, rule, cost center, rate,
contract or price does not take new spend. Keys compare case-insensitively (lower-cased and
trimmed on both sides).
"""

from __future__ import annotations

import duckdb
from django.db.models import F, Q

from steward.contracts.choices import ContractStatus
from steward.contracts.models import Contract
from steward.parties.choices import Side
from steward.spend.ingest.engine import load_table
from steward.spend.models import CategoryRule, ContractPrice, CostCenter, ExchangeRate
from steward.suppliers.models import Category

# A contract in one of these states takes the spend of the days it runs.
IN_FORCE = (ContractStatus.ACTIVE, ContractStatus.EXPIRING, ContractStatus.RENEWED)


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    _load_categories(con)
    _load_rules(con)
    _load_cost_centers(con)
    _load_rates(con)
    _load_contracts(con)
    _load_prices(con)


def _key(value: str | None) -> str:
    return (value or "").strip().lower()


def _load_categories(con: duckdb.DuckDBPyConnection) -> None:
    rows = Category.objects.filter(archived_at__isnull=True).values_list("code", "pk")
    load_table(
        con,
        "categories",
        [("code_key", "VARCHAR"), ("category_id", "INTEGER")],
        [(_key(code), pk) for code, pk in rows],
    )


def _load_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Rules in the order they apply (``rank``): priority, then field (description and GL account
    before the vendor's default), then pattern and id, as ``CategoryRule.Meta.ordering``."""
    rules = (
        CategoryRule.objects.filter(archived_at__isnull=True, category__archived_at__isnull=True)
        .order_by("priority", "field", "pattern", "pk")
        .values_list("field", "match", "pattern", "supplier_id", "category_id")
    )
    load_table(
        con,
        "category_rules",
        [
            ("rank", "INTEGER"),
            ("field", "VARCHAR"),
            ("match", "VARCHAR"),
            ("pattern", "VARCHAR"),
            ("supplier_id", "INTEGER"),
            ("category_id", "INTEGER"),
        ],
        [
            (rank, field, match, _key(pattern), supplier_id, category_id)
            for rank, (field, match, pattern, supplier_id, category_id) in enumerate(rules)
        ],
    )


def _load_cost_centers(con: duckdb.DuckDBPyConnection) -> None:
    rows = CostCenter.objects.filter(archived_at__isnull=True).values_list("code", "pk")
    load_table(
        con,
        "cost_centers",
        [("code_key", "VARCHAR"), ("cost_center_id", "INTEGER")],
        [(_key(code), pk) for code, pk in rows],
    )


def _load_rates(con: duckdb.DuckDBPyConnection) -> None:
    rows = (
        ExchangeRate.objects.filter(archived_at__isnull=True)
        .order_by("currency", "rate_date")
        .values_list("currency", "rate_date", "rate")
        .iterator(chunk_size=20_000)
    )
    load_table(
        con,
        "rates",
        [("currency", "VARCHAR"), ("rate_date", "DATE"), ("rate", "DECIMAL(20,10)")],
        ((currency.strip().upper(), day, rate) for currency, day, rate in rows),
    )


def _load_contracts(con: duckdb.DuckDBPyConnection) -> None:
    """Buy-side contracts (on a supply-side relationship, whose id is the vendor's)."""
    rows = (
        Contract.objects.filter(
            archived_at__isnull=True,
            relationship__side=Side.SUPPLY,
            relationship__supplier__isnull=False,
        )
        .annotate(supplier_id=F("relationship_id"))
        .values_list(
            "pk", "supplier_id", "reference", "status", "start_date", "end_date", "evergreen"
        )
        .iterator(chunk_size=20_000)
    )
    load_table(
        con,
        "contracts",
        [
            ("contract_id", "INTEGER"),
            ("supplier_id", "INTEGER"),
            ("reference_key", "VARCHAR"),
            ("in_force", "BOOLEAN"),
            ("start_date", "DATE"),
            ("end_date", "DATE"),
            ("open_ended", "BOOLEAN"),
        ],
        (
            (
                pk,
                supplier,
                _key(reference),
                status in IN_FORCE,
                start,
                end,
                end is None or evergreen,
            )
            for pk, supplier, reference, status, start, end, evergreen in rows
        ),
    )


def _load_prices(con: duckdb.DuckDBPyConnection) -> None:
    rows = (
        ContractPrice.objects.filter(archived_at__isnull=True, contract__archived_at__isnull=True)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from"))
        )
        .values_list(
            "pk", "contract_id", "item", "unit_price", "currency", "valid_from", "valid_to"
        )
        .iterator(chunk_size=20_000)
    )
    load_table(
        con,
        "contract_prices",
        [
            ("price_id", "INTEGER"),
            ("contract_id", "INTEGER"),
            ("item_key", "VARCHAR"),
            ("unit_price", "DECIMAL(18,4)"),
            ("currency", "VARCHAR"),
            ("valid_from", "DATE"),
            ("valid_to", "DATE"),
        ],
        (
            (pk, contract, _key(item), price, currency.strip().upper(), start, end)
            for pk, contract, item, price, currency, start, end in rows
        ),
    )
