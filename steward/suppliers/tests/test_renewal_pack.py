"""The supply side in the renewal pack (the other prequalified suppliers) and the vendor page's
contracts."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.contracts import selectors_renewals, services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.suppliers.choices import Stage
from steward.suppliers.models import Prequalification, Supplier
from steward.suppliers.renewal_pack import SECTION_NAME
from steward.suppliers.tests.factories import CategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def vendor(cast: Cast, name: str, relationship: Any = None, **fields: Any) -> Supplier:
    relationship = relationship or RelationshipFactory(
        owner=cast.owner, organization__display_name=name
    )
    fields.setdefault("stage", Stage.ACTIVE)
    return typing.cast(Supplier, SupplierFactory(relationship=relationship, **fields))


def grant(supplier: Supplier, category: Any, **dates: Any) -> Prequalification:
    return Prequalification.objects.create(
        supplier=supplier,
        category=category,
        granted_on=dates.get("granted_on", TODAY - dt.timedelta(days=100)),
        expires_on=dates.get("expires_on", TODAY + dt.timedelta(days=200)),
        granted_by=supplier.relationship.owner,
        revoked_on=dates.get("revoked_on"),
    )


def contract_with(cast: Cast, relationship: Any, title: str = "Castings supply") -> Contract:
    contract = services.contract_create(
        actor=cast.owner, relationship=relationship, title=title, kind=ContractKind.MASTER
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE,
        end_date=TODAY + dt.timedelta(days=120),
        notice_deadline=TODAY + dt.timedelta(days=30),
    )
    contract.refresh_from_db()
    return contract


def test_the_pack_lists_the_other_suppliers_prequalified_for_the_vendors_categories(
    cast: Cast,
) -> None:
    # given the contract's vendor in "castings", itself prequalified there
    castings = CategoryFactory(code="castings", name="Castings")
    ours = vendor(cast, "Aurora", relationship=cast.rel_a)
    ours.categories.add(castings)
    grant(ours, castings)
    # and a rival prequalified today, one revoked, one expired, one in another category
    grant(vendor(cast, "Rival Foundry"), castings)
    grant(vendor(cast, "Revoked Works"), castings, revoked_on=TODAY - dt.timedelta(days=1))
    grant(
        vendor(cast, "Lapsed Ltd"),
        castings,
        granted_on=TODAY - dt.timedelta(days=400),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    grant(vendor(cast, "Freight Co"), CategoryFactory(code="freight", name="Freight"))
    contract = contract_with(cast, cast.rel_a)
    # when the owner reads the renewal pack
    pack = selectors_renewals.renewal_pack(user=cast.owner, contract=contract)
    # then the section names the rival only
    section = pack[SECTION_NAME]
    assert isinstance(section, selectors_renewals.PackSection)
    assert [row.cells[:2] for row in section.rows] == [("Rival Foundry", "Castings")]
    assert section.rows[0].url.startswith("/vendors/")
    # and the page shows it
    html = web_client(cast.owner).get(f"/contracts/{contract.pk}/renewal-pack/").content.decode()
    assert "Other suppliers prequalified for the same categories" in html
    assert "Rival Foundry" in html
    assert "Revoked Works" not in html


def test_the_section_says_so_when_there_is_nothing_to_compare(cast: Cast) -> None:
    # a vendor without categories
    vendor(cast, "Aurora", relationship=cast.rel_a)
    contract = contract_with(cast, cast.rel_a)
    section = selectors_renewals.renewal_pack(user=cast.owner, contract=contract)[SECTION_NAME]
    assert section.rows == []
    assert "no category" in section.empty
    html = web_client(cast.owner).get(f"/contracts/{contract.pk}/renewal-pack/").content.decode()
    assert "The vendor is in no category" in html
    # a relationship with no vendor record: the section does not apply
    bare = contract_with(cast, RelationshipFactory(owner=cast.owner), title="Bare")
    assert selectors_renewals.renewal_pack(user=cast.owner, contract=bare)[SECTION_NAME] is None


def test_the_vendor_page_lists_its_contracts_in_constant_queries(cast: Cast) -> None:
    supplier = vendor(cast, "Aurora", relationship=cast.rel_a)
    client = web_client(cast.owner)
    url = f"/vendors/{supplier.pk}/"

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    contract_with(cast, cast.rel_a, title="First agreement")
    html, few = page()
    assert "First agreement" in html
    assert f"/contracts/?relationship={cast.rel_a.pk}" in html
    assert f"/relationships/{cast.rel_a.pk}/contracts/new/" in html
    for n in range(4):
        contract_with(cast, cast.rel_a, title=f"Statement {n}")
    html, many = page()
    assert "Statement 3" in html
    assert many == few
    # a reader sees the contracts but is not offered a new one
    reader = web_client(cast.reviewer).get(url).content.decode()
    assert "First agreement" in reader
    assert f"/relationships/{cast.rel_a.pk}/contracts/new/" not in reader
