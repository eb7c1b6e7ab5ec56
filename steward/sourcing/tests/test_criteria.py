"""Evaluation criteria: each maximum in (0, 0.3], their sum at most 0.3, weighted drafts only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.core.errors import DomainError, DuplicateError
from steward.parties.tests.cast import Cast
from steward.sourcing import services
from steward.sourcing.choices import EventStatus
from steward.sourcing.models import EvaluationCriterion
from steward.sourcing.services.criteria import MAX_SUM, criteria_problem
from steward.sourcing.tests.factories import EventFactory, WeightedEventFactory

maxima = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.3"), places=4)


@given(st.lists(maxima, max_size=8))
def test_a_set_of_maxima_stands_exactly_when_it_sums_to_at_most_0_3(values: list[Decimal]) -> None:
    problem = criteria_problem(values)
    assert (problem is None) == (sum(values, Decimal(0)) <= MAX_SUM)


@given(
    st.lists(maxima, max_size=5),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).filter(
        lambda v: not Decimal(0) < v <= MAX_SUM
    ),
)
def test_a_maximum_outside_the_range_never_stands(values: list[Decimal], bad: Decimal) -> None:
    assert criteria_problem([*values, bad]) is not None


@pytest.mark.django_db
@given(st.lists(maxima, min_size=1, max_size=6))
def test_adding_criteria_one_by_one_keeps_the_sum_within_0_3(values: list[Decimal]) -> None:
    # Given a weighted draft, when criteria are added in turn, each is refused exactly when it
    # would push the sum past 0.3, and the refused ones leave nothing behind
    event = WeightedEventFactory()
    accepted: list[Decimal] = []
    for index, value in enumerate(values):
        fits = sum(accepted, Decimal(0)) + value <= MAX_SUM
        add = {"actor": event.owner, "event": event, "name": f"Feature {index}", "max_value": value}
        if fits:
            services.criterion_add(**add)
            accepted.append(value)
        else:
            with pytest.raises(DomainError) as refused:
                services.criterion_add(**add)
            assert (refused.value.field, refused.value.code) == ("max_value", "sum_too_high")
    stored = list(event.criteria.values_list("max_value", flat=True))
    assert sorted(stored) == sorted(accepted)
    assert sum(stored, Decimal(0)) <= MAX_SUM


@pytest.mark.django_db
def test_criteria_belong_to_weighted_drafts(cast: Cast) -> None:
    price_only = EventFactory()
    with pytest.raises(DomainError) as refused:
        services.criterion_add(
            actor=price_only.owner, event=price_only, name="Quality", max_value="0.1"
        )
    assert refused.value.code == "not_weighted"
    opened = WeightedEventFactory(status=EventStatus.OPEN)
    with pytest.raises(DomainError) as frozen:
        services.criterion_add(actor=opened.owner, event=opened, name="Quality", max_value="0.1")
    assert frozen.value.code == "not_draft"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-0.1", "0.31", "0.00001", "abc", "NaN"])
def test_a_maximum_must_be_a_fraction_up_to_0_3(cast: Cast, value: str) -> None:
    event = WeightedEventFactory()
    with pytest.raises(DomainError) as refused:
        services.criterion_add(actor=event.owner, event=event, name="Quality", max_value=value)
    assert refused.value.field == "max_value"
    assert not EvaluationCriterion.objects.exists()


@pytest.mark.django_db
def test_names_are_unique_and_changes_keep_the_sum(cast: Cast) -> None:
    event = WeightedEventFactory()
    quality = services.criterion_add(
        actor=event.owner, event=event, name="Quality", max_value="0.2"
    )
    services.criterion_add(actor=event.owner, event=event, name="Service", max_value="0.1")
    with pytest.raises(DuplicateError):
        services.criterion_add(actor=event.owner, event=event, name="Quality", max_value="0.05")
    with pytest.raises(DomainError, match=r"sum to 0\.35"):
        services.criterion_update(
            actor=event.owner, criterion=quality, expected_version=1, max_value="0.25"
        )
    lowered = services.criterion_update(
        actor=event.owner, criterion=quality, expected_version=1, max_value="0.15"
    )
    assert lowered.max_value == Decimal("0.15")
    services.criterion_remove(actor=event.owner, criterion=lowered)
    # a removed criterion frees its share and its name
    services.criterion_add(actor=event.owner, event=event, name="Quality", max_value="0.2")
    active = event.criteria.filter(archived_at__isnull=True)
    assert sum(active.values_list("max_value", flat=True)) == Decimal("0.3")


@pytest.mark.django_db
def test_an_event_with_criteria_keeps_its_weighted_evaluation(cast: Cast) -> None:
    event = WeightedEventFactory()
    services.criterion_add(actor=event.owner, event=event, name="Quality", max_value="0.1")
    with pytest.raises(DomainError) as refused:
        services.event_update(
            actor=event.owner,
            event=event,
            expected_version=event.version,
            evaluation_method="lowest_price",
        )
    assert (refused.value.field, refused.value.code) == ("evaluation_method", "has_criteria")
