"""The renewal radar: one query on the stored deadlines against a loop over every contract.

    .venv/bin/python bench/radar.py                 # on a fresh copy of the large demo data
    .venv/bin/python bench/radar.py --size small --rounds 3

`make bench` runs this too (``bench/run.py`` calls ``measure`` before it starts the server), on
the same fresh database. Both approaches answer the administrator's radar for the next 90
days (every contract in force whose notice deadline or end of term falls in the window, with
the renewal decision standing for the term):

- stored: ``selectors_renewals.radar`` (what the radar page calls). The services store each
  contract's notice deadline when its terms change and the daily roll-forward moves it, so the
  radar is one indexed query with the decision as a subquery.
- naive: what one would write without the stored deadline: read every contract in force, work
  out its current term and notice deadline from its terms in Python, keep those in the window,
  and look up each one's decision.

The rounds alternate which approach goes first; queries are counted in one extra, untimed run
of each. Both must find the same contracts with the same dates and decisions.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(REPO)  # run as a script: import the bench package, not its files

from bench.compare import Approach, Column, Same, alternate, rows, table  # noqa: E402

WINDOW_DAYS = 90
Found = dict[int, tuple[Any, Any, Any]]  # pk -> notice deadline, end of term, decision


def stored(user: Any, today: dt.date) -> Found:
    from steward.contracts.selectors_renewals import radar

    return {
        e.contract.pk: (
            e.contract.notice_deadline,
            e.contract.end_date,
            getattr(e.contract, "current_decision", None),
        )
        for e in radar(user=user, on=today, days=WINDOW_DAYS)
    }


def naive(user: Any, today: dt.date) -> Found:
    from steward.contracts import lifecycle, terms
    from steward.contracts.models import Contract, RenewalDecision
    from steward.contracts.services.contracts import notice_deadline_of
    from steward.core.access import Action

    until = today + dt.timedelta(days=WINDOW_DAYS)
    found: Found = {}
    contracts = (
        Contract.objects.restrict(user, Action.VIEW)
        .active()
        .filter(status__in=lifecycle.IN_FORCE)
        .select_related("owner", "relationship__organization")
    )
    for contract in contracts:
        end = contract.end_date
        if contract.auto_renews and contract.start_date and contract.term_months:
            months = int(contract.term_months)
            end = terms.current_term(
                contract.start_date,
                months,
                renewal_months=contract.renewal_term_months or months,
                auto_renews=True,
                on=today,
            ).end
            contract.end_date = end
        deadline = notice_deadline_of(contract, today)
        if end is None:  # evergreen: no end, no deadline
            continue
        if not any(day is not None and today <= day <= until for day in (deadline, end)):
            continue
        decision = (
            RenewalDecision.objects.filter(
                contract=contract,
                for_term_ending=end,
                superseded_at__isnull=True,
                archived_at__isnull=True,
            )
            .order_by("-pk")
            .values_list("decision", flat=True)
            .first()
        )
        found[contract.pk] = (deadline, end, decision)
    return found


def measure(rounds: int = 5) -> dict[str, Any]:
    """Measure both approaches on the database Django is connected to; print and return figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from steward.contracts import lifecycle
    from steward.contracts.models import Contract

    admin = get_user_model().objects.get(username="admin")
    today = timezone.localdate()
    in_force = Contract.objects.filter(status__in=lifecycle.IN_FORCE).count()
    total = Contract.objects.count()
    fast = Approach("stored deadlines (radar)", stored)
    slow = Approach("naive loop", naive)
    same = Same(fast, slow)

    print(
        f"\nThe renewal radar for the next {WINDOW_DAYS} days on {connection.vendor}: "
        f"{total:,} contracts, {in_force:,} in force; {rounds} rounds:",
        flush=True,
    )
    alternate(
        [fast, slow],
        rounds,
        lambda a, count: a.once(admin, today, count=count),
        compare=same,
        digits=4,
    )
    found: Column = ("found", "found", lambda a: len(a.result))
    ratio = table([fast, slow], width=28, digits=4, columns=[found], baseline="stored")
    print(f"the same contracts, dates and decisions: {'yes' if same.ok else 'NO'}")
    return {
        "contracts": total,
        "in_force": in_force,
        "window_days": WINDOW_DAYS,
        "rounds": len(fast.seconds),
        "approaches": rows([fast, slow], digits=5, columns=[found]),
        "ratio_naive_to_stored": round(ratio, 2),
        "identical": same.ok,
    }


def main(argv: list[str] | None = None) -> None:
    from bench.run import measure_alone

    measure_alone(
        measure,
        description=__doc__.split("\n\n")[0],
        name="radar",
        result="radar.json",
        argv=argv,
    )


if __name__ == "__main__":
    main()
