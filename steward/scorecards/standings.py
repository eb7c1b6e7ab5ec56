"""Standings: named bands over the 0-100 score scale, and the consequences each band carries.

A band holds the scores from its ``lower`` bound (included) up to the next band's lower bound
(excluded); the top band also holds 100. Bands are declared lowest first, the lowest starting at 0,
so a valid set covers 0-100 without gaps or overlaps, both ends included.

No data is not a standing: a card without a score classifies to no band and carries no
consequence. Other features (sourcing, contracts, purchase orders, improvement plans,
notifications) ask :meth:`Standings.consequences` and honour what it answers.

Nothing here touches the database: the admin form and the API parse rows with
:meth:`Standings.from_rows`, whose errors name the row, the field and a stable code.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ROW_KEYS = frozenset({"name", "lower", "consequences"})


class Consequence(StrEnum):
    """What a standing obliges other features to do about a counterparty."""

    BLOCK_SOURCING = "block_sourcing"  # no new sourcing invitations
    WARN_NEW_COMMITMENTS = "warn_new_commitments"  # warn on new contracts or purchase orders
    REQUIRE_IMPROVEMENT_PLAN = "require_improvement_plan"
    NOTIFY_OWNER_MANAGER = "notify_owner_manager"


class StandingsError(ValueError):
    """A refused band or set of bands.

    ``row`` is the 1-based position of the offending band (None when the whole set is at fault),
    ``field`` the part of it at fault and ``code`` a stable code for forms and the API.
    """

    def __init__(
        self, message: str, *, code: str, row: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.row = row
        self.field = field

    def in_row(self, row: int) -> StandingsError:
        """The same error, placed at a row (for errors raised before the position was known)."""
        return StandingsError(self.message, code=self.code, row=row, field=self.field)


@dataclass(frozen=True)
class Band:
    """A named band from ``lower`` (included) up to the next band's lower bound (excluded)."""

    name: str
    lower: Decimal
    consequences: frozenset[Consequence] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise StandingsError(
                f"A band needs a name, not {self.name!r}.", code="name_required", field="name"
            )
        name = self.name.strip()
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "lower", _band_lower(name, self.lower))
        object.__setattr__(self, "consequences", _band_consequences(name, self.consequences))


def _band_lower(name: str, lower: object) -> Decimal:
    if isinstance(lower, bool) or not isinstance(lower, Decimal | int):
        raise StandingsError(
            f'Band "{name}": the lower bound must be a Decimal, not {lower!r}.',
            code="lower_invalid",
            field="lower",
        )
    value = Decimal(lower)
    if not value.is_finite() or not ZERO <= value <= HUNDRED:
        raise StandingsError(
            f'Band "{name}": the lower bound must be within 0-100, not {value}.',
            code="lower_out_of_range",
            field="lower",
        )
    return value


def _band_consequences(name: str, consequences: object) -> frozenset[Consequence]:
    if isinstance(consequences, str) or not isinstance(consequences, Iterable):
        raise StandingsError(
            f'Band "{name}": consequences must be a list, not {consequences!r}.',
            code="consequences_invalid",
            field="consequences",
        )
    parsed: set[Consequence] = set()
    for consequence in consequences:
        try:
            parsed.add(Consequence(consequence))
        except ValueError:
            known = ", ".join(Consequence)
            raise StandingsError(
                f'Band "{name}": unknown consequence {consequence!r} (known: {known}).',
                code="consequence_unknown",
                field="consequences",
            ) from None
    return frozenset(parsed)


@dataclass(frozen=True)
class Standings:
    """Bands declared lowest first that cover 0-100 without gaps or overlaps, both ends included."""

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        object.__setattr__(self, "bands", bands)
        _check_cover(bands)
        _check_names(bands)

    def classify(self, score: Decimal | int | None) -> Band | None:
        """The band that holds ``score``; None for no data. A score outside 0-100 is refused."""
        if score is None:
            return None
        value = _score(score)
        position = bisect_right([band.lower for band in self.bands], value) - 1
        return self.bands[position]

    def consequences(self, score: Decimal | int | None) -> frozenset[Consequence]:
        """What the standing of ``score`` obliges; no data obliges nothing."""
        band = self.classify(score)
        return band.consequences if band is not None else frozenset()

    def upper(self, band: Band) -> Decimal:
        """The bound where ``band`` ends: the next band's lower (excluded), or 100 (included)."""
        position = self.bands.index(band)
        following = self.bands[position + 1 : position + 2]
        return following[0].lower if following else HUNDRED

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> Standings:
        """Parse ``[{"name": …, "lower": …, "consequences": [...]}, …]``, lowest band first.

        ``lower`` may be a Decimal, an int, a float (read through its text) or a numeric string;
        ``consequences`` may be left out for none. An error about a band starts with "row N:"
        (1-based) and carries ``row``; only "no rows at all" names no row.
        """
        bands = []
        for row, data in enumerate(rows, start=1):
            try:
                bands.append(_band_from_row(data))
            except StandingsError as error:
                raise _row_error(error.in_row(row)) from None
        try:
            return cls(tuple(bands))
        except StandingsError as error:
            raise _row_error(error) from None

    def to_rows(self) -> list[dict[str, object]]:
        """The rows :meth:`from_rows` reads; consequences in their declared order."""
        return [
            {
                "name": band.name,
                "lower": band.lower,
                "consequences": [c.value for c in Consequence if c in band.consequences],
            }
            for band in self.bands
        ]


def _check_cover(bands: tuple[Band, ...]) -> None:
    if not bands:
        raise StandingsError("Standings need at least one band.", code="bands_required")
    for band in bands:
        if not isinstance(band, Band):
            raise StandingsError(f"{band!r} is not a band.", code="band_invalid")
    if bands[0].lower != ZERO:
        raise StandingsError(
            f'Band "{bands[0].name}": the lowest band must start at 0, not {bands[0].lower}; '
            "scores below it would have no standing.",
            code="lowest_not_zero",
            row=1,
            field="lower",
        )
    for row, (below, band) in enumerate(pairwise(bands), start=2):
        if band.lower <= below.lower:
            raise StandingsError(
                f'Band "{band.name}": its lower bound {band.lower} must be above that of the band '
                f'before it, "{below.name}" ({below.lower}); list bands lowest first.',
                code="lower_not_increasing",
                row=row,
                field="lower",
            )


def _check_names(bands: tuple[Band, ...]) -> None:
    seen: set[str] = set()
    for row, band in enumerate(bands, start=1):
        key = band.name.casefold()
        if key in seen:
            raise StandingsError(
                f'Band "{band.name}": another band already has this name.',
                code="name_duplicate",
                row=row,
                field="name",
            )
        seen.add(key)


def _score(score: object) -> Decimal:
    if isinstance(score, bool) or not isinstance(score, Decimal | int):
        raise ValueError(f"A score must be a Decimal, not {score!r}.")
    value = Decimal(score)
    if not value.is_finite() or not ZERO <= value <= HUNDRED:
        raise ValueError(f"A score must be within 0-100, not {value}.")
    return value


def _band_from_row(data: Mapping[str, object]) -> Band:
    if not isinstance(data, Mapping):
        raise StandingsError(f"a band must be a mapping, not {data!r}.", code="row_invalid")
    unknown = sorted(str(key) for key in set(data) - ROW_KEYS)
    if unknown:
        raise StandingsError(f"unknown field(s): {', '.join(unknown)}.", code="field_unknown")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise StandingsError(
            f"a band needs a name, not {name!r}.", code="name_required", field="name"
        )
    name = name.strip()
    consequences = data.get("consequences")
    return Band(
        name,
        _row_lower(name, data.get("lower")),
        _band_consequences(name, () if consequences is None else consequences),
    )


def _row_lower(name: str, lower: object) -> Decimal:
    """A form or JSON value (Decimal, int, float read through its text, numeric string)."""
    if lower is None or (isinstance(lower, str) and not lower.strip()):
        raise StandingsError(
            f'Band "{name}": the lower bound is required.', code="lower_required", field="lower"
        )
    if isinstance(lower, float | str):
        try:
            return Decimal(str(lower).strip())
        except InvalidOperation:
            raise StandingsError(
                f'Band "{name}": the lower bound {lower!r} is not a number.',
                code="lower_invalid",
                field="lower",
            ) from None
    return _band_lower(name, lower)


def _row_error(error: StandingsError) -> StandingsError:
    if error.row is None:
        return error
    return StandingsError(
        f"row {error.row}: {error.message}", code=error.code, row=error.row, field=error.field
    )


def default_standings() -> Standings:
    """The standings a new installation starts with, lowest first.

    - **poor** (below 50): blocks new sourcing invitations, warns on new contracts and purchase
      orders, requires an improvement plan and notifies the owner's manager — the relationship
      is failing and needs both a plan and someone above the owner watching it.
    - **watch** (50 up to 70): warns on new contracts and purchase orders, so that people
      committing more business see the slide; no plan yet, a warning is proportionate.
    - **good** (70 up to 85): no consequence.
    - **excellent** (85 to 100, both included): no consequence.

    Consequences only grow as the score falls: a lower band carries every consequence of the
    bands above it.
    """
    return Standings(
        (
            Band("poor", ZERO, frozenset(Consequence)),
            Band("watch", Decimal(50), frozenset({Consequence.WARN_NEW_COMMITMENTS})),
            Band("good", Decimal(70)),
            Band("excellent", Decimal(85)),
        )
    )
