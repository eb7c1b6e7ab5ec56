"""Shared set-up of the import tests: a finance user, a vendor, a source, files to upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
from steward.people.tests.factories import UserFactory
from steward.spend.models import (
    SpendCostCenterCell,
    SpendImport,
    SpendLine,
    SpendSegment,
    SpendSource,
)
from steward.spend.services.imports import spend_import_create
from steward.spend.tests.factories import SpendSourceFactory
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory

HEADER = ("date", "amount", "currency", "vendor_name", "reference", "line_number", "description")


@dataclass
class World:
    user: Any
    vendor: Supplier
    source: SpendSource


def make_vendor(legal_name: str, tax_id: str = "", display_name: str = "") -> Supplier:
    organization = OrganizationFactory(
        legal_name=legal_name, display_name=display_name or legal_name, tax_id=tax_id
    )
    relationship = RelationshipFactory(organization=organization, side="supply")
    return cast(Supplier, SupplierFactory(relationship=relationship))


def make_world(**source_fields: Any) -> World:
    return World(
        user=UserFactory(profile__function="finance"),
        vendor=make_vendor("Acme Industrial GmbH", tax_id="DE 811 111 111", display_name="Acme"),
        source=SpendSourceFactory(**source_fields),
    )


def csv_bytes(rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "spend.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def run_import(
    world: World, content: bytes, *, name: str = "spend.csv", source: SpendSource | None = None
) -> SpendImport:
    return spend_import_create(
        actor=world.user,
        source=source or world.source,
        upload=upload(content, name),
        run_now=True,
    )


def where(batch: SpendImport) -> set[tuple[int | None, str]]:
    """The (row, field) of every problem the import reported."""
    return {(problem["row"], problem["field"]) for problem in batch.errors}


def nothing_written() -> bool:
    return not (
        SpendLine.objects.exists()
        or SpendSegment.objects.exists()
        or SpendCostCenterCell.objects.exists()
    )
