"""The arithmetic of satisfaction, pure (no database): NPS and CSAT from score counts.

- NPS = % promoters (9-10) - % detractors (0-6) of the NPS responses, an integer-rounded figure
  between -100 and 100 shown with its response count. It is never an average of scores.
- CSAT = % of the CSAT responses scored 4 or 5 ("satisfied"), with its count; the mean score may
  be shown beside it, labelled as the mean.

Both are computed from counts, so a roll-up (per owner, team, overall) adds the counts of its
parts and computes once: the NPS of two accounts is not the mean of their NPS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
SATISFIED_FROM = 4


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class NpsTally:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @classmethod
    def of(cls, scores: Iterable[int]) -> NpsTally:
        promoters = passives = detractors = 0
        for score in scores:
            if score >= PROMOTER_FROM:
                promoters += 1
            elif score <= DETRACTOR_UP_TO:
                detractors += 1
            else:
                passives += 1
        return cls(promoters, passives, detractors)

    def __add__(self, other: NpsTally) -> NpsTally:
        return NpsTally(
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
        )

    @property
    def count(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> Decimal | None:
        """% promoters - % detractors, to one decimal; None without responses."""
        if not self.count:
            return None
        return _pct(self.promoters - self.detractors, self.count)

    def display(self) -> str:
        if self.score is None:
            return "no responses"
        return f"NPS {self.score:+.0f} ({self.count} response{'s' if self.count != 1 else ''})"


@dataclass(frozen=True)
class CsatTally:
    satisfied: int = 0
    count: int = 0
    total: int = 0  # the sum of the scores, for the labelled mean

    @classmethod
    def of(cls, scores: Iterable[int]) -> CsatTally:
        values = list(scores)
        return cls(sum(1 for s in values if s >= SATISFIED_FROM), len(values), sum(values))

    def __add__(self, other: CsatTally) -> CsatTally:
        return CsatTally(
            self.satisfied + other.satisfied, self.count + other.count, self.total + other.total
        )

    @property
    def pct(self) -> Decimal | None:
        """% of responses scored 4 or 5, to one decimal; None without responses."""
        return _pct(self.satisfied, self.count) if self.count else None

    @property
    def mean(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def display(self) -> str:
        if self.pct is None:
            return "no responses"
        return f"CSAT {self.pct:.0f} % ({self.count} response{'s' if self.count != 1 else ''})"


@dataclass(frozen=True)
class Standard:
    nps_minimum: int
    csat_minimum_pct: Decimal
    minimum_responses: int


def meets_standard(nps: NpsTally, csat: CsatTally, standard: Standard) -> bool | None:
    """Whether an account meets the standard: None when it has too few responses to judge.

    Both figures must be judged: at least ``minimum_responses`` of each kind, NPS at least the
    minimum, CSAT % at least the minimum.
    """
    if nps.count < standard.minimum_responses or csat.count < standard.minimum_responses:
        return None
    nps_score, csat_pct = nps.score, csat.pct
    if nps_score is None or csat_pct is None:  # pragma: no cover - counted above
        return None
    return nps_score >= standard.nps_minimum and csat_pct >= standard.csat_minimum_pct
