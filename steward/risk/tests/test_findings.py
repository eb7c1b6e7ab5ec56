"""The finding status machine, walked pair by pair, and the vendor's answer."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from steward.core.errors import DomainError, TransitionError
from steward.parties.tests.cast import Cast
from steward.risk import findings_lifecycle, services
from steward.risk.choices import FindingStatus
from steward.risk.models import Finding
from steward.risk.tests.helpers import vendor_of, vendors

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(FindingStatus.values, repeat=2))


def _finding(cast: Cast, **fields: object) -> Finding:
    return services.finding_open(
        actor=cast.owner,
        supplier=vendor_of(cast.rel_a),
        source="assessment",
        title="Weak TLS",
        severity="medium",
        **fields,
    )


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_every_move_is_allowed_exactly_as_the_table_says(cast: Cast, start: str, to: str) -> None:
    finding = _finding(cast)
    Finding.objects.filter(pk=finding.pk).update(status=start)
    finding.refresh_from_db()
    if to in findings_lifecycle.allowed_next(start):
        moved = services.finding_transition(
            actor=cast.owner, finding=finding, to_status=to, note="Why"
        )
        assert moved.status == to
        assert (moved.closed_at is not None) == (to in findings_lifecycle.DONE)
    else:
        with pytest.raises(TransitionError):
            services.finding_transition(actor=cast.owner, finding=finding, to_status=to, note="Why")
        finding.refresh_from_db()
        assert finding.status == start


def test_closing_and_reopening_need_a_note(cast: Cast) -> None:
    finding = _finding(cast)
    with pytest.raises(DomainError) as refused:
        services.finding_transition(actor=cast.owner, finding=finding, to_status="closed")
    assert refused.value.field == "note"
    # Starting remediation needs none.
    moved = services.finding_transition(actor=cast.owner, finding=finding, to_status="remediating")
    assert moved.status == FindingStatus.REMEDIATING


def test_the_vendor_answers_only_its_own_shared_findings(cast: Cast) -> None:
    _, vendor_b = vendors(cast)
    shared = _finding(cast)
    private = _finding(cast, shared_with_portal=False)
    with pytest.raises(PermissionDenied):
        services.finding_respond(actor=cast.portal_b, finding=shared, remediation_plan="x")
    with pytest.raises(PermissionDenied):
        services.finding_respond(actor=cast.portal_a, finding=private, remediation_plan="x")
    with pytest.raises(PermissionDenied):
        services.finding_respond(actor=cast.reviewer, finding=shared, remediation_plan="x")
    with pytest.raises(DomainError) as refused:
        services.finding_respond(actor=cast.portal_a, finding=shared, remediation_plan="  ")
    assert refused.value.field == "remediation_plan"
    answered = services.finding_respond(
        actor=cast.portal_a, finding=shared, remediation_plan="Rotate certificates by June"
    )
    assert answered.status == FindingStatus.REMEDIATING
    assert answered.history.order_by("-history_id").first().history_user == cast.portal_a
    services.finding_transition(actor=cast.owner, finding=answered, to_status="closed", note="Done")
    with pytest.raises(DomainError) as closed:
        services.finding_respond(actor=cast.portal_a, finding=answered, remediation_plan="More")
    assert closed.value.code == "not_open"
    assert vendor_b.findings.count() == 0
