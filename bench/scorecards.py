"""Closing a scorecard period: the set-based engine against a per-vendor loop.

    .venv/bin/python bench/scorecards.py                 # on a fresh copy of the large demo data
    .venv/bin/python bench/scorecards.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database. The set-up tops the live supply-side relationships up to 10,000 (new
organizations written with bulk inserts) and gives every one of them a quarter of data for the
supply side's default template ("Vendor performance", 8 criteria): monthly recorded measures, a
contract whose service level has three judged months, issues opened and resolved in the
quarter, and three stakeholders' survey ratings. The quarter (2019 Q1) lies before any demo
data, so only this data is read.

- engine: ``period_close`` (score every card in bulk, freeze the period, apply the standings'
  consequences), re-opened between rounds; ``period_score`` alone is timed too.
- naive: what ERPNext's supplier scorecards do: for each vendor, one query per measure for the
  period, score the card, save the card and each criterion row one by one. It runs on a sample
  of vendors inside a transaction that is rolled back, and its time is extrapolated linearly
  to every vendor (the loop's cost per vendor does not depend on how many there are); the
  output says so. The sample's cards must equal the engine's.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

VENDORS = 10_000
NAIVE_SAMPLE = 500
QUARTER_START = dt.date(2019, 1, 1)
MONTHS = (dt.date(2019, 1, 15), dt.date(2019, 2, 15), dt.date(2019, 3, 15))
SEED = 20190101
BATCH = 2_000
D = Decimal


class _RollbackError(Exception):
    """Raised to undo the naive loop's writes."""


# --- the data ----------------------------------------------------------------------------------


def _owner() -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    owner = users.filter(is_active=True).order_by("pk").first()
    return owner or users.create_user(username="bench.scorecards", password=None)


def _top_up_vendors(owner: Any) -> list[int]:
    """Live supply relationships up to ``VENDORS``; answers the ids of ``VENDORS`` of them."""
    from steward.parties.identity import normalize_legal_name
    from steward.parties.models import Organization, Relationship

    live = Relationship.objects.filter(side="supply", archived_at__isnull=True)
    missing = VENDORS - live.count()
    if missing > 0:
        names = [f"Scorecard Bench Vendor {n:05d} Ltd" for n in range(missing)]
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    legal_name=name,
                    display_name=name.removesuffix(" Ltd"),
                    country="GB",
                    industry="industrial",
                    owner=owner,
                    name_key=normalize_legal_name(name),
                )
                for name in names
            ],
            batch_size=BATCH,
        )
        Relationship.objects.bulk_create(
            [
                Relationship(organization=o, side="supply", owner=owner, status="active")
                for o in organizations
            ],
            batch_size=BATCH,
        )
    return list(live.order_by("pk").values_list("pk", flat=True)[:VENDORS])


def _clamp(value: float, low: float, high: float) -> Decimal:
    return D(str(round(min(high, max(low, value)), 2)))


def _measurements(rng: random.Random, ids: list[int], owner: Any) -> None:
    from steward.scorecards.models import Measurement

    draws = {
        "on_time_delivery_pct": lambda: _clamp(rng.gauss(93, 5), 50, 100),
        "defect_rate_pct": lambda: _clamp(abs(rng.gauss(1.5, 1.2)), 0, 20),
        "price_variance_pct": lambda: _clamp(rng.gauss(2, 3), -10, 20),
        "invoice_accuracy_pct": lambda: _clamp(rng.gauss(96, 3), 70, 100),
    }
    rows = [
        Measurement(
            relationship_id=pk,
            measure=key,
            measured_on=day,
            value=draw(),
            entered_by=owner,
            source="import",
        )
        for pk in ids
        for key, draw in draws.items()
        for day in MONTHS
    ]
    Measurement.objects.bulk_create(rows, batch_size=BATCH)


def _service_levels(rng: random.Random, ids: list[int], owner: Any) -> None:
    from django.utils import timezone

    from steward.contracts.models import Contract, ServiceLevel, SlaPeriodResult

    chosen = [pk for pk in ids if rng.random() < 0.7]
    contracts = Contract.objects.bulk_create(
        [
            Contract(relationship_id=pk, title="Bench services", kind="master", owner=owner)
            for pk in chosen
        ],
        batch_size=BATCH,
    )
    levels = ServiceLevel.objects.bulk_create(
        [
            ServiceLevel(
                contract=c, name="Availability", metric="availability", target=D("99.9"),
                direction="at_least", unit="%",
            )
            for c in contracts
        ],
        batch_size=BATCH,
    )  # fmt: skip
    now = timezone.now()
    results = []
    for level in levels:
        for start in (dt.date(2019, 1, 1), dt.date(2019, 2, 1), dt.date(2019, 3, 1)):
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            attainment = _clamp(rng.gauss(99.5, 0.8), 90, 100)
            days = (end - start).days + 1
            results.append(
                SlaPeriodResult(
                    service_level=level, period_start=start, period_end=end, value=attainment,
                    attainment=attainment, breached=attainment < 100, no_data=False,
                    service_days=days, period_days=days, closed=True, computed_at=now,
                )
            )  # fmt: skip
    SlaPeriodResult.objects.bulk_create(results, batch_size=BATCH)


def _issues(rng: random.Random, ids: list[int], owner: Any) -> None:
    from django.utils import timezone

    from steward.issues.models import Issue

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(QUARTER_START, dt.time(8), tzinfo=zone)
    rows: list[Issue] = []
    for pk in ids:
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            opened = start + dt.timedelta(hours=rng.randrange(0, 85 * 24))
            resolved = opened + dt.timedelta(hours=rng.randrange(2, 300))
            rows.append(
                Issue(
                    relationship_id=pk, reference=f"BENCH-SC-{len(rows):06d}",
                    title="Late delivery", category="delivery", severity="medium",
                    owner=owner, reported_by=owner, opened_at=opened,
                    respond_by=opened + dt.timedelta(hours=8),
                    resolve_by=opened + dt.timedelta(hours=72),
                    resolved_at=resolved if rng.random() < 0.75 else None,
                    status="resolved",
                )
            )  # fmt: skip
    Issue.objects.bulk_create(rows, batch_size=BATCH)


def _surveys(rng: random.Random, ids: list[int], period: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from steward.scorecards.models import Survey, SurveyResponse

    criteria = list(period.version.criteria.filter(measure="survey"))
    users = list(get_user_model().objects.order_by("pk")[:3])
    while len(users) < 3:
        users.append(get_user_model().objects.create_user(username=f"bench.rater{len(users)}"))
    now = timezone.now()
    surveys = Survey.objects.bulk_create(
        [
            Survey(period=period, relationship_id=pk, sent_at=now, closes_on=period.ends_on)
            for pk in ids
            if rng.random() < 0.8
        ],
        batch_size=BATCH,
    )
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey, criterion=criterion, respondent=user,
                rating=rng.choice((2, 3, 3, 4, 4, 4, 5)), answered_at=now,
            )
            for survey in surveys
            for criterion in criteria
            for user in users
        ],
        batch_size=BATCH,
    )  # fmt: skip


def prepare() -> tuple[Any, list[int]]:
    """The bench period (2019 Q1 of the supply default template) and its vendors, with data."""
    from django.db import connection, transaction

    from steward.scorecards.models import ScorecardPeriod, ScorecardTemplate
    from steward.scorecards.services.periods import period_open
    from steward.scorecards.services.templates import templates_ensure_defaults

    templates_ensure_defaults()
    template = ScorecardTemplate.objects.get(side="supply", is_default=True, archived_at=None)
    existing = ScorecardPeriod.objects.filter(template=template, starts_on=QUARTER_START).first()
    owner = _owner()
    with transaction.atomic():
        ids = _top_up_vendors(owner)
        period = period_open(template=template, starts_on=QUARTER_START)
        if existing is None:
            rng = random.Random(SEED)
            started = time.perf_counter()
            _measurements(rng, ids, owner)
            _service_levels(rng, ids, owner)
            _issues(rng, ids, owner)
            _surveys(rng, ids, period)
            print(
                f"  data for {len(ids):,} vendors written in {time.perf_counter() - started:.0f} s"
            )
    # Fresh bulk loads have no planner statistics yet; a live database has (autovacuum).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return period, ids


# --- the naive loop ----------------------------------------------------------------------------


def naive_card(period: Any, relationship_id: int, criteria: list[Any], standings: Any) -> Any:
    """One vendor the ERPNext way: a query per measure, then the card and its rows saved."""
    from django.db.models import Avg, Count, F, Q
    from django.utils import timezone

    from steward.contracts.models import SlaPeriodResult
    from steward.issues.models import Issue
    from steward.scorecards.models import CriterionScore, Measurement, Scorecard, SurveyResponse
    from steward.scorecards.scoring import CENT, Card, Criterion, score_card
    from steward.scorecards.services.templates import rule_of

    start, end = period.starts_on, period.ends_on
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    raw: dict[str, Decimal | None] = {}
    for criterion in criteria:
        key = criterion.measure
        if key == "survey":
            ratings = sorted(
                rating
                for rating in SurveyResponse.objects.filter(
                    survey__period=period, survey__relationship_id=relationship_id,
                    criterion__code=criterion.code, rating__isnull=False,
                ).values_list("rating", flat=True)
                if rating is not None
            )  # fmt: skip
            raw[criterion.code] = D(statistics.median(ratings)) if ratings else None
        elif key == "sla_attainment_pct":
            value = SlaPeriodResult.objects.filter(
                service_level__contract__relationship_id=relationship_id, no_data=False,
                attainment__isnull=False, period_start__gte=start, period_end__lte=end,
                service_level__archived_at=None, service_level__contract__archived_at=None,
            ).aggregate(mean=Avg("attainment"))["mean"]  # fmt: skip
            raw[criterion.code] = None if value is None else D(str(value))
        elif key == "issues_overdue":
            live = Issue.objects.filter(
                relationship_id=relationship_id, archived_at=None, opened_at__lt=until
            ).filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))
            late = (Q(resolved_at__isnull=True) | Q(resolved_at__gte=until)) & Q(
                resolve_by__lt=until
            ) | Q(resolved_at__gte=since, resolved_at__lt=until, resolved_at__gt=F("resolve_by"))
            found = live.aggregate(n=Count("pk"), late=Count("pk", filter=late))
            raw[criterion.code] = D(found["late"]) if found["n"] else None
        elif key == "issue_resolution_hours":
            spans = [
                (resolved - opened).total_seconds()
                for opened, resolved in Issue.objects.filter(
                    relationship_id=relationship_id, archived_at=None,
                    resolved_at__gte=since, resolved_at__lt=until,
                ).values_list("opened_at", "resolved_at")
                if resolved is not None
            ]  # fmt: skip
            raw[criterion.code] = (
                sum((D(int(max(s, 0))) / D(3600) for s in spans), D(0)) / len(spans)
                if spans
                else None
            )
        else:
            value = Measurement.objects.filter(
                relationship_id=relationship_id, measure=key, archived_at=None,
                measured_on__range=(start, end),
            ).aggregate(mean=Avg("value"))["mean"]  # fmt: skip
            raw[criterion.code] = None if value is None else D(str(value))
    scores = {c.code: rule_of(c).score(raw[c.code]) for c in criteria}  # type: ignore[arg-type]
    card = score_card(Card(tuple(Criterion(c.code, D(c.weight)) for c in criteria)), scores)
    band = standings.classify(card.overall)
    row, _ = Scorecard.objects.update_or_create(
        period=period,
        relationship_id=relationship_id,
        defaults={
            "score": card.overall,
            "standing": band.name if band else "",
            "missing": list(card.missing),
            "computed_at": timezone.now(),
        },
    )
    CriterionScore.objects.filter(card=row).delete()
    for criterion, result in zip(criteria, card.criteria, strict=True):
        value = raw[criterion.code]
        CriterionScore.objects.create(
            card=row,
            criterion=criterion,
            raw=None if value is None else value.quantize(D("0.0001")),
            score=None if result.score is None else result.score.quantize(CENT),
            applied_weight=result.applied_weight.quantize(D("0.0001")),
        )
    return card.overall


def naive(period: Any, sample: list[int]) -> tuple[float, int, dict[int, Any]]:
    """Time the loop over ``sample`` (its writes rolled back): seconds, queries, scores."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from steward.scorecards.services.templates import standings_of

    criteria = list(period.version.criteria.all())
    standings = standings_of(period.template)
    scores: dict[int, Any] = {}
    seconds = 0.0
    with CaptureQueriesContext(connection) as captured:
        try:
            with transaction.atomic():
                started = time.perf_counter()
                for pk in sample:
                    scores[pk] = naive_card(period, pk, criteria, standings)
                seconds = time.perf_counter() - started
                raise _RollbackError
        except _RollbackError:
            pass
    return seconds, len(captured.captured_queries), scores


# --- the engine --------------------------------------------------------------------------------


def _reopen(period: Any) -> None:
    from steward.scorecards.models import ScorecardPeriod

    ScorecardPeriod.objects.filter(pk=period.pk).update(
        status="open", closed_at=None, closed_by=None
    )


def engine_close(period: Any) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from steward.scorecards.services.periods import period_close

    _reopen(period)
    with CaptureQueriesContext(connection) as captured:
        started, cpu = time.perf_counter(), time.process_time()
        period_close(period=period)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, len(captured.captured_queries)


def engine_score(period: Any) -> float:
    from steward.scorecards.services.periods import period_score

    _reopen(period)
    started = time.perf_counter()
    period_score(period=period)
    return time.perf_counter() - started


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load {one:.1f} / {five:.1f} on {os.cpu_count()} cores"


def measure(rounds: int = 3) -> dict[str, Any]:
    """Measure both on the database Django is connected to; print and return the figures."""
    from django.db import connection

    from steward.scorecards.models import CriterionScore, Scorecard

    print(f"\nClosing a scorecard period on {connection.vendor}: preparing …", flush=True)
    period, ids = prepare()
    criteria = period.version.criteria.count()
    close_seconds, close_cpu, score_seconds, queries = [], [], [], 0
    for number in range(1, rounds + 1):
        seconds, cpu, queries = engine_close(period)
        close_seconds.append(seconds)
        close_cpu.append(cpu)
        score_seconds.append(engine_score(period))
        print(
            f"  round {number} of {rounds}: period_close {seconds:7.3f} s "
            f"({cpu:.3f} s of this process's CPU), "
            f"period_score {score_seconds[-1]:7.3f} s",
            flush=True,
        )
    cards = Scorecard.objects.filter(period=period).count()
    rows = CriterionScore.objects.filter(card__period=period).count()
    sample = ids[:: max(1, len(ids) // NAIVE_SAMPLE)][:NAIVE_SAMPLE]
    recorded = dict(
        Scorecard.objects.filter(period=period, relationship_id__in=sample).values_list(
            "relationship_id", "score"
        )
    )
    naive_seconds, naive_queries, naive_scores = naive(period, sample)
    same = all(naive_scores[pk] == recorded.get(pk) for pk in sample)
    per_vendor = naive_seconds / len(sample)
    naive_full = per_vendor * cards
    close_median = statistics.median(close_seconds)
    ratio = naive_full / close_median if close_median else float("inf")
    print(
        f"\n{cards:,} cards x {criteria} criteria ({rows:,} criterion rows) in one period\n"
        f"  engine period_close   median {close_median:7.3f} s  "
        f"(min {min(close_seconds):.3f}, {queries:,} queries)  target ≤ 2 s: "
        f"{'PASS' if close_median <= 2 else 'FAIL'}\n"
        f"  engine period_score   median {statistics.median(score_seconds):7.3f} s\n"
        f"  (this process's CPU in period_close: median {statistics.median(close_cpu):.3f} s; "
        f"on SQLite that is all the work, so wall time above it is waiting: disk or a busy "
        f"machine, {_load()})\n"
        f"  naive per-vendor loop {naive_seconds:7.3f} s for a sample of {len(sample):,} vendors "
        f"({naive_queries:,} queries), {per_vendor * 1000:.2f} ms a vendor;\n"
        f"    extrapolated linearly to {cards:,} vendors: {naive_full:7.1f} s\n"
        f"  naive / engine: {ratio:.1f}x  target ≥ 20x: {'PASS' if ratio >= 20 else 'FAIL'}; "
        f"the sample's scores equal the engine's: {'yes' if same else 'NO'}",
        flush=True,
    )
    return {
        "database": connection.vendor,
        "cards": cards,
        "criteria": criteria,
        "criterion_rows": rows,
        "rounds": rounds,
        "period_close_seconds": [round(s, 4) for s in close_seconds],
        "period_close_median_seconds": round(close_median, 4),
        "period_close_queries": queries,
        "period_close_cpu_seconds": [round(s, 4) for s in close_cpu],
        "period_score_median_seconds": round(statistics.median(score_seconds), 4),
        "naive_sample": len(sample),
        "naive_sample_seconds": round(naive_seconds, 4),
        "naive_sample_queries": naive_queries,
        "naive_extrapolated_seconds": round(naive_full, 2),
        "ratio_naive_to_engine": round(ratio, 1),
        "identical": same,
        "passes": close_median <= 2 and ratio >= 20,
    }


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="scorecards",
        result="scorecards.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
