"""A vendor's annual spend is its spend over the last twelve whole months, from the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.spend.services.vendor_figures import refresh_vendor_figures
from steward.spend.tests.factories import Line, store
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

D = Decimal


def test_annual_spend_covers_the_twelve_whole_months_before_today() -> None:
    # Given spend just inside, just outside and in the running month
    steady, credited, idle = SupplierFactory(), SupplierFactory(), SupplierFactory()
    idle.annual_spend = D("123.00")
    idle.save()
    store(
        [
            Line(steady, dt.date(2025, 3, 31), D("1000.00")),  # before the twelve months
            Line(steady, dt.date(2025, 4, 1), D("100.25")),  # first of them
            Line(steady, dt.date(2026, 3, 31), D("0.75")),  # last of them
            Line(steady, dt.date(2026, 4, 2), D("50.00")),  # the running month
            Line(steady, dt.date(2025, 12, 5), D("-1.00")),  # a credit note
            Line(credited, dt.date(2025, 6, 1), D("-20.00")),
        ]
    )
    # When the figures are refreshed on 15 April 2026
    written = refresh_vendor_figures(today=dt.date(2026, 4, 15))
    # Then
    assert written == 3
    for vendor in (steady, credited, idle):
        vendor.refresh_from_db()
    assert steady.annual_spend == D("100.00")
    assert credited.annual_spend == D("0.00")
    assert idle.annual_spend is None


def test_large_amounts_stay_exact() -> None:
    vendor = SupplierFactory()
    store([Line(vendor, dt.date(2026, 1, day), D("123456789.99")) for day in range(1, 8)])
    refresh_vendor_figures(today=dt.date(2026, 2, 1))
    vendor.refresh_from_db()
    assert vendor.annual_spend == D("864197529.93")
