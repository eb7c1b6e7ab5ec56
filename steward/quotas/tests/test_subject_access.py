"""The access policy's ``subject`` rule on quotas and training objectives: the person and their
managers read, only the managers (and administrators) change; peers, auditors' writes and
portal users get nothing."""

from __future__ import annotations

import pytest

from steward.core.access import Action, allows, manages
from steward.parties.tests.cast import Cast
from steward.quotas.models import Quota, TrainingObjective
from steward.quotas.tests.factories import QuotaFactory, TrainingFactory

pytestmark = pytest.mark.django_db

READ = {"admin", "auditor", "director", "manager", "owner"}
CHANGE = {"admin", "director", "manager"}
ROLES = (
    "admin",
    "auditor",
    "director",
    "manager",
    "owner",
    "member",
    "reviewer",
    "outsider",
    "portal_a",
    "portal_b",
)


@pytest.mark.parametrize("model", [Quota, TrainingObjective])
def test_who_reads_and_changes_a_record_about_owner(cast: Cast, model: type) -> None:
    record = (QuotaFactory if model is Quota else TrainingFactory)(person=cast.owner)
    for role in ROLES:
        user = cast.user(role)
        visible = model.objects.restrict(user, Action.VIEW).filter(pk=record.pk).exists()
        assert visible == (role in READ), role
        assert allows(user, Action.CHANGE, record) == (role in CHANGE), role
        assert allows(user, Action.DELETE, record) == (role in CHANGE), role
        assert not allows(user, Action.REASSIGN, record) or role == "admin", role


def test_managers_are_who_may_set_targets(cast: Cast) -> None:
    assert manages(cast.manager, cast.owner)
    assert manages(cast.director, cast.owner)  # indirectly
    assert manages(cast.admin, cast.owner)
    assert not manages(cast.owner, cast.owner)  # nobody sets their own
    assert not manages(cast.outsider, cast.owner)  # a peer
    assert not manages(cast.auditor, cast.owner)
    assert not manages(cast.portal_a, cast.owner)
    assert not manages(cast.owner, cast.manager)  # not upwards


def test_peers_never_see_each_others(cast: Cast) -> None:
    mine, theirs = QuotaFactory(person=cast.owner), QuotaFactory(person=cast.outsider)
    assert list(Quota.objects.restrict(cast.owner, Action.VIEW)) == [mine]
    assert list(Quota.objects.restrict(cast.outsider, Action.VIEW)) == [theirs]
    assert set(Quota.objects.restrict(cast.manager, Action.VIEW)) == {mine}
