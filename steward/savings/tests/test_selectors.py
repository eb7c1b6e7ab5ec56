"""Reads start from the access policy: what each person may see and may name."""

from __future__ import annotations

import pytest

from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.selectors import (
    comparisons_visible,
    initiatives_visible,
    options_visible,
    vendor_choices,
)
from steward.savings.tests.factories import (
    SavingsInitiativeFactory,
    TcoComparisonFactory,
    TcoOptionFactory,
)
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def test_an_initiative_without_a_vendor_reaches_its_owner_and_finance_only(cast: Cast) -> None:
    # Given an initiative on A's vendor and one with no vendor, both owned by A's owner
    vendor_a = SupplierFactory(relationship=cast.rel_a)
    on_vendor = SavingsInitiativeFactory(owner=cast.owner, supplier=vendor_a)
    loose = SavingsInitiativeFactory(owner=cast.owner)
    finance = UserFactory(profile__function=Function.FINANCE)

    def seen(user: object) -> set[int]:
        return set(initiatives_visible(user=user).values_list("pk", flat=True))

    # Then the relationship's team sees the first through the vendor, not the second
    assert seen(cast.member) == {on_vendor.pk}
    assert seen(cast.reviewer) == {on_vendor.pk}
    # The owner, their manager and finance see both; another vendor manager neither
    assert seen(cast.owner) == seen(cast.manager) == seen(finance) == {on_vendor.pk, loose.pk}
    assert seen(cast.outsider) == set()
    assert seen(cast.portal_a) == set()


def test_vendors_one_may_name(cast: Cast) -> None:
    vendor_a = SupplierFactory(relationship=cast.rel_a)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    archived = SupplierFactory(relationship__owner=cast.owner)
    archived.archived_at = archived.created_at
    archived.save()
    finance = UserFactory(profile__function=Function.FINANCE)
    assert set(vendor_choices(user=cast.owner)) == {vendor_a}
    assert set(vendor_choices(user=cast.outsider)) == {vendor_b}
    # Finance sees all spend, so it may name every current vendor
    assert set(vendor_choices(user=finance)) == {vendor_a, vendor_b}
    assert set(vendor_choices(user=cast.portal_a)) == set()


def test_comparisons_and_options_follow_their_owner(cast: Cast) -> None:
    mine = TcoOptionFactory(comparison=TcoComparisonFactory(owner=cast.owner))
    TcoComparisonFactory(owner=cast.outsider)
    assert list(comparisons_visible(user=cast.manager)) == [mine.comparison]
    assert list(options_visible(user=cast.director)) == [mine]
    assert list(options_visible(user=cast.member)) == []
    assert comparisons_visible(user=cast.auditor).count() == 2
