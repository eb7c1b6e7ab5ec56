"""Domain rules of organizations and relationships, at the service layer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.core.errors import DomainError, DuplicateError, StaleVersionError
from steward.parties import services
from steward.parties.models import Organization, Relationship
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_create_records_one_history_entry_with_tags(cast: Cast) -> None:
    organization = services.organization_create(
        actor=cast.owner, legal_name="Vela Optics SA", tags=["optics", "Optics", "lux"]
    )
    assert organization.history.count() == 1
    record = organization.history.get()
    assert record.history_user == cast.owner
    assert sorted(t.name for t in organization.tags.all()) == ["lux", "optics"]


def test_exact_duplicates_are_refused_whatever_the_spelling(cast: Cast) -> None:
    with pytest.raises(DuplicateError) as refused:
        services.organization_create(
            actor=cast.owner, legal_name="AURORA metals, a.g.", tax_id=cast.org_a.tax_id.lower()
        )
    assert refused.value.field == "legal_name"
    # the same name with another tax id is another legal entity
    services.organization_create(actor=cast.owner, legal_name="Aurora Metals AG", tax_id="CH-1")


def test_near_duplicates_are_found_but_not_refused(cast: Cast) -> None:
    near = services.organization_near_duplicates(legal_name="Aurora Metal")
    assert [n.organization_id for n in near] == [cast.org_a.pk]
    assert services.organization_near_duplicates(legal_name="Completely Different Ltd") == []


def test_archived_duplicates_do_not_block_and_restoring_a_clash_is_refused(cast: Cast) -> None:
    services.organization_archive(actor=cast.owner, organization=cast.org_a)
    twin = services.organization_create(
        actor=cast.owner, legal_name=cast.org_a.legal_name, tax_id=cast.org_a.tax_id
    )
    assert twin.pk != cast.org_a.pk
    with pytest.raises(DuplicateError):
        services.organization_restore(actor=cast.owner, organization=cast.org_a)


def test_group_hierarchies_cannot_loop(cast: Cast) -> None:
    child = services.organization_create(
        actor=cast.owner, legal_name="Aurora Nordic AB", parent=cast.org_a
    )
    with pytest.raises(DomainError) as refused:
        services.organization_update(
            actor=cast.owner,
            organization=cast.org_a,
            expected_version=cast.org_a.version,
            parent=child,
        )
    assert refused.value.code == "cycle"


def test_archiving_a_parent_with_current_subsidiaries_is_refused(cast: Cast) -> None:
    services.organization_create(actor=cast.owner, legal_name="Aurora Nordic AB", parent=cast.org_a)
    with pytest.raises(DomainError) as refused:
        services.organization_archive(actor=cast.owner, organization=cast.org_a)
    assert refused.value.code == "has_subsidiaries"


def test_field_rules_are_checked_before_anything_is_written(cast: Cast) -> None:
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.organization_create(actor=cast.owner, legal_name="X" * 300)
    assert "legal_name" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.organization_create(actor=cast.owner, legal_name="Ok Ltd", industry="astrology")
    assert Organization.objects.count() == before


def test_only_editors_may_change_and_auditors_may_not_create(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=cast.reviewer, organization=cast.org_a, expected_version=1, description="x"
        )
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=cast.auditor, legal_name="Audit Trail Ltd")
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=cast.portal_a, legal_name="Portal Made Ltd")


def test_owners_are_yourself_or_your_reports_unless_administrator(cast: Cast) -> None:
    relationship = services.relationship_create(
        actor=cast.manager, organization=cast.org_b, side="demand", owner=cast.owner
    )
    assert relationship.owner == cast.owner
    with pytest.raises(DomainError) as refused:
        services.relationship_create(
            actor=cast.owner, organization=cast.org_b, side="demand", owner=cast.outsider
        )
    assert refused.value.field == "owner"


def test_one_current_relationship_per_side(cast: Cast) -> None:
    with pytest.raises(DuplicateError):
        services.relationship_create(actor=cast.owner, organization=cast.org_a, side="supply")
    demand = services.relationship_create(actor=cast.owner, organization=cast.org_a, side="demand")
    assert demand.side == "demand"


def test_portal_users_cannot_own_or_join(cast: Cast) -> None:
    with pytest.raises(DomainError):
        services.member_add(
            actor=cast.owner,
            relationship=cast.rel_a,
            user=cast.portal_a,
            role="sales",
            access="edit",
        )


def test_reassignment_by_manager_is_recorded_with_reason(cast: Cast) -> None:
    services.relationship_reassign(
        actor=cast.director,
        relationship=cast.rel_a,
        owner=cast.member,
        expected_version=cast.rel_a.version,
    )
    latest = Relationship.objects.get(pk=cast.rel_a.pk).history.first()
    assert latest.history_change_reason == "Reassigned"
    assert latest.history_user == cast.director
    with pytest.raises(PermissionDenied):
        services.relationship_reassign(
            actor=cast.reviewer, relationship=cast.rel_a, owner=cast.owner, expected_version=2
        )


@settings(
    max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(expected=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=6))
def test_an_update_succeeds_exactly_when_it_names_the_current_version(
    cast: Cast, expected: list[int]
) -> None:
    # given any sequence of edits, each naming some version
    organization = OrganizationFactory(owner=cast.owner)
    current = organization.version
    for number, version in enumerate(expected):
        refusal: StaleVersionError | None = None
        try:
            services.organization_update(
                actor=cast.owner,
                organization=organization,
                expected_version=version,
                description=f"edit {number}",
            )
        except StaleVersionError as error:
            refusal = error
        # then only the current version saves; a stale edit names both versions, changes nothing
        if version == current:
            assert refusal is None
            current += 1
        else:
            assert refusal is not None
            assert (refusal.expected, refusal.current) == (version, current)
        organization.refresh_from_db()
        assert organization.version == current
    assert organization.history.count() == current
