"""Loading the demo data: deterministic, idempotent, all or nothing, never mixed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from steward.core.errors import DomainError
from steward.demo.generate.context import DEMO_PASSWORD
from steward.demo.models import DemoDataset
from steward.demo.services import demo_load
from steward.demo.tests.helpers import load_and_forget, row_counts
from steward.people.tests.factories import UserFactory


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    # Given two loads into an empty database with the same seed, and one with another seed
    first = load_and_forget(seed=7)
    second = load_and_forget(seed=7)
    other = load_and_forget(seed=8)

    # Then the same seed gave the same people, organizations, relationships and history
    assert first == second
    assert len(first["organizations"]) == 100
    # And another seed gave other names
    assert {o[0] for o in first["organizations"]}.isdisjoint({o[0] for o in other["organizations"]})


@pytest.mark.django_db
def test_a_second_run_writes_nothing_and_says_so() -> None:
    # Given the small data loaded through the command
    call_command("demo", size="small", stdout=io.StringIO())
    before = row_counts()

    # When the same command runs again
    out = io.StringIO()
    call_command("demo", size="small", stdout=out)

    # Then no table gained or lost a row, history tables included
    assert row_counts() == before
    assert before["parties.HistoricalOrganization"] >= 100
    # And the command said nothing changed and still printed the way in
    assert "nothing changed" in out.getvalue()
    assert "http://127.0.0.1:8000/" in out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_the_url_and_one_login_per_role() -> None:
    # When the small data is loaded
    out = io.StringIO()
    call_command("demo", size="small", stdout=out)

    # Then the output names the address and each demo login with the shared demo password
    text = out.getvalue()
    assert settings.STEWARD_BASE_URL.rstrip("/") + "/" in text
    for username in (
        "admin",
        "auditor",
        "sales.director",
        "account.manager",
        "vendor.manager",
        "specialist",
        "reviewer.legal",
        "portal",
    ):
        line = next(line for line in text.splitlines() if f" {username} " in line)
        assert DEMO_PASSWORD in line


@pytest.mark.django_db
def test_loading_another_size_or_seed_on_top_refuses_and_writes_nothing() -> None:
    # Given the small data set
    demo_load(size="small", seed=7)
    before = row_counts()

    # When the large one is asked for on top
    with pytest.raises(CommandError, match=r"small demo data .* is loaded"):
        call_command("demo", size="large", stdout=io.StringIO())
    # Or the small one with another seed
    with pytest.raises(DomainError) as error:
        demo_load(size="small", seed=8)

    # Then both were refused with a reason, and nothing was written
    assert error.value.field == "seed"
    assert row_counts() == before
    assert DemoDataset.objects.get().size == "small"


@pytest.mark.django_db
def test_a_clash_with_existing_accounts_refuses_and_writes_nothing() -> None:
    # Given someone already has the user name the demo gives its administrator
    UserFactory(username="admin")
    before = row_counts()

    # When the demo data is loaded
    with pytest.raises(DomainError, match="admin"):
        demo_load(size="small")

    # Then nothing at all was written
    assert row_counts() == before
    assert not DemoDataset.objects.exists()


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a generator step that fails after earlier steps wrote their rows
    from steward.demo import generate

    def broken(ctx: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(generate, "STEPS", [*generate.STEPS[:4], broken])
    before = row_counts()

    # When the data is loaded
    with pytest.raises(RuntimeError, match="disk full"):
        demo_load(size="small")

    # Then the people and organizations written before the failure are gone too
    assert row_counts() == before


def test_unknown_sizes_are_refused_by_name() -> None:
    # When a size that does not exist is asked for
    with pytest.raises(DomainError) as error:
        demo_load(size="medium")

    # Then the error names the field and the choices
    assert error.value.field == "size"
    assert "small" in str(error.value)


def test_names_do_not_depend_on_the_python_hash_seed() -> None:
    # Given a script that draws every kind of Faker value the generator uses, in every locale
    script = textwrap.dedent(
        """
        import hashlib, django
        django.setup()
        from steward.demo.generate.context import _stable_faker
        from steward.demo.generate.vocabulary import COUNTRIES, STAFF_LOCALES
        drawn = []
        for locale in sorted({c.locale for c in COUNTRIES} | set(STAFF_LOCALES)):
            faker = _stable_faker(locale)
            faker.seed_instance(7)
            for _ in range(50):
                drawn += [faker.first_name(), faker.last_name(), faker.city(),
                          faker.street_address(), faker.postcode(), faker.phone_number()]
                if hasattr(faker, "state"):
                    drawn.append(faker.state())
        print(hashlib.sha256(repr(drawn).encode()).hexdigest())
        """
    )

    # When it runs in two processes whose set and dict hashing differ
    def run(hash_seed: str) -> str:
        env = os.environ | {
            "PYTHONHASHSEED": hash_seed,
            "DJANGO_SETTINGS_MODULE": "steward.config.settings.test",
        }
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    # Then both drew the same values
    assert run("1") == run("2")
