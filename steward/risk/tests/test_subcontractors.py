"""Fourth parties: the tree of links under a vendor, and its rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.core.errors import DomainError, DuplicateError
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory
from steward.risk import services
from steward.risk.models import Subcontractor
from steward.risk.tests.helpers import vendor_of

pytestmark = pytest.mark.django_db


def test_a_tree_of_links_under_a_vendor(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    cloud, backup = OrganizationFactory(), OrganizationFactory()
    top = services.subcontractor_add(
        actor=cast.owner,
        supplier=vendor,
        organization=cloud,
        service="Hosting",
        criticality=5,
        handles_our_data=True,
    )
    under = services.subcontractor_add(
        actor=cast.member, supplier=vendor, organization=backup, service="Backups", parent=top
    )
    assert list(top.children.all()) == [under]
    assert top.history.count() == 1


def test_links_refuse_bad_parents_loops_duplicates_and_the_vendor_itself(cast: Cast) -> None:
    vendor_a, vendor_b = vendor_of(cast.rel_a), vendor_of(cast.rel_b)
    cloud = OrganizationFactory()
    top = services.subcontractor_add(
        actor=cast.owner, supplier=vendor_a, organization=cloud, service="Hosting"
    )
    child = services.subcontractor_add(
        actor=cast.owner,
        supplier=vendor_a,
        organization=OrganizationFactory(),
        service="DC",
        parent=top,
    )
    with pytest.raises(DomainError) as refused:
        services.subcontractor_add(
            actor=cast.owner, supplier=vendor_a, organization=cast.org_a, service="Itself"
        )
    assert refused.value.field == "organization"
    with pytest.raises(DuplicateError):
        services.subcontractor_add(
            actor=cast.owner, supplier=vendor_a, organization=cloud, service="hosting"
        )
    other = services.subcontractor_add(
        actor=cast.outsider, supplier=vendor_b, organization=cloud, service="Hosting"
    )
    with pytest.raises(DomainError) as refused:
        services.subcontractor_add(
            actor=cast.owner, supplier=vendor_a, organization=cloud, service="CDN", parent=other
        )
    assert refused.value.field == "parent"
    with pytest.raises(DomainError) as refused:
        services.subcontractor_update(
            actor=cast.owner, subcontractor=top, expected_version=top.version, parent=child
        )
    assert refused.value.code == "cycle"
    with pytest.raises(ValidationError) as invalid:
        services.subcontractor_add(
            actor=cast.owner, supplier=vendor_a, organization=cloud, service="CDN", criticality=9
        )
    assert "criticality" in invalid.value.message_dict
    assert Subcontractor.objects.count() == 3


def test_archive_waits_for_the_links_under_it(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    top = services.subcontractor_add(
        actor=cast.owner, supplier=vendor, organization=OrganizationFactory(), service="Hosting"
    )
    child = services.subcontractor_add(
        actor=cast.owner,
        supplier=vendor,
        organization=OrganizationFactory(),
        service="DC",
        parent=top,
    )
    with pytest.raises(DomainError):
        services.subcontractor_archive(actor=cast.owner, subcontractor=top)
    services.subcontractor_archive(actor=cast.owner, subcontractor=child)
    archived = services.subcontractor_archive(actor=cast.owner, subcontractor=top)
    assert archived.is_archived
    with pytest.raises(DomainError):
        services.subcontractor_restore(
            actor=cast.owner, subcontractor=Subcontractor.objects.get(pk=child.pk)
        )


def test_only_editors_of_the_vendor_record_fourth_parties(cast: Cast) -> None:
    vendor = vendor_of(cast.rel_a)
    for user in (cast.outsider, cast.reviewer, cast.auditor, cast.portal_a):
        with pytest.raises(PermissionDenied):
            services.subcontractor_add(
                actor=user, supplier=vendor, organization=OrganizationFactory(), service="X"
            )
