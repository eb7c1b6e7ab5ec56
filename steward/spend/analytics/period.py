"""The period and the filters every spend figure is asked for.

Months are ints yyyymm (as the ledger keeps them); a period is a closed range of whole months.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from steward.core.errors import DomainError
from steward.spend.money import month_add, month_of

MAX_MONTHS = 120  # ten years: a trend of more points is no longer a chart
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")
_FIRST_YEAR, _LAST_YEAR = 1900, 9998


@dataclass(frozen=True)
class Period:
    first: int  # yyyymm, inclusive
    last: int  # yyyymm, inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(first=year * 100 + 1, last=year * 100 + 12)

    @classmethod
    def last_12_months(cls, today: dt.date) -> Period:
        """The twelve whole months before ``today``'s month."""
        last = month_add(month_of(today), -1)
        return cls(first=month_add(last, -11), last=last)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], today: dt.date) -> Period:
        """``?from=2026-01&to=2026-12`` or ``?year=2026``; the last twelve whole months when
        neither is given. One bound alone spans twelve months from (or up to) it.

        Raises ``DomainError`` naming the parameter (``from``, ``to`` or ``year``).
        """
        year = _text(params, "year")
        start = _text(params, "from")
        end = _text(params, "to")
        if year:
            if start or end:
                raise DomainError("Give either a year or a from/to range, not both.", field="year")
            if not _YEAR.match(year) or not _FIRST_YEAR <= int(year) <= _LAST_YEAR:
                raise DomainError("Give the year as four digits, e.g. 2026.", field="year")
            return cls.year(int(year))
        if not start and not end:
            return cls.last_12_months(today)
        first = _parse_month(start, "from") if start else None
        last = _parse_month(end, "to") if end else None
        if first is None:
            assert last is not None
            first = month_add(last, -11)
        if last is None:
            last = month_add(first, 11)
        if last < first:
            raise DomainError("The period ends before it starts.", field="to")
        period = cls(first=first, last=last)
        if period.length > MAX_MONTHS:
            raise DomainError(f"A period spans at most {MAX_MONTHS} months.", field="to")
        return period

    @property
    def length(self) -> int:
        """Number of months in the period."""
        return (self.last // 100 - self.first // 100) * 12 + self.last % 100 - self.first % 100 + 1

    def months(self) -> list[int]:
        return [month_add(self.first, index) for index in range(self.length)]

    def prior_year(self) -> Period:
        return Period(first=month_add(self.first, -12), last=month_add(self.last, -12))

    def __contains__(self, month: object) -> bool:
        return isinstance(month, int) and self.first <= month <= self.last


@dataclass(frozen=True)
class Filters:
    suppliers: tuple[int, ...] = ()
    categories: tuple[int, ...] = ()
    contracts: tuple[int, ...] = ()
    cost_centers: tuple[int, ...] = ()
    maverick: bool | None = None  # True: only lines without a contract; False: only with one

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        """``?supplier=3&supplier=4`` (or ``supplier=3,4``), ``category``, ``contract``,
        ``cost_center``, ``maverick=1|0``. Raises ``DomainError`` naming the parameter."""
        maverick = _text(params, "maverick").lower()
        if maverick not in {"", "1", "0", "true", "false"}:
            raise DomainError("Give maverick as 1 or 0.", field="maverick")
        return cls(
            suppliers=_ids(params, "supplier"),
            categories=_ids(params, "category"),
            contracts=_ids(params, "contract"),
            cost_centers=_ids(params, "cost_center"),
            maverick=None if not maverick else maverick in {"1", "true"},
        )

    @property
    def empty(self) -> bool:
        return self == Filters()


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def _parse_month(text: str, field: str) -> int:
    match = _MONTH.match(text)
    if not match:
        raise DomainError("Give the month as YYYY-MM, e.g. 2026-01.", field=field)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise DomainError("Give the month as YYYY-MM, e.g. 2026-01.", field=field)
    return year * 100 + month


def _ids(params: Mapping[str, Any], name: str) -> tuple[int, ...]:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist else [params.get(name)]
    ids: list[int] = []
    for value in values:
        for part in str(value or "").split(","):
            part = part.strip()  # noqa: PLW2901
            if not part:
                continue
            if not part.isdigit() or len(part) > 18:
                raise DomainError(f"{name} takes whole-number ids, not {part[:20]!r}.", field=name)
            ids.append(int(part))
    return tuple(sorted(set(ids)))


NO_FILTERS = Filters()  # the default of every figure: the whole scope
