from __future__ import annotations

import pytest

from steward.core.access import Action, allows
from steward.parties import selectors
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_relationships_are_visible_to_owner_team_managers_auditors_and_admins(cast: Cast) -> None:
    # given the cast, when each person lists relationships, then only the policy's rows show
    expected = {
        "admin": {cast.rel_a, cast.rel_b},
        "auditor": {cast.rel_a, cast.rel_b},
        "director": {cast.rel_a},
        "manager": {cast.rel_a},
        "owner": {cast.rel_a},
        "member": {cast.rel_a},
        "reviewer": {cast.rel_a},
        "outsider": {cast.rel_b},
        "portal_a": set(),
        "portal_b": set(),
    }
    for role, rows in expected.items():
        assert set(selectors.relationship_list(user=cast.user(role))) == rows, role


def test_reviewers_read_but_do_not_change(cast: Cast) -> None:
    assert allows(cast.reviewer, Action.VIEW, cast.rel_a)
    assert not allows(cast.reviewer, Action.CHANGE, cast.rel_a)
    assert allows(cast.member, Action.CHANGE, cast.rel_a)
    assert not allows(cast.member, Action.REASSIGN, cast.rel_a)
    assert allows(cast.director, Action.REASSIGN, cast.rel_a)
    assert not allows(cast.director, Action.CHANGE, cast.rel_a)


def test_portal_users_see_only_their_organization_and_what_was_shared(cast: Cast) -> None:
    assert list(selectors.organization_list(user=cast.portal_a)) == [cast.org_a]
    assert list(selectors.site_list(user=cast.portal_a)) == [cast.site_a_shared]
    assert list(selectors.contact_list(user=cast.portal_a)) == [cast.contact_a_shared]
    assert list(selectors.organization_list(user=cast.portal_b)) == [cast.org_b]


def test_organizations_are_a_directory_for_internal_users_but_changeable_by_few(cast: Cast) -> None:
    assert set(selectors.organization_list(user=cast.outsider)) == {cast.org_a, cast.org_b}
    assert allows(cast.member, Action.CHANGE, cast.org_a)  # edits the relationship on it
    assert not allows(cast.reviewer, Action.CHANGE, cast.org_a)
    assert not allows(cast.outsider, Action.CHANGE, cast.org_a)
    assert not allows(cast.auditor, Action.CHANGE, cast.org_a)
