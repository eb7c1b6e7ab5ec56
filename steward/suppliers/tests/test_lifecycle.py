"""The vendor lifecycle: every pair of stages, random walks, the checklist and prequalification."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from steward.core.errors import DomainError, TransitionError
from steward.parties.models import Relationship
from steward.parties.tests.cast import Cast, build_cast
from steward.parties.tests.factories import OrganizationFactory
from steward.suppliers import lifecycle, services
from steward.suppliers.choices import ChecklistItemCode, Stage
from steward.suppliers.models import ChecklistItem, LifecycleTransition, Prequalification, Supplier
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def new_vendor(cast: Cast, **kwargs: Any) -> Supplier:
    organization = OrganizationFactory(owner=cast.owner)
    return services.supplier_create(
        actor=cast.owner, organization=organization, owner=cast.owner, **kwargs
    )


def tick(cast: Cast, supplier: Supplier, codes: tuple[str, ...]) -> None:
    for item in ChecklistItem.objects.filter(supplier=supplier, code__in=codes):
        services.checklist_set(actor=cast.owner, item=item, done=True)


def put_in_stage(supplier: Supplier, stage: str) -> None:
    Supplier.objects.filter(pk=supplier.pk).update(stage=stage)
    supplier.refresh_from_db()


@pytest.mark.parametrize("from_stage", Stage.values)
@pytest.mark.parametrize("to_stage", Stage.values)
def test_every_pair_of_stages_is_allowed_exactly_when_the_table_says(
    cast: Cast, from_stage: str, to_stage: str
) -> None:
    # given a vendor in from_stage with its whole checklist done
    supplier = new_vendor(cast)
    tick(cast, supplier, lifecycle.ALL_CHECKLIST_ITEMS)
    put_in_stage(supplier, from_stage)
    before = LifecycleTransition.objects.count()
    # when it is asked to move to to_stage
    if to_stage in lifecycle.TRANSITIONS[from_stage]:
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=to_stage, reason="t"
        )
        supplier.refresh_from_db()
        assert supplier.stage == to_stage
        assert LifecycleTransition.objects.count() == before + 1
    else:
        with pytest.raises(TransitionError) as refused:
            services.supplier_transition(
                actor=cast.owner, supplier=supplier, to_stage=to_stage, reason="t"
            )
        assert Stage(from_stage).label in refused.value.message
        supplier.refresh_from_db()
        assert supplier.stage == from_stage
        assert LifecycleTransition.objects.count() == before


def test_an_incomplete_checklist_blocks_the_way_forward_and_names_what_is_missing(
    cast: Cast,
) -> None:
    supplier = new_vendor(cast)
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.QUALIFICATION, reason="RFI answered"
    )
    with pytest.raises(TransitionError) as refused:
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=Stage.ONBOARDING, reason="go"
        )
    assert refused.value.code == "checklist_incomplete"
    assert "documents received" in refused.value.message
    tick(
        cast,
        supplier,
        (ChecklistItemCode.DOCUMENTS_RECEIVED, ChecklistItemCode.SECURITY_REVIEW_DONE),
    )
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.ONBOARDING, reason="qualified"
    )
    with pytest.raises(TransitionError) as refused:
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=Stage.ACTIVE, reason="go"
        )
    assert "contract signed" in refused.value.message


def test_a_transition_needs_a_reason_and_permission(cast: Cast) -> None:
    supplier = new_vendor(cast)
    with pytest.raises(DomainError):
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=Stage.QUALIFICATION, reason=" "
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.supplier_transition(
            actor=cast.outsider, supplier=supplier, to_stage=Stage.QUALIFICATION, reason="x"
        )


def test_a_long_reason_is_kept_whole_on_the_transition_and_cut_in_the_history_line(
    cast: Cast,
) -> None:
    # given a reason longer than the history's one-line summary holds
    supplier = new_vendor(cast)
    reason = "Board approved the shortlist after the market scan. " * 6
    # when the vendor moves on
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.QUALIFICATION, reason=reason
    )
    # then the transition keeps every word and the history line is cut to fit, not refused
    assert LifecycleTransition.objects.get(supplier=supplier).reason == reason.strip()
    line = supplier.history.order_by("-history_id").first().history_change_reason
    assert len(line) == 100
    assert line.endswith("…")


def test_passing_qualification_prequalifies_every_category_for_two_years(cast: Cast) -> None:
    cloud, network = CategoryFactory(name="Cloud hosting"), CategoryFactory(name="Networks")
    supplier = new_vendor(cast, categories=[cloud, network])
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.QUALIFICATION, reason="r"
    )
    tick(cast, supplier, lifecycle.CHECKLIST[Stage.QUALIFICATION])
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.ONBOARDING, reason="r"
    )
    grants = Prequalification.objects.filter(supplier=supplier)
    assert {g.category for g in grants} == {cloud, network}
    today = timezone.localdate()
    assert all(
        dt.timedelta(days=700) < g.expires_on - today < dt.timedelta(days=740) for g in grants
    )


def test_offboarding_revokes_prequalification_and_re_engaging_restarts_the_checklist(
    cast: Cast,
) -> None:
    category = CategoryFactory()
    supplier = new_vendor(cast, categories=[category])
    tick(cast, supplier, lifecycle.ALL_CHECKLIST_ITEMS)
    for stage in (
        Stage.QUALIFICATION,
        Stage.ONBOARDING,
        Stage.ACTIVE,
        Stage.EXITING,
        Stage.OFFBOARDED,
    ):
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=stage, reason="r"
        )
    grant = Prequalification.objects.get(supplier=supplier)
    assert grant.revoked_on == timezone.localdate()
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.PROSPECT, reason="new tender"
    )
    assert not ChecklistItem.objects.filter(supplier=supplier, done=True).exists()
    assert Relationship.objects.get(pk=supplier.pk).status == "prospect"


def test_checklist_items_of_a_passed_stage_are_locked(cast: Cast) -> None:
    supplier = new_vendor(cast)
    tick(cast, supplier, lifecycle.ALL_CHECKLIST_ITEMS)
    for stage in (Stage.QUALIFICATION, Stage.ONBOARDING, Stage.ACTIVE):
        services.supplier_transition(
            actor=cast.owner, supplier=supplier, to_stage=stage, reason="r"
        )
    item = ChecklistItem.objects.get(supplier=supplier, code=ChecklistItemCode.CONTRACT_SIGNED)
    with pytest.raises(DomainError) as refused:
        services.checklist_set(actor=cast.owner, item=item, done=False)
    assert refused.value.code == "locked"


def test_prequalification_needs_a_qualified_stage_and_a_future_expiry(cast: Cast) -> None:
    supplier = new_vendor(cast)
    category = CategoryFactory()
    with pytest.raises(DomainError) as refused:
        services.prequalification_grant(actor=cast.owner, supplier=supplier, category=category)
    assert refused.value.code == "wrong_stage"
    services.supplier_transition(
        actor=cast.owner, supplier=supplier, to_stage=Stage.QUALIFICATION, reason="r"
    )
    with pytest.raises(DomainError):
        services.prequalification_grant(
            actor=cast.owner, supplier=supplier, category=category, expires_on=timezone.localdate()
        )
    grant = services.prequalification_grant(actor=cast.owner, supplier=supplier, category=category)
    services.prequalification_revoke(actor=cast.owner, grant=grant, reason="Failed audit")
    grant.refresh_from_db()
    assert grant.revoked_reason == "Failed audit"


class LifecycleWalk(RuleBasedStateMachine):
    """Random sequences of checklist ticks and transition attempts, allowed or not."""

    def __init__(self) -> None:
        super().__init__()
        self.cast = build_cast()
        self.supplier = new_vendor(self.cast)
        self.moves = 0

    @rule(code=st.sampled_from(lifecycle.ALL_CHECKLIST_ITEMS), done=st.booleans())
    def set_checklist_item(self, code: str, done: bool) -> None:
        item = ChecklistItem.objects.get(supplier=self.supplier, code=code)
        stage = Supplier.objects.get(pk=self.supplier.pk).stage
        open_until = {Stage.PROSPECT, Stage.QUALIFICATION}
        if code in lifecycle.CHECKLIST[Stage.ONBOARDING]:
            open_until.add(Stage.ONBOARDING)
        locked = stage not in open_until
        if locked:
            with pytest.raises(DomainError) as caught:
                services.checklist_set(actor=self.cast.owner, item=item, done=done)
            assert caught.value.code == "locked"
        else:
            services.checklist_set(actor=self.cast.owner, item=item, done=done)

    @rule(to_stage=st.sampled_from(Stage.values))
    def try_to_move(self, to_stage: str) -> None:
        try:
            services.supplier_transition(
                actor=self.cast.owner, supplier=self.supplier, to_stage=to_stage, reason="walk"
            )
        except TransitionError:
            return
        self.moves += 1

    @rule()
    def try_the_usual_next_stage(self) -> None:
        # Random stages rarely chain far; this rule keeps walks moving along the usual path.
        usual: dict[str, str] = {
            Stage.PROSPECT: Stage.QUALIFICATION,
            Stage.QUALIFICATION: Stage.ONBOARDING,
            Stage.ONBOARDING: Stage.ACTIVE,
            Stage.ACTIVE: Stage.UNDER_REVIEW,
            Stage.UNDER_REVIEW: Stage.ACTIVE,
            Stage.EXITING: Stage.OFFBOARDED,
            Stage.OFFBOARDED: Stage.PROSPECT,
        }
        self.try_to_move(usual[Supplier.objects.get(pk=self.supplier.pk).stage])

    @invariant()
    def no_active_vendor_with_an_incomplete_checklist(self) -> None:
        stage = Supplier.objects.get(pk=self.supplier.pk).stage
        if stage in (Stage.ACTIVE, Stage.UNDER_REVIEW):
            open_items = ChecklistItem.objects.filter(supplier=self.supplier, done=False)
            assert not open_items.exists()

    @invariant()
    def every_transition_is_recorded_and_they_chain(self) -> None:
        transitions = list(
            LifecycleTransition.objects.filter(supplier=self.supplier).order_by("pk")
        )
        assert len(transitions) == self.moves
        stage: str = Stage.PROSPECT
        for transition in transitions:
            assert transition.from_stage == stage
            assert transition.to_stage in lifecycle.TRANSITIONS[stage]
            stage = transition.to_stage
        assert Supplier.objects.get(pk=self.supplier.pk).stage == stage


def test_random_walks_keep_the_invariants(db: Any) -> None:
    # given random sequences of checklist changes and transition attempts (allowed or not)
    # then no active vendor ever has an open checklist item, and every move is recorded
    _run_in_savepoints(LifecycleWalk)


def _run_in_savepoints(machine: type[RuleBasedStateMachine]) -> None:
    """Run the state machine with each example inside a rolled-back savepoint."""
    from django.db import transaction
    from hypothesis.stateful import run_state_machine_as_test

    def factory() -> RuleBasedStateMachine:
        atomic = transaction.atomic()
        atomic.__enter__()
        instance = machine()
        original_teardown = instance.teardown

        def teardown() -> None:
            original_teardown()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

        instance.teardown = teardown  # type: ignore[method-assign]
        return instance

    run_state_machine_as_test(
        factory,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
