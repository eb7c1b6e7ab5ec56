"""Reads of the satisfaction app, every one starting from the access policy."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from steward.core.access import Action, get_for_user
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship
from steward.satisfaction.choices import BUYING_ROLES, SurveyKind
from steward.satisfaction.models import (
    MeetingCadence,
    SatisfactionResponse,
    SatisfactionStandard,
    SurveyRequest,
)
from steward.satisfaction.reporting import Standard, meets_standard
from steward.satisfaction.services.standard import cadence_days, standard_current
from steward.satisfaction.tallies import Tally, roll_up, tallies_by_account

DETRACTOR_DAYS = 90
HEALTH_DROP = Decimal(10)  # points a closed health card may fall before it is a warning


# --- accounts ------------------------------------------------------------------------------------


def account_list(*, user: Any) -> QuerySet[Relationship]:
    """The live customer accounts the user may see (their own, their team's, their reports')."""
    return Relationship.objects.restrict(user, Action.VIEW).filter(
        side=Side.DEMAND, archived_at__isnull=True
    )


def account_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> Relationship:
    return get_for_user(
        Relationship.objects.filter(side=Side.DEMAND).select_related("organization", "owner"),
        user=user,
        pk=pk,
        action=action,
    )


# --- responses -----------------------------------------------------------------------------------


def response_list(*, user: Any) -> QuerySet[SatisfactionResponse]:
    return SatisfactionResponse.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "contact", "site", "entered_by"
    )


def response_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> SatisfactionResponse:
    return get_for_user(
        SatisfactionResponse.objects.select_related("relationship__organization", "contact"),
        user=user,
        pk=pk,
        action=action,
    )


def survey_request_list(*, user: Any) -> QuerySet[SurveyRequest]:
    return SurveyRequest.objects.restrict(user, Action.VIEW).select_related(
        "relationship__organization", "contact", "sent_by"
    )


def standard_for(*, user: Any) -> SatisfactionStandard:
    standard = standard_current()
    return get_for_user(SatisfactionStandard.objects.all(), user=user, pk=standard.pk)


def cadence_list(*, user: Any) -> QuerySet[MeetingCadence]:
    return MeetingCadence.objects.restrict(user, Action.VIEW).filter(archived_at__isnull=True)


def cadence_get(*, user: Any, pk: Any, action: Action = Action.VIEW) -> MeetingCadence:
    return get_for_user(
        MeetingCadence.objects.filter(archived_at__isnull=True), user=user, pk=pk, action=action
    )


def as_standard(record: SatisfactionStandard) -> Standard:
    return Standard(record.nps_minimum, record.csat_minimum_pct, record.minimum_responses)


def window_start(record: SatisfactionStandard, today: dt.date) -> dt.date:
    return today - relativedelta(months=record.window_months) + dt.timedelta(days=1)


# --- summaries -----------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    key: Any
    label: str
    tally: Tally
    accounts: int = 0
    meets: bool | None = None


def summary(
    *, user: Any, start: dt.date, end: dt.date, by: str = "account"
) -> tuple[list[SummaryRow], Tally]:
    """NPS and CSAT per account, per owner or overall over a period: two queries.

    ``by`` is ``account`` or ``owner``; a team's figure is its manager's row of ``owner`` rolled
    up (the counts are added, never the percentages averaged).
    """
    accounts = list(
        account_list(user=user)
        .select_related("organization", "owner")
        .order_by("organization__display_name", "pk")
    )
    tallies = tallies_by_account([a.pk for a in accounts], start, end)
    rows: list[SummaryRow] = []
    if by == "owner":
        grouped: dict[int, SummaryRow] = {}
        for account in accounts:
            row = grouped.setdefault(
                account.owner_id,
                SummaryRow(
                    account.owner, account.owner.get_full_name() or str(account.owner), Tally()
                ),
            )
            row.tally = row.tally + tallies.get(account.pk, Tally())
            row.accounts += 1
        rows = sorted(grouped.values(), key=lambda r: r.label.lower())
    else:
        rows = [
            SummaryRow(a, a.organization.display_name, tallies.get(a.pk, Tally()), 1)
            for a in accounts
        ]
    return rows, roll_up(tallies.values())


def standard_judgement(relationship_ids: Iterable[int], today: dt.date) -> dict[int, bool | None]:
    """Whether each account meets the standard over its window (None: too few responses)."""
    record = standard_current()
    ids = list(relationship_ids)
    tallies = tallies_by_account(ids, window_start(record, today), today)
    standard = as_standard(record)
    return {
        rid: meets_standard(t.nps, t.csat, standard)
        for rid, t in ((rid, tallies.get(rid, Tally())) for rid in ids)
    }


# --- problems (issues of the shared engine) ------------------------------------------------------


def open_problems(*, user: Any, relationship: Relationship) -> list[Any]:
    """The account's open issues the user may see, oldest first, with age and lateness."""
    from steward.issues.lifecycle import OPEN
    from steward.issues.models import Issue

    now = timezone.now()
    rows = list(
        Issue.objects.restrict(user, Action.VIEW)
        .filter(relationship=relationship, status__in=OPEN, archived_at__isnull=True)
        .order_by("opened_at", "pk")
    )
    for issue in rows:
        issue.age_days = (now - issue.opened_at).days  # type: ignore[attr-defined]
        issue.overdue = issue.resolve_by < now  # type: ignore[attr-defined]
    return rows


# --- who have I not met --------------------------------------------------------------------------


@dataclass
class NotMet:
    contact: Contact
    relationship: Relationship
    last_met: dt.date | None
    cadence: int
    due_since: dt.date | None


def not_met(*, user: Any, today: dt.date | None = None) -> list[NotMet]:
    """Buying contacts of the user's accounts not met face to face within their tier's cadence,
    oldest (never met first) first. Two queries: the contacts with their last meeting, and the
    cadence."""
    from steward.reviews.models import Activity

    today = today or timezone.localdate()
    cadence = cadence_days()
    accounts = {a.pk: a for a in account_list(user=user).select_related("organization", "owner")}
    if not accounts:
        return []
    by_org: dict[int, list[Relationship]] = defaultdict(list)
    for account in accounts.values():
        by_org[account.organization_id].append(account)
    last_met = (
        Activity.objects.filter(
            face_to_face=True,
            archived_at__isnull=True,
            contacts=OuterRef("pk"),
            relationship__side=Side.DEMAND,
        )
        .order_by()
        .values("contacts")
        .annotate(last=Max("occurred_on"))
        .values("last")
    )
    contacts = (
        Contact.objects.filter(
            organization_id__in=by_org,
            archived_at__isnull=True,
            roles__code__in=BUYING_ROLES,
        )
        .distinct()
        .annotate(last_met=Subquery(last_met))
        .select_related("organization", "site")
    )
    found: list[NotMet] = []
    for contact in contacts:
        for account in by_org[contact.organization_id]:
            days = cadence.get(account.tier, 90)
            last = contact.last_met
            if last is None or (today - last).days > days:
                due = None if last is None else last + dt.timedelta(days=days)
                found.append(NotMet(contact, account, last, days, due))
    found.sort(key=lambda n: (n.last_met is not None, n.last_met or dt.date.min, str(n.contact)))
    return found


# --- early warnings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthWarning:
    relationship_id: int
    account: str
    kind: str
    what: str
    since: dt.date | None
    url: str


WARNING_KINDS = {
    "health_decline": "Health score falling",
    "nps_decline": "NPS down on the quarter",
    "detractor": "Detractor",
    "overdue_problem": "Overdue problem",
    "not_met": "Not met face to face",
}


def warnings_for(
    relationship_ids: Iterable[int], *, today: dt.date | None = None
) -> list[HealthWarning]:
    """Early warnings of the accounts given, computed now: a fixed number of queries.

    Callers pass ids the user may see (``account_list``); the evidence links go through the
    access policy again when followed.
    """
    today = today or timezone.localdate()
    accounts = {
        a.pk: a
        for a in Relationship.objects.filter(
            pk__in=list(relationship_ids), side=Side.DEMAND, archived_at__isnull=True
        ).select_related("organization")
    }
    if not accounts:
        return []
    ids = list(accounts)
    names = {pk: a.organization.display_name for pk, a in accounts.items()}
    found: list[HealthWarning] = []
    found += _health_declines(ids, names)
    found += _nps_declines(ids, names, today)
    found += _detractors(ids, names, today)
    found += _overdue_problems(ids, names)
    found += _not_met_accounts(accounts, names, today)
    found.sort(key=lambda w: (w.account.lower(), w.since or dt.date.min, w.kind))
    return found


def _health_declines(ids: list[int], names: dict[int, str]) -> list[HealthWarning]:
    from steward.scorecards.choices import PeriodStatus
    from steward.scorecards.models import Scorecard

    cards = (
        Scorecard.objects.filter(
            relationship_id__in=ids,
            period__status=PeriodStatus.CLOSED,
            period__template__side=Side.DEMAND,
            score__isnull=False,
        )
        .order_by("relationship_id", "-period__ends_on", "-pk")
        .values_list("relationship_id", "pk", "score", "period__ends_on")
    )
    latest: dict[int, list[tuple[int, Decimal, dt.date]]] = defaultdict(list)
    for rid, pk, score, ends_on in cards:
        if score is not None and len(latest[rid]) < 2:
            latest[rid].append((pk, score, ends_on))
    found = []
    for rid, pair in latest.items():
        if len(pair) == 2 and pair[1][1] - pair[0][1] > HEALTH_DROP:
            found.append(
                HealthWarning(
                    rid,
                    names[rid],
                    "health_decline",
                    f"Health score {pair[0][1]:.0f}, down from {pair[1][1]:.0f}",
                    pair[0][2],
                    reverse("scorecards:card-detail", args=[pair[0][0]]),
                )
            )
    return found


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(day=1, month=day.month - (day.month - 1) % 3)


def _nps_declines(ids: list[int], names: dict[int, str], today: dt.date) -> list[HealthWarning]:
    """The latest quarter's NPS below the quarter before's (both with responses)."""
    from steward.satisfaction.tallies import tallies_by_account_quarter

    this_quarter = _quarter_start(today)
    last_quarter = _quarter_start(this_quarter - dt.timedelta(days=1))
    by_account = tallies_by_account_quarter(ids, last_quarter, today)
    found = []
    for rid, quarters in by_account.items():
        now, before = quarters.get(this_quarter), quarters.get(last_quarter)
        if now is None or before is None:
            continue
        if (
            now.nps.score is not None
            and before.nps.score is not None
            and now.nps.score < before.nps.score
        ):
            found.append(
                HealthWarning(
                    rid,
                    names[rid],
                    "nps_decline",
                    f"NPS {now.nps.score:+.0f} this quarter ({now.nps.count}), "
                    f"{before.nps.score:+.0f} the quarter before ({before.nps.count})",
                    this_quarter,
                    reverse("satisfaction:response-list") + f"?relationship={rid}&kind=nps",
                )
            )
    return found


def _detractors(ids: list[int], names: dict[int, str], today: dt.date) -> list[HealthWarning]:
    since = today - dt.timedelta(days=DETRACTOR_DAYS)
    rows = (
        SatisfactionResponse.objects.filter(
            relationship_id__in=ids,
            archived_at__isnull=True,
            kind=SurveyKind.NPS,
            score__lte=6,
            answered_on__gte=since,
        )
        .order_by("relationship_id", "-answered_on", "-pk")
        .values_list("relationship_id", "pk", "score", "answered_on")
    )
    seen: dict[int, list[tuple[int, int, dt.date]]] = defaultdict(list)
    for rid, pk, score, answered_on in rows:
        seen[rid].append((pk, score, answered_on))
    found = []
    for rid, answers in seen.items():
        pk, score, answered_on = answers[0]
        more = f" and {len(answers) - 1} more" if len(answers) > 1 else ""
        found.append(
            HealthWarning(
                rid,
                names[rid],
                "detractor",
                f"A detractor scored {score} of 10{more} in the last {DETRACTOR_DAYS} days",
                answered_on,
                reverse("satisfaction:response-detail", args=[pk]),
            )
        )
    return found


def _overdue_problems(ids: list[int], names: dict[int, str]) -> list[HealthWarning]:
    from steward.issues.lifecycle import OPEN
    from steward.issues.models import Issue

    now = timezone.now()
    rows = (
        Issue.objects.filter(
            relationship_id__in=ids,
            status__in=OPEN,
            archived_at__isnull=True,
            resolve_by__lt=now,
        )
        .order_by("relationship_id", "resolve_by")
        .values_list("relationship_id", "pk", "reference", "title", "resolve_by")
    )
    return [
        HealthWarning(
            rid,
            names[rid],
            "overdue_problem",
            f"{reference} {title} is past its resolution target",
            timezone.localtime(resolve_by).date(),
            reverse("issues:issue-detail", args=[pk]),
        )
        for rid, pk, reference, title, resolve_by in rows
    ]


def _not_met_accounts(
    accounts: dict[int, Relationship], names: dict[int, str], today: dt.date
) -> list[HealthWarning]:
    from steward.reviews.models import Activity

    cadence = cadence_days()
    last = dict(
        Activity.objects.filter(
            relationship_id__in=list(accounts), face_to_face=True, archived_at__isnull=True
        )
        .values("relationship_id")
        .annotate(last=Max("occurred_on"))
        .order_by()
        .values_list("relationship_id", "last")
    )
    found = []
    for rid, account in accounts.items():
        days = cadence.get(account.tier, 90)
        met = last.get(rid)
        if met is not None and (today - met).days <= days:
            continue
        what = (
            f"No face-to-face meeting in {days} days (last on {met:%Y-%m-%d})"
            if met
            else f"No face-to-face meeting recorded (tier cadence: every {days} days)"
        )
        found.append(
            HealthWarning(
                rid,
                names[rid],
                "not_met",
                what,
                met + dt.timedelta(days=days) if met else None,
                reverse("reviews:activity-list") + f"?relationship={rid}&face_to_face=true",
            )
        )
    return found
