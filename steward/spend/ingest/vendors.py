"""Which vendor a line was paid to: by tax id, then a confirmed alias, then the normalized name.

Only organizations with a supply-side relationship that has a vendor (``Supplier``) record take
spend. Matching works on the distinct (name, tax id) pairs of the file, not on its lines:
a million lines name a few thousand vendors.

1. The tax id (normalized as ``Organization.tax_id_key``) names exactly one vendor; several
   vendors sharing it are told apart by the name.
2. The name, normalized as ``Organization.name_key``, was confirmed once as a vendor
   (``VendorAlias``: a person's decision, which outranks a guess from the name).
3. The normalized name is exactly one vendor's.

A name that matches none (or several) refuses the import; it is reported with up to three
suggestions, the vendors whose normalized names are closest (``fuzz.token_sort_ratio`` ≥ 60).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from steward.parties.choices import Side
from steward.parties.identity import normalize_legal_name, normalize_tax_id
from steward.spend.ingest.engine import load_table
from steward.spend.models import VendorAlias
from steward.suppliers.models import Supplier

SUGGESTIONS = 3
MIN_SCORE = 60
# The most unmatched names an import reports (the most frequent first).
KEPT_UNMATCHED = 500


@dataclass
class VendorIndex:
    names: dict[int, str] = field(default_factory=dict)
    by_tax: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_alias: dict[str, int] = field(default_factory=dict)
    name_keys: dict[int, str] = field(default_factory=dict)

    def match(self, name: str, tax_id: str) -> int | None:
        name_key = normalize_legal_name(name) if name else ""
        tax_key = normalize_tax_id(tax_id) if tax_id else ""
        if tax_key and (by_tax := self.by_tax.get(tax_key)):
            if len(by_tax) == 1:
                return next(iter(by_tax))
            named = by_tax & self.by_name.get(name_key, set())
            if len(named) == 1:
                return next(iter(named))
        if name_key and name_key in self.by_alias:
            return self.by_alias[name_key]
        by_name = self.by_name.get(name_key, set())
        return next(iter(by_name)) if len(by_name) == 1 else None

    def suggest(self, name: str) -> list[dict[str, Any]]:
        key = normalize_legal_name(name) if name else ""
        if not key:
            return []
        found = process.extract(
            key,
            self.name_keys,
            scorer=fuzz.token_sort_ratio,
            limit=SUGGESTIONS,
            score_cutoff=MIN_SCORE,
        )
        return [
            {"supplier_id": int(pk), "name": self.names[pk], "score": round(score)}
            for _, score, pk in found
        ]


def vendor_index() -> VendorIndex:
    index = VendorIndex()
    vendors = Supplier.objects.filter(
        archived_at__isnull=True,
        relationship__archived_at__isnull=True,
        relationship__side=Side.SUPPLY,
        relationship__organization__archived_at__isnull=True,
    ).values_list(
        "pk",
        "relationship__organization__display_name",
        "relationship__organization__legal_name",
        "relationship__organization__name_key",
        "relationship__organization__tax_id_key",
    )
    for pk, display_name, legal_name, name_key, tax_key in vendors:
        index.names[pk] = display_name or legal_name
        index.name_keys[pk] = name_key
        if name_key:
            index.by_name[name_key].add(pk)
        if tax_key:
            index.by_tax[tax_key].add(pk)
    aliases = VendorAlias.objects.filter(archived_at__isnull=True).values_list(
        "name_key", "supplier_id"
    )
    index.by_alias = {key: pk for key, pk in aliases if pk in index.names}
    return index


def match_vendors(con: duckdb.DuckDBPyConnection) -> tuple[list[dict[str, Any]], int]:
    """Create ``vendor_match`` (name, tax id → supplier id) for the file's vendors; return the
    unmatched ones as the import reports them (most frequent first) and how many there are."""
    pairs = con.execute(
        """SELECT vendor_name, vendor_tax_id, count(*) AS lines, min(_row, 5) AS rows
        FROM parsed
        WHERE (vendor_name IS NOT NULL OR vendor_tax_id IS NOT NULL)
            AND e_vendor_name IS NULL AND e_vendor_tax_id IS NULL
        GROUP BY ALL ORDER BY lines DESC, min(_row)"""
    ).fetchall()
    index = vendor_index()
    matched = []
    unmatched: list[dict[str, Any]] = []
    total = 0
    for name, tax_id, lines, rows in pairs:
        supplier = index.match(name or "", tax_id or "")
        if supplier is not None:
            matched.append((name, tax_id, supplier))
            continue
        total += 1
        if len(unmatched) < KEPT_UNMATCHED:
            unmatched.append(
                {
                    "name": name or "",
                    "tax_id": tax_id or "",
                    "count": int(lines),
                    "rows": sorted(int(row) for row in rows),
                    "suggestions": index.suggest(name or ""),
                }
            )
    load_table(
        con,
        "vendor_match",
        [("vendor_name", "VARCHAR"), ("vendor_tax_id", "VARCHAR"), ("supplier_id", "INTEGER")],
        matched,
    )
    return unmatched, total
