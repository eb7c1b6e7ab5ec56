# ruff: noqa: S608 - SQL is built from this module's constants; user text is quoted by sql_text
"""From checked rows to ledger lines: cost center, category, exchange rate, contract, contracted
price and identity, for every line at once.

- cost center: by code; an unknown code is a problem of the row.
- category: a category code in the file wins (an unknown code is a problem); else the first
  rule that matches in rank order (see ``lookups``): GL account and description rules compare
  case-insensitively (equals, starts with, contains), a vendor rule gives the vendor's default;
  else none (uncategorized spend is allowed).
- currency: the latest rate of the line's currency on or before its date (an as-of join); the
  base currency converts at 1; no rate is a problem naming the currency and the date.
  ``amount_base_cents = round(amount * rate * 100)``, half away from zero.
- contract: a contract reference in the file must be one of the vendor's contracts; else the
  vendor's contract in force on the date (active, expiring or renewed; started on or before the
  date; ending on or after it, evergreen or without end; the latest start wins); else none, and
  the line is maverick spend.
- price variance, when the line has an item and a quantity and its contract a price for that
  item on the date: what was paid less what the contracted price comes to, both in base cents:
  ``amount_base_cents - round(quantity * unit price * rate of the price's currency * 100)``.
- identity (``line_key``): the source, the document reference and the line number when the line
  has both; else the source and every value of the line. 60 bits of its MD5 (stable across runs,
  machines and DuckDB versions, unlike DuckDB's ``hash()``). A line repeating another line's
  identity in the same file is a problem naming both rows.
"""

from __future__ import annotations

import duckdb

from steward.spend.ingest.parsing import sql_text

_SEPARATOR = "chr(31)"
# The text fields of a line's identity when it has no reference and line number (with its date,
# amount and quantity): every value the file gives.
_IDENTITY_TEXT = (
    "currency",
    "vendor_name",
    "vendor_tax_id",
    "reference",
    "line_number",
    "cost_center",
    "gl_account",
    "description",
    "item",
    "category",
    "contract",
)
_EARLIEST = "DATE '0001-01-01'"


def enrich(con: duckdb.DuckDBPyConnection, *, source_id: int, base_currency: str) -> None:
    """Create ``assembled`` (every row, resolved) and add the problems found to ``problems``."""
    con.execute(_LINES)
    con.execute("DROP TABLE parsed")
    _problem(
        con,
        "cost_center",
        "'“' || left(cost_center, 40) || '” is not a cost center code.'",
        "lines",
        "cost_center IS NOT NULL AND cost_center_id IS NULL",
    )
    _problem(
        con,
        "category",
        "'“' || left(category, 40) || '” is not a category code.'",
        "lines",
        "category IS NOT NULL AND named_category_id IS NULL",
    )
    _categories_by_rule(con)
    _contracts(con)
    _problem(
        con,
        "contract",
        "'“' || left(contract, 60) || '” is not a contract with this vendor.'",
        "lines",
        """contract IS NOT NULL AND supplier_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM named_contract n WHERE n._row = s._row)""",
    )
    _rates_on_days(con, "lines", "line_rates", base_currency)
    con.execute(_assembled_sql(source_id=source_id))
    con.execute("DROP TABLE lines")
    _problem(
        con,
        "currency",
        "'there is no ' || currency || ' exchange rate on or before ' "
        "|| strftime(date, '%Y-%m-%d') || '.'",
        "assembled",
        "date IS NOT NULL AND line_rate IS NULL",
    )
    _problem(
        con,
        "amount",
        "'is too large once converted to the base currency.'",
        "assembled",
        "line_rate IS NOT NULL AND amount IS NOT NULL AND amount_base_cents IS NULL",
    )
    _price_variance(con, base_currency)
    _duplicates(con)


def base_cents(amount: str, rate: str) -> str:
    """SQL of ``amount`` (DECIMAL) at ``rate`` in whole cents of the base currency, rounded half
    away from zero as ``steward.spend.money.to_cents``; NULL when it does not fit a BIGINT."""
    return f"try_cast(round(TRY({amount} * {rate} * 100)) AS BIGINT)"


def _problem(
    con: duckdb.DuckDBPyConnection, field: str, message: str, table: str, condition: str
) -> None:
    """Add a problem per row of ``table`` (aliased ``s``) meeting ``condition``, unless the
    row's field has one already."""
    con.execute(
        f"""INSERT INTO problems
        SELECT s._row, '{field}', {message} FROM {table} s
        WHERE ({condition}) AND NOT EXISTS (
            SELECT 1 FROM problems p WHERE p.row = s._row AND p.field = '{field}')"""
    )


_LINES = """
CREATE OR REPLACE TEMP TABLE lines AS
SELECT p._row,
    p.date_value AS date,
    (year(p.date_value) * 100 + month(p.date_value))::INTEGER AS month,
    p.amount_number AS amount,
    p.amount_text,
    p.date_text,
    p.currency_code AS currency,
    p.quantity_number AS quantity,
    p.quantity_text,
    m.supplier_id,
    cc.cost_center_id,
    cat.category_id AS named_category_id,
    p.vendor_name, p.vendor_tax_id, p.reference, p.line_number, p.cost_center, p.gl_account,
    p.description, p.item, p.category, p.contract
FROM parsed p
LEFT JOIN vendor_match m
    ON m.vendor_name IS NOT DISTINCT FROM p.vendor_name
    AND m.vendor_tax_id IS NOT DISTINCT FROM p.vendor_tax_id
LEFT JOIN cost_centers cc ON cc.code_key = lower(p.cost_center)
LEFT JOIN categories cat ON cat.code_key = lower(p.category)
"""


def _categories_by_rule(con: duckdb.DuckDBPyConnection) -> None:
    """The first matching rule (lowest rank) per distinct GL account, description and vendor."""
    for name, column in (("rule_gl", "gl_account"), ("rule_description", "description")):
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {name} AS
            SELECT v.value, min(r.rank) AS rank, arg_min(r.category_id, r.rank) AS category_id
            FROM (SELECT DISTINCT lower({column}) AS value FROM lines
                  WHERE {column} IS NOT NULL AND category IS NULL) v
            JOIN category_rules r ON r.field = '{column}' AND CASE r.match
                WHEN 'equals' THEN v.value = r.pattern
                WHEN 'starts_with' THEN starts_with(v.value, r.pattern)
                ELSE contains(v.value, r.pattern) END
            GROUP BY v.value"""
        )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE rule_vendor AS
        SELECT supplier_id, min(rank) AS rank, arg_min(category_id, rank) AS category_id
        FROM category_rules WHERE field = 'vendor' GROUP BY supplier_id"""
    )


def _contracts(con: duckdb.DuckDBPyConnection) -> None:
    latest = f"{{'start': coalesce(c.start_date, {_EARLIEST}), 'id': c.contract_id}}"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE named_contract AS
        SELECT l._row, arg_max(c.contract_id, {latest}) AS contract_id
        FROM lines l JOIN contracts c
            ON c.supplier_id = l.supplier_id AND c.reference_key = lower(l.contract)
        WHERE l.contract IS NOT NULL
        GROUP BY l._row"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE in_force AS
        SELECT d.supplier_id, d.date, arg_max(c.contract_id, {latest}) AS contract_id
        FROM (SELECT DISTINCT supplier_id, date FROM lines
              WHERE contract IS NULL AND supplier_id IS NOT NULL AND date IS NOT NULL) d
        JOIN contracts c ON c.supplier_id = d.supplier_id AND c.in_force
            AND (c.start_date IS NULL OR c.start_date <= d.date)
            AND (c.open_ended OR c.end_date >= d.date)
        GROUP BY d.supplier_id, d.date"""
    )


def _rates_on_days(
    con: duckdb.DuckDBPyConnection, table: str, name: str, base_currency: str
) -> None:
    """The rate of each (currency, day) ``table`` needs: the latest on or before the day (an
    as-of join over the distinct days, a few thousand rows, rather than over every line)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {name} AS
        SELECT d.currency, d.date,
            CASE WHEN d.currency = {sql_text(base_currency)} THEN 1::DECIMAL(20,10)
                ELSE r.rate END AS rate
        FROM (SELECT DISTINCT currency, date FROM {table}
              WHERE currency IS NOT NULL AND date IS NOT NULL) d
        ASOF LEFT JOIN rates r ON d.currency = r.currency AND d.date >= r.rate_date"""
    )


def _assembled_sql(*, source_id: int) -> str:
    def text(expression: str) -> str:
        return f"coalesce({expression}, '')"

    content = [
        text("coalesce(l.date::VARCHAR, l.date_text)"),
        text("coalesce(l.amount::VARCHAR, l.amount_text)"),
        text("coalesce(l.quantity::VARCHAR, l.quantity_text)"),
        *(text(f"l.{column}") for column in _IDENTITY_TEXT),
    ]
    by_reference = f"concat_ws({_SEPARATOR}, 'reference', {source_id}, l.reference, l.line_number)"
    by_content = f"concat_ws({_SEPARATOR}, 'content', {source_id}, {', '.join(content)})"
    identity = (
        "CASE WHEN l.reference IS NOT NULL AND l.line_number IS NOT NULL "
        f"THEN {by_reference} ELSE {by_content} END"
    )
    return f"""
    CREATE OR REPLACE TEMP TABLE assembled AS
    SELECT l._row, l.month, l.date, l.currency, l.amount, l.quantity, l.supplier_id,
        l.cost_center_id, l.item, l.description, l.gl_account, l.reference,
        r.rate AS line_rate,
        {base_cents("l.amount", "line_rate")} AS amount_base_cents,
        coalesce(n.contract_id, f.contract_id) AS contract_id,
        coalesce(l.named_category_id, CASE least(rg.rank, rd.rank, rv.rank)
            WHEN rg.rank THEN rg.category_id
            WHEN rd.rank THEN rd.category_id
            WHEN rv.rank THEN rv.category_id END) AS category_id,
        (l.reference IS NOT NULL AND l.line_number IS NOT NULL) AS keyed_by_reference,
        ('0x' || left(md5({identity}), 15))::BIGINT AS line_key
    FROM lines l
    LEFT JOIN line_rates r ON r.currency = l.currency AND r.date = l.date
    LEFT JOIN named_contract n ON n._row = l._row
    LEFT JOIN in_force f ON l.contract IS NULL AND f.supplier_id = l.supplier_id AND f.date = l.date
    LEFT JOIN rule_gl rg ON rg.value = lower(l.gl_account)
    LEFT JOIN rule_description rd ON rd.value = lower(l.description)
    LEFT JOIN rule_vendor rv ON rv.supplier_id = l.supplier_id
    """


def _price_variance(con: duckdb.DuckDBPyConnection, base_currency: str) -> None:
    latest = f"{{'start': coalesce(p.valid_from, {_EARLIEST}), 'id': p.price_id}}"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE line_price AS
        SELECT a._row, a.date,
            arg_max(p.unit_price, {latest}) AS unit_price,
            arg_max(p.currency, {latest}) AS currency
        FROM assembled a JOIN contract_prices p
            ON p.contract_id = a.contract_id AND p.item_key = lower(a.item)
            AND (p.valid_from IS NULL OR p.valid_from <= a.date)
            AND (p.valid_to IS NULL OR p.valid_to >= a.date)
        WHERE a.quantity IS NOT NULL AND a.item IS NOT NULL AND a.amount_base_cents IS NOT NULL
        GROUP BY a._row, a.date"""
    )
    _rates_on_days(con, "line_price", "price_rates", base_currency)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE variance AS
        SELECT lp._row, lp.currency, lp.date, r.rate AS price_rate,
            {base_cents("a.quantity * lp.unit_price", "price_rate")} AS contracted_cents,
            a.amount_base_cents - contracted_cents AS price_variance_cents
        FROM line_price lp
        JOIN assembled a ON a._row = lp._row
        LEFT JOIN price_rates r ON r.currency = lp.currency AND r.date = lp.date"""
    )
    _problem(
        con,
        "item",
        "'there is no ' || currency || ' exchange rate on or before ' "
        "|| strftime(date, '%Y-%m-%d') || ' to compare the price paid with the contract''s.'",
        "variance",
        "price_rate IS NULL",
    )
    _problem(
        con,
        "quantity",
        "'is too large to compare the price paid with the contract''s.'",
        "variance",
        "price_rate IS NOT NULL AND price_variance_cents IS NULL",
    )


def _duplicates(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """INSERT INTO problems
        SELECT a._row,
            CASE WHEN a.keyed_by_reference THEN 'reference' ELSE 'line' END,
            'repeats row ' || d.first_row || CASE WHEN a.keyed_by_reference
                THEN ': the same reference and line number.'
                ELSE ': the same values in every column.' END
        FROM assembled a JOIN (
            SELECT line_key, min(_row) AS first_row FROM assembled
            GROUP BY line_key HAVING count(*) > 1
        ) d USING (line_key)
        WHERE a._row <> d.first_row"""
    )


PREPARED_VIEW = """
CREATE OR REPLACE TEMP VIEW prepared AS
SELECT a.month, a.line_key, a.date, a.supplier_id, a.category_id, a.cost_center_id,
    a.contract_id, a.currency, a.amount, a.amount_base_cents, a.quantity,
    coalesce(a.item, '') AS item, coalesce(a.description, '') AS description,
    coalesce(a.gl_account, '') AS gl_account, coalesce(a.reference, '') AS document,
    v.price_variance_cents
FROM assembled a LEFT JOIN variance v ON v._row = a._row
"""
