"""What a card's standing obliges: improvement plans, the owner's manager told, and answers for
the engines that honour the other consequences (sourcing, contracts, purchase orders).

``standings_apply`` runs when a period closes (and after a correction of a closed card). It is
set-based — one query for the cards, one for the plans already open, bulk inserts — and
idempotent: a relationship with an open improvement plan gets no second one, and a manager told
about a standing in a period is not told again.

The other engines ask ``consequences_for(relationship)``: the consequences of the standing on the
relationship's latest card of a closed period (no card, or a card without a score: none).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from steward.core.models import Notification
from steward.core.notifications import Alert, notifications_send
from steward.parties.models import Relationship
from steward.people.models import Profile
from steward.scorecards.choices import PeriodStatus, PlanStatus
from steward.scorecards.models import (
    CriterionScore,
    ImprovementPlan,
    ImprovementTarget,
    Scorecard,
    ScorecardPeriod,
)
from steward.scorecards.services.templates import standings_of
from steward.scorecards.standings import Band, Consequence, Standings

PLAN_DUE_DAYS = 90
# A criterion scoring below this gets its own target on the plan, to be brought up to it.
CRITERION_TARGET = Decimal(50)

PLAN_REQUIRED_ALERT = "scorecards.improvement_plan_required"
MANAGER_ALERT = "scorecards.standing_manager"


def band_of(standings: Standings, card: Scorecard) -> Band | None:
    """The band a card stands in: the one named on the card, else the one its score falls in."""
    for band in standings.bands:
        if card.standing and band.name == card.standing:
            return band
    return standings.classify(card.score) if card.score is not None else None


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def card_url(card: Scorecard) -> str:
    return _url("scorecards:card-detail", card.pk)


def plan_url(plan: ImprovementPlan) -> str:
    return _url("scorecards:plan-detail", plan.pk)


def standings_apply(*, period: ScorecardPeriod) -> None:
    """Honour the consequences of every card of ``period`` that the engine itself carries out.

    Only cards in a band that carries such a consequence are loaded: a period of thousands of
    cards usually has a handful of them, and the close must stay set-based.
    """
    acting = {Consequence.REQUIRE_IMPROVEMENT_PLAN, Consequence.NOTIFY_OWNER_MANAGER}
    names = [
        band.name for band in standings_of(period.template).bands if band.consequences & acting
    ]
    if not names:
        return
    cards = (
        Scorecard.objects.filter(period=period, score__isnull=False, standing__in=names)
        .select_related("relationship__organization", "relationship__owner", "period__template")
        .order_by("pk")
    )
    apply_to_cards(cards)


def apply_to_cards(cards: Iterable[Scorecard]) -> None:
    """Plans where a standing requires one, notifications to managers where it says so."""
    cards = list(cards)
    if not cards:
        return
    needs_plan: list[tuple[Scorecard, Standings, Band]] = []
    tell_manager: list[tuple[Scorecard, Band]] = []
    standings_by_template: dict[int, Standings] = {}
    for card in cards:
        template = card.period.template
        if template.pk not in standings_by_template:
            standings_by_template[template.pk] = standings_of(template)
        standings = standings_by_template[template.pk]
        band = band_of(standings, card)
        if band is None:
            continue
        if Consequence.REQUIRE_IMPROVEMENT_PLAN in band.consequences:
            needs_plan.append((card, standings, band))
        if Consequence.NOTIFY_OWNER_MANAGER in band.consequences:
            tell_manager.append((card, band))
    with transaction.atomic():
        if needs_plan:
            _plans_create(needs_plan)
        if tell_manager:
            _managers_notify(tell_manager)


def _plans_create(needs_plan: list[tuple[Scorecard, Standings, Band]]) -> None:
    relationship_ids = [card.relationship_id for card, _, _ in needs_plan]
    # Lock the relationships in a stable order so two closes cannot both add a plan.
    list(
        Relationship.objects.select_for_update()
        .filter(pk__in=relationship_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with_open_plan = set(
        ImprovementPlan.objects.filter(
            relationship_id__in=relationship_ids,
            status=PlanStatus.OPEN,
            archived_at__isnull=True,
        ).values_list("relationship_id", flat=True)
    )
    # A relationship scored by two templates in one go still gets one plan.
    todo: list[tuple[Scorecard, Standings, Band]] = []
    for item in needs_plan:
        if item[0].relationship_id not in with_open_plan:
            with_open_plan.add(item[0].relationship_id)
            todo.append(item)
    if not todo:
        return
    today = timezone.localdate()
    due_on = today + dt.timedelta(days=PLAN_DUE_DAYS)
    plans = [
        ImprovementPlan(
            relationship=card.relationship,
            card=card,
            title=f"Improvement plan: {card.relationship.organization}"[:200],
            summary=(
                f"{card.relationship.organization} scored {card.score} in {card.period.label}, "
                f"which stands “{band.name}” and requires an improvement plan."
            ),
            owner_id=card.relationship.owner_id,
            status=PlanStatus.OPEN,
            due_on=due_on,
        )
        for card, _, band in todo
    ]
    plans = bulk_create_with_history(
        plans,
        ImprovementPlan,
        batch_size=500,
        default_change_reason="Required by the standing",
    )
    # Databases that return no keys from a bulk insert: read the new plans back.
    if any(plan.pk is None for plan in plans):
        by_card = {
            p.card_id: p
            for p in ImprovementPlan.objects.filter(
                card_id__in=[card.pk for card, _, _ in todo], status=PlanStatus.OPEN
            )
        }
        plans = [by_card[card.pk] for card, _, _ in todo]
    low = _low_criteria([card.pk for card, _, _ in todo])
    targets: list[ImprovementTarget] = []
    for plan, (card, standings, band) in zip(plans, todo, strict=True):
        targets.append(
            ImprovementTarget(
                plan=plan,
                criterion_code="",
                label=f"Overall score out of “{band.name}”",
                target_score=standings.upper(band),
                due_on=due_on,
            )
        )
        targets.extend(
            ImprovementTarget(
                plan=plan,
                criterion_code=code,
                label=name[:120],
                target_score=CRITERION_TARGET,
                due_on=due_on,
            )
            for code, name in low.get(card.pk, [])
        )
    bulk_create_with_history(
        targets,
        ImprovementTarget,
        batch_size=1000,
        default_change_reason="Required by the standing",
    )
    notifications_send(
        Alert(
            recipient_id=plan.owner_id,
            kind=PLAN_REQUIRED_ALERT,
            title=f"An improvement plan is required for {card.relationship.organization}",
            body=(
                f"{card.relationship.organization} stands “{band.name}” ({card.score}) in "
                f"{card.period.label}. Agree the plan's targets by {plan.due_on:%d %b %Y}."
            ),
            url=plan_url(plan),
        )
        for plan, (card, _, band) in zip(plans, todo, strict=True)
    )


def _low_criteria(card_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = (
        CriterionScore.objects.filter(card_id__in=card_ids, score__lt=CRITERION_TARGET)
        .order_by("card_id", "criterion__position", "pk")
        .values_list("card_id", "criterion__code", "criterion__name")
    )
    low: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for card_id, code, name in rows:
        low[card_id].append((code, name))
    return low


def _manager_title(card: Scorecard, band: Band) -> str:
    return f"{card.relationship.organization} stands “{band.name}” in {card.period.label}"[:200]


def _managers_notify(tell_manager: list[tuple[Scorecard, Band]]) -> None:
    owner_ids = {card.relationship.owner_id for card, _ in tell_manager}
    managers = dict(
        Profile.objects.filter(
            user_id__in=owner_ids, manager__isnull=False, manager__is_active=True
        ).values_list("user_id", "manager_id")
    )
    wanted = [
        (managers[card.relationship.owner_id], card, band)
        for card, band in tell_manager
        if card.relationship.owner_id in managers
    ]
    if not wanted:
        return
    told = set(
        Notification.objects.filter(
            kind=MANAGER_ALERT,
            recipient_id__in={manager for manager, _, _ in wanted},
            title__in={_manager_title(card, band) for _, card, band in wanted},
        ).values_list("recipient_id", "title")
    )
    alerts = []
    for manager_id, card, band in wanted:
        title = _manager_title(card, band)
        if (manager_id, title) in told:
            continue
        told.add((manager_id, title))
        alerts.append(
            Alert(
                recipient_id=manager_id,
                kind=MANAGER_ALERT,
                title=title,
                body=(
                    f"{card.relationship.organization}, owned by "
                    f"{card.relationship.owner.get_full_name() or card.relationship.owner}, "
                    f"scored {card.score} in {card.period.label}."
                ),
                url=card_url(card),
            )
        )
    notifications_send(alerts)


# --- what other engines ask ----------------------------------------------------------------------


def _closed_cards(relationship: Relationship | int) -> QuerySet[Scorecard]:
    relationship_id = relationship if isinstance(relationship, int) else relationship.pk
    return (
        Scorecard.objects.filter(
            relationship_id=relationship_id, period__status=PeriodStatus.CLOSED
        )
        .select_related("period__template", "relationship__organization")
        .order_by("-period__ends_on", "-period__closed_at", "-pk")
    )


def standing_of(relationship: Relationship | int) -> Scorecard | None:
    """The relationship's latest card of a closed period (its score and standing), if any."""
    return _closed_cards(relationship).first()


def _consequences_of(card: Scorecard | None) -> frozenset[Consequence]:
    if card is None or card.score is None:
        return frozenset()
    band = band_of(standings_of(card.period.template), card)
    return band.consequences if band is not None else frozenset()


def consequences_for(relationship: Relationship | int) -> frozenset[Consequence]:
    """What the relationship's current standing obliges; nothing without a scored closed card."""
    return _consequences_of(standing_of(relationship))


def sourcing_blocked(relationship: Relationship | int) -> bool:
    """Whether the standing blocks new sourcing invitations to the counterparty."""
    return Consequence.BLOCK_SOURCING in consequences_for(relationship)


def commitment_warnings(relationship: Relationship | int) -> list[str]:
    """Warnings to show before committing more business (a contract, a purchase order)."""
    card = standing_of(relationship)
    if card is None or Consequence.WARN_NEW_COMMITMENTS not in _consequences_of(card):
        return []
    warning = (
        f"{card.relationship.organization} stands “{card.standing}” ({card.score}) on its "
        f"scorecard for {card.period.label}; think twice before committing more business."
    )
    return [warning]
