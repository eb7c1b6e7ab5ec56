"""Loading the demo data: all or nothing, once per database, the same every time for a seed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.errors import DomainError
from steward.demo.generate import generate
from steward.demo.generate.context import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    SIZES,
    DemoContext,
    DemoLogin,
)
from steward.demo.generate.people import showcase_usernames
from steward.demo.models import DemoDataset

FRESH_DATABASE_HINT = (
    "Load it into an empty database: point STEWARD_DATA_DIR (or DATABASE_URL) elsewhere "
    "and run `steward migrate` first."
)


@dataclass(frozen=True)
class DemoLoadResult:
    dataset: DemoDataset
    created: bool  # False when the same data set was there already and nothing was written
    logins: list[DemoLogin]
    password: str = DEMO_PASSWORD
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def demo_load(*, size: str, seed: int = DEFAULT_SEED) -> DemoLoadResult:
    """Load the ``size`` demo data generated from ``seed``; a second call changes nothing.

    The command line calls this (there is no acting user); it refuses to mix two data sets.
    """
    if size not in SIZES:
        raise DomainError(
            f"Unknown size {size!r}; choose one of: {', '.join(SIZES)}.", field="size"
        )
    if seed < 0:
        raise DomainError("The seed must be zero or a positive number.", field="seed")
    started = time.monotonic()
    with transaction.atomic():
        existing = DemoDataset.objects.select_for_update().order_by("pk").first()
        if existing is not None:
            _refuse_mixing(existing, size=size, seed=seed)
            return DemoLoadResult(
                dataset=existing, created=False, logins=_logins(existing), counts=existing.counts
            )
        _refuse_clashing_users(size)
        ctx = DemoContext.starting(
            size=SIZES[size], seed=seed, password_hash=make_password(DEMO_PASSWORD)
        )
        try:
            generate(ctx)
        except IntegrityError as error:
            raise DomainError(
                f"The demo data clashes with records in this database ({error}). "
                + FRESH_DATABASE_HINT,
                code="clash",
            ) from error
        dataset = DemoDataset.objects.create(
            size=size,
            seed=seed,
            loaded_at=timezone.now(),
            counts=dict(sorted(ctx.counts.items())),
            logins=[vars(login) for login in ctx.logins],
        )
    return DemoLoadResult(
        dataset=dataset,
        created=True,
        logins=ctx.logins,
        seconds=time.monotonic() - started,
        counts=dataset.counts,
    )


def _refuse_mixing(existing: DemoDataset, *, size: str, seed: int) -> None:
    if existing.size == size and existing.seed == seed:
        return
    loaded = f"The {existing.size} demo data (seed {existing.seed}) is loaded in this database"
    if existing.size != size:
        raise DomainError(
            f"{loaded}; loading the {size} data on top would mix the two. " + FRESH_DATABASE_HINT,
            field="size",
            code="other_demo_loaded",
        )
    raise DomainError(
        f"{loaded}; seed {seed} would give different data. " + FRESH_DATABASE_HINT,
        field="seed",
        code="other_demo_loaded",
    )


def _refuse_clashing_users(size: str) -> None:
    wanted = showcase_usernames(SIZES[size])
    taken = sorted(
        get_user_model().objects.filter(username__in=wanted).values_list("username", flat=True)
    )
    if taken:
        raise DomainError(
            f"These demo user names exist already: {', '.join(taken)}. " + FRESH_DATABASE_HINT,
            code="clash",
        )


def _logins(dataset: DemoDataset) -> list[DemoLogin]:
    return [DemoLogin(**login) for login in dataset.logins]
