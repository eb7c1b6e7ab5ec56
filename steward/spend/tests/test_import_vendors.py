"""Vendor matching: tax id, then a confirmed alias, then the normalized name; unmatched names
refuse the import with suggestions, and a confirmed suggestion lets it through."""

from __future__ import annotations

import pytest

from steward.parties.identity import normalize_legal_name
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendLine, VendorAlias
from steward.spend.services.imports import spend_import_retry, spend_import_run
from steward.spend.tests.test_import_helpers import (
    csv_bytes,
    make_vendor,
    make_world,
    nothing_written,
    run_import,
)

pytestmark = pytest.mark.django_db

TAXED = ("date", "amount", "vendor_name", "vendor_tax_id", "reference", "line_number")


def test_a_tax_id_matches_whatever_the_name_says() -> None:
    world = make_world()
    content = csv_bytes([("2026-01-05", "10.00", "A.I. Europe", "de-811.111.111", "X", 1)], TAXED)

    batch = run_import(world, content)

    assert batch.status == ImportStatus.DONE, batch.errors
    assert SpendLine.objects.get().supplier_id == world.vendor.pk


def test_a_shared_tax_id_is_told_apart_by_the_name() -> None:
    world = make_world()
    sister = make_vendor("Acme Services AG", tax_id="DE811111111")
    content = csv_bytes([("2026-01-05", "10.00", "Acme Services", "DE811111111", "X", 1)], TAXED)

    batch = run_import(world, content)

    assert batch.status == ImportStatus.DONE, batch.errors
    assert SpendLine.objects.get().supplier_id == sister.pk


def test_a_name_matches_after_normalizing_case_and_legal_form() -> None:
    world = make_world()
    content = csv_bytes([("2026-01-05", "10.00", "EUR", "ACME Industrial g.m.b.h.", "X", 1, "")])

    batch = run_import(world, content)

    assert batch.status == ImportStatus.DONE, batch.errors
    assert SpendLine.objects.get().supplier_id == world.vendor.pk


def test_an_unmatched_name_refuses_the_file_with_suggestions_and_rows() -> None:
    # given a second vendor with a similar name and one far from it
    world = make_world()
    similar = make_vendor("Acme Industries Holding")
    make_vendor("Globex Logistics")
    rows = [("2026-01-05", "10.00", "EUR", "Acme Industrie", "X", n, "") for n in range(1, 8)]

    # when a file names a vendor Steward does not know
    batch = run_import(world, csv_bytes(rows))

    # then it is refused: the name, its lines and rows, and the closest vendors first
    assert batch.status == ImportStatus.REFUSED
    assert nothing_written()
    [unmatched] = batch.unmatched
    assert (unmatched["name"], unmatched["count"]) == ("Acme Industrie", 7)
    assert unmatched["rows"] == [2, 3, 4, 5, 6]
    suggested = [guess["supplier_id"] for guess in unmatched["suggestions"]]
    assert suggested[0] == world.vendor.pk
    assert set(suggested) == {world.vendor.pk, similar.pk}
    assert all(guess["score"] >= 60 for guess in unmatched["suggestions"])
    assert batch.errors[0]["field"] == "vendor_name"
    assert "1 vendor name matches no vendor" in batch.errors[0]["message"]


def test_a_confirmed_suggestion_is_remembered_and_the_retry_imports_the_file() -> None:
    # given a file refused for an unknown spelling of a vendor
    world = make_world()
    content = csv_bytes([("2026-01-05", "10.00", "EUR", "ACME Ind. Europe", "X", 1, "")])
    refused = run_import(world, content)
    assert refused.status == ImportStatus.REFUSED

    # when the spelling is confirmed as the vendor and the import runs again
    VendorAlias.objects.create(
        name_key=normalize_legal_name("ACME Ind. Europe"),
        raw_name="ACME Ind. Europe",
        supplier=world.vendor,
        confirmed_by=world.user,
    )
    queued = spend_import_retry(actor=world.user, batch=refused)
    done = spend_import_run(batch=queued)

    # then its lines go to the vendor
    assert done.status == ImportStatus.DONE, done.errors
    assert done.unmatched == []
    assert SpendLine.objects.get().supplier_id == world.vendor.pk


def test_an_alias_outranks_a_vendor_of_the_same_name() -> None:
    world = make_world()
    namesake = make_vendor("Initech")
    VendorAlias.objects.create(
        name_key="initech", raw_name="Initech", supplier=world.vendor, confirmed_by=world.user
    )

    batch = run_import(world, csv_bytes([("2026-01-05", "1.00", "EUR", "Initech", "X", 1, "")]))

    assert batch.status == ImportStatus.DONE
    assert SpendLine.objects.get().supplier_id == world.vendor.pk != namesake.pk


def test_a_name_two_vendors_share_is_unmatched_with_both_suggested() -> None:
    world = make_world()
    first, second = make_vendor("Umbrella Corp", tax_id="US1"), make_vendor("Umbrella Inc")

    batch = run_import(world, csv_bytes([("2026-01-05", "1.00", "EUR", "Umbrella", "X", 1, "")]))

    assert batch.status == ImportStatus.REFUSED
    suggested = {
        guess["supplier_id"]: guess["score"] for guess in batch.unmatched[0]["suggestions"]
    }
    assert suggested == {first.pk: 100, second.pk: 100}


def test_only_current_vendors_on_the_supply_side_take_spend() -> None:
    world = make_world()
    archived = make_vendor("Stark Industries")
    archived.archived_at = archived.created_at
    archived.save()

    batch = run_import(
        world, csv_bytes([("2026-01-05", "1.00", "EUR", "Stark Industries", "X", 1, "")])
    )

    assert batch.status == ImportStatus.REFUSED
    assert batch.unmatched[0]["name"] == "Stark Industries"
