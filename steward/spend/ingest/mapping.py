"""Which column of a file holds which of Steward's fields.

A source's ``mapping`` names the file's column for a field ({"vendor_name": "Supplier"}); a
field it does not name is read from a column called by the field's own name, so an empty mapping
means the file uses Steward's names. Headers compare trimmed and case-insensitively. Every
column of the file must be read: a column nobody mapped is refused rather than ignored, since it
usually means a mapping that went stale when the export changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from steward.spend.ingest.problems import FileRefused, Problem

FIELDS: tuple[str, ...] = (
    "date",
    "amount",
    "currency",
    "vendor_name",
    "vendor_tax_id",
    "reference",
    "line_number",
    "cost_center",
    "gl_account",
    "description",
    "item",
    "quantity",
    "category",
    "contract",
)
REQUIRED: tuple[str, ...] = ("date", "amount")
VENDOR_FIELDS: tuple[str, ...] = ("vendor_name", "vendor_tax_id")
NUMBER_FIELDS: frozenset[str] = frozenset({"amount", "quantity"})
TEXT_FIELDS: tuple[str, ...] = tuple(f for f in FIELDS if f not in NUMBER_FIELDS | {"date"})
# The most characters the ledger keeps of a field (a longer description is cut, others refused).
MAX_LENGTH: dict[str, int] = {
    "reference": 80,
    "item": 80,
    "gl_account": 40,
    "description": 255,
    "cost_center": 40,
    "category": 40,
    "contract": 60,
}


def resolve(mapping: Mapping[str, Any], header: tuple[str, ...]) -> dict[str, int]:
    """Field → the index of its column in ``header``; refuses a mapping that does not fit."""
    problems: list[Problem] = []
    for field, column in mapping.items():
        if field not in FIELDS:
            problems.append(
                Problem(
                    row=None,
                    field=str(field),
                    message=f"The source maps “{field}”, which is not a Steward field "
                    f"(one of {', '.join(FIELDS)}).",
                )
            )
        elif not isinstance(column, str) or not column.strip():
            problems.append(
                Problem(row=None, field=field, message="The source maps it to no column name.")
            )
    positions = {name.casefold(): index for index, name in enumerate(header)}
    found: dict[str, int] = {}
    for field in FIELDS:
        named = mapping.get(field)
        wanted = named.strip() if isinstance(named, str) and named.strip() else field
        if wanted.casefold() in positions:
            found[field] = positions[wanted.casefold()]
        elif isinstance(named, str) and named.strip():
            problems.append(
                Problem(
                    row=1,
                    field=field,
                    message=f"The header has no column “{wanted}” (the source reads {field} "
                    "from it).",
                )
            )
        elif field in REQUIRED:
            problems.append(
                Problem(row=1, field=field, message=f"The header has no {field} column.")
            )
    if not any(field in found for field in VENDOR_FIELDS) and not any(
        p.field in VENDOR_FIELDS for p in problems
    ):
        problems.append(
            Problem(
                row=1,
                field="vendor_name",
                message="The header has no vendor_name or vendor_tax_id column: "
                "each line needs its vendor.",
            )
        )
    used = set(found.values())
    problems.extend(
        Problem(
            row=1,
            field=name,
            message=f"The column “{name}” is not one Steward reads: map it to a field in the "
            "source's settings, or leave it out of the file.",
        )
        for index, name in enumerate(header)
        if index not in used and name
    )
    if problems:
        raise FileRefused(problems)
    return found
