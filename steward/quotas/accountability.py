"""The accountability dashboard: one row per account manager the user may see (themselves and
their direct and indirect reports), one column per registered measure, and a roll-up row per
manager over that manager's reports.

A fixed number of queries for any number of people: the people and their reporting lines in
one, then each measure's own fixed few for all of them at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from steward.core.display import person_name
from steward.quotas import selectors
from steward.quotas.dashboard import DashboardMeasure, MeasureValue, dashboard_measures


@dataclass(frozen=True)
class DashboardRow:
    label: str
    person: Any
    values: list[MeasureValue]
    is_roll_up: bool = False
    depth: int = 0
    members: int = 0


@dataclass(frozen=True)
class Dashboard:
    measures: list[DashboardMeasure]
    rows: list[DashboardRow]
    today: dt.date


def _reports_under(managers: dict[int, int | None], ids: set[int]) -> dict[int, list[int]]:
    """Each visible person's direct and indirect reports among ``ids``."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, manager in managers.items():
        if manager is not None and manager in ids:
            children[manager].append(pk)
    under: dict[int, list[int]] = {}
    for pk in ids:
        found, frontier = [], list(children.get(pk, ()))
        while frontier:
            nxt = frontier.pop()
            if nxt in found or nxt == pk:
                continue
            found.append(nxt)
            frontier.extend(children.get(nxt, ()))
        under[pk] = found
    return under


def accountability(*, user: Any, today: dt.date) -> Dashboard:
    ids = set(selectors.visible_people_ids(user=user))
    measures = dashboard_measures()
    if not ids:
        return Dashboard(measures=measures, rows=[], today=today)
    people = {p.pk: p for p in selectors.people(ids=ids)}
    ids = set(people)
    managers = {
        pk: getattr(getattr(p, "profile", None), "manager_id", None) for pk, p in people.items()
    }
    under = _reports_under(managers, ids)
    ordered = sorted(ids)
    computed = [measure.compute(ordered, today) for measure in measures]
    rows: list[DashboardRow] = []

    def add(pk: int, depth: int) -> None:
        person = people[pk]
        rows.append(
            DashboardRow(
                label=person_name(person),
                person=person,
                values=[
                    values.get(pk, MeasureValue(value=None, display="—")) for values in computed
                ],
                depth=depth,
            )
        )
        team = under.get(pk, [])
        if team:
            rows.append(
                DashboardRow(
                    label=f"Team of {person_name(person)}",
                    person=person,
                    values=[
                        measure.roll_up([values[m] for m in team if m in values])
                        for measure, values in zip(measures, computed, strict=True)
                    ],
                    is_roll_up=True,
                    depth=depth,
                    members=len(team),
                )
            )
            direct = sorted(
                (m for m in team if managers.get(m) == pk), key=lambda m: person_name(people[m])
            )
            for member in direct:
                add(member, depth + 1)

    roots = [pk for pk in ids if managers.get(pk) not in ids]
    for root in sorted(
        roots, key=lambda pk: (pk != getattr(user, "pk", None), person_name(people[pk]))
    ):
        add(root, 0)
    return Dashboard(measures=measures, rows=rows, today=today)
