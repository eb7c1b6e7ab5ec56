"""Who may use the savings pages and endpoints: every role of the cast, and finance.

Written out from the policy (core/access.py), not asked of it: an initiative on vendor A is read
by its owner, the owner's managers, A's relationship team, finance, administrators and auditors,
and changed by its owner, A's editing members, finance and administrators; an initiative
without a vendor, a TCO comparison and its options reach their owner (changed) and the owner's
managers (read), finance and administrators (changed), auditors (read). Another vendor manager
sees none of it; portal users are refused. A refused write changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from steward.core.testing import api_client, result_ids, web_client
from steward.parties.tests.cast import ROLES, Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.savings.choices import SavingsStatus
from steward.savings.models import SavingsInitiative, TcoComparison, TcoOption
from steward.savings.tests.factories import (
    SavingsInitiativeFactory,
    TcoComparisonFactory,
    TcoOptionFactory,
)
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

EVERYONE = (*ROLES, "finance")
PORTAL = frozenset({"portal_a", "portal_b"})
INTERNAL = frozenset(EVERYONE) - PORTAL
WRITERS = INTERNAL - {"auditor"}
VENDOR_READERS = frozenset(
    {"admin", "auditor", "finance", "director", "manager", "owner", "member", "reviewer"}
)
VENDOR_CHANGERS = frozenset({"admin", "finance", "owner", "member"})
OWN_READERS = frozenset({"admin", "auditor", "finance", "director", "manager", "owner"})
OWN_CHANGERS = frozenset({"admin", "finance", "owner"})


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    vendor = SupplierFactory(relationship=cast.rel_a)
    comparison = TcoComparisonFactory(owner=cast.owner)
    return {
        "finance": UserFactory(username="finance", profile__function=Function.FINANCE),
        "vendor": vendor,
        "on_vendor": SavingsInitiativeFactory(owner=cast.owner, supplier=vendor, title="On A"),
        "loose": SavingsInitiativeFactory(owner=cast.owner, title="Loose"),
        "theirs": SavingsInitiativeFactory(
            owner=cast.outsider, supplier=SupplierFactory(relationship=cast.rel_b)
        ),
        "comparison": comparison,
        "option": TcoOptionFactory(comparison=comparison, supplier=vendor),
    }


def person(cast: Cast, world: dict[str, Any], role: str) -> Any:
    return world["finance"] if role == "finance" else cast.user(role)


def read_status(role: str, readers: frozenset[str]) -> int:
    return 200 if role in readers else 403 if role in PORTAL else 404


def write_status(role: str, readers: frozenset[str], changers: frozenset[str], ok: int) -> int:
    if role in changers:
        return ok
    return 403 if role in readers or role in PORTAL else 404


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(
    ("record", "readers"), [("on_vendor", VENDOR_READERS), ("loose", OWN_READERS)]
)
def test_initiative_page(
    cast: Cast, world: dict[str, Any], role: str, record: str, readers: frozenset[str]
) -> None:
    client = web_client(person(cast, world, role))
    initiative = world[record]
    assert client.get(initiative.get_absolute_url()).status_code == read_status(role, readers)


@pytest.mark.parametrize("role", EVERYONE)
def test_register_rows(cast: Cast, world: dict[str, Any], role: str) -> None:
    response = web_client(person(cast, world, role)).get(reverse("savings:initiative-list"))
    if role in PORTAL:
        assert response.status_code == 403
        return
    shown = {row.pk for row in response.context["rows"]}
    expected = {
        world[name].pk
        for name, readers in (("on_vendor", VENDOR_READERS), ("loose", OWN_READERS))
        if role in readers
    }
    if role in {"admin", "auditor", "finance", "outsider"}:
        expected.add(world["theirs"].pk)
    assert shown == expected


@pytest.mark.parametrize("role", EVERYONE)
def test_edit_page(cast: Cast, world: dict[str, Any], role: str) -> None:
    url = reverse("savings:initiative-edit", args=[world["on_vendor"].pk])
    response = web_client(person(cast, world, role)).get(url)
    assert response.status_code == write_status(role, VENDOR_READERS, VENDOR_CHANGERS, 200)


@pytest.mark.parametrize("role", EVERYONE)
def test_create_page(cast: Cast, world: dict[str, Any], role: str) -> None:
    response = web_client(person(cast, world, role)).get(reverse("savings:initiative-create"))
    assert response.status_code == (200 if role in WRITERS else 403)


@pytest.mark.parametrize("role", EVERYONE)
def test_transition_on_the_page(cast: Cast, world: dict[str, Any], role: str) -> None:
    initiative = world["on_vendor"]
    response = web_client(person(cast, world, role)).post(
        reverse("savings:initiative-transition", args=[initiative.pk]),
        {"to_status": SavingsStatus.CANCELLED, "reason": "no longer needed"},
    )
    assert response.status_code == write_status(role, VENDOR_READERS, VENDOR_CHANGERS, 302)
    initiative.refresh_from_db()
    assert (initiative.status == SavingsStatus.CANCELLED) == (role in VENDOR_CHANGERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_tco_pages(cast: Cast, world: dict[str, Any], role: str) -> None:
    client = web_client(person(cast, world, role))
    comparison = world["comparison"]
    assert client.get(comparison.get_absolute_url()).status_code == read_status(role, OWN_READERS)
    add = client.get(reverse("savings:tco-option-create", args=[comparison.pk]))
    assert add.status_code == write_status(role, OWN_READERS, OWN_CHANGERS, 200)
    listing = client.get(reverse("savings:tco-list"))
    assert listing.status_code == (403 if role in PORTAL else 200)


@pytest.mark.parametrize("role", EVERYONE)
def test_levers_page(cast: Cast, world: dict[str, Any], role: str) -> None:
    client = web_client(person(cast, world, role))
    assert client.get(reverse("savings:levers")).status_code == (403 if role in PORTAL else 200)
    take_up = client.post(reverse("savings:lever-take-up"), {"key": "off_contract-supplier-1"})
    # Writers are sent back to the page with the refusal (no such lever); the others refused
    assert take_up.status_code == (302 if role in WRITERS else 403)


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_api_initiative_detail_and_list(cast: Cast, world: dict[str, Any], role: str) -> None:
    client = api_client(person(cast, world, role))
    initiative = world["on_vendor"]
    detail = client.get(reverse("savings-initiative-detail", args=[initiative.pk]))
    assert detail.status_code == (200 if role in VENDOR_READERS else 404)
    ids = result_ids(client.get(reverse("savings-initiative-list")))
    assert (initiative.pk in ids) == (role in VENDOR_READERS)
    assert (world["loose"].pk in ids) == (role in OWN_READERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_initiative_update(cast: Cast, world: dict[str, Any], role: str) -> None:
    initiative = world["on_vendor"]
    response = api_client(person(cast, world, role)).patch(
        reverse("savings-initiative-detail", args=[initiative.pk]),
        {"title": "Renamed", "version": initiative.version},
        format="json",
    )
    expected = 200 if role in VENDOR_CHANGERS else 403 if role in VENDOR_READERS else 404
    assert response.status_code == expected
    initiative.refresh_from_db()
    assert (initiative.title == "Renamed") == (role in VENDOR_CHANGERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_initiative_archive(cast: Cast, world: dict[str, Any], role: str) -> None:
    initiative = world["loose"]
    response = api_client(person(cast, world, role)).delete(
        reverse("savings-initiative-detail", args=[initiative.pk])
    )
    expected = 204 if role in OWN_CHANGERS else 403 if role in OWN_READERS else 404
    assert response.status_code == expected
    initiative.refresh_from_db()
    assert initiative.is_archived == (role in OWN_CHANGERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_initiative_create(cast: Cast, world: dict[str, Any], role: str) -> None:
    before = SavingsInitiative.objects.count()
    response = api_client(person(cast, world, role)).post(
        reverse("savings-initiative-list"),
        {"title": "Demand review", "kind": "demand_management"},
        format="json",
    )
    assert response.status_code == (201 if role in WRITERS else 403)
    assert SavingsInitiative.objects.count() == before + (role in WRITERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_comparison_and_option(cast: Cast, world: dict[str, Any], role: str) -> None:
    client = api_client(person(cast, world, role))
    comparison, option = world["comparison"], world["option"]
    detail = client.get(reverse("tco-comparison-detail", args=[comparison.pk]))
    assert detail.status_code == (200 if role in OWN_READERS else 404)
    response = client.patch(
        reverse("tco-option-detail", args=[option.pk]),
        {"freight_per_unit": "1.5", "version": option.version},
        format="json",
    )
    expected = 200 if role in OWN_CHANGERS else 403 if role in OWN_READERS else 404
    assert response.status_code == expected
    option.refresh_from_db()
    assert (option.freight_per_unit == Decimal("1.5")) == (role in OWN_CHANGERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_option_create(cast: Cast, world: dict[str, Any], role: str) -> None:
    comparison = world["comparison"]
    other_vendor = SupplierFactory(relationship__owner=cast.owner)
    response = api_client(person(cast, world, role)).post(
        reverse("tco-option-list"),
        {"comparison": comparison.pk, "supplier": other_vendor.pk, "unit_price": "3"},
        format="json",
    )
    if role in OWN_CHANGERS:
        expected = 201
    elif role in OWN_READERS or role in PORTAL:
        expected = 403
    else:  # the comparison is not one they may name
        expected = 400
    assert response.status_code == expected
    assert TcoOption.objects.filter(supplier=other_vendor).exists() == (role in OWN_CHANGERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_comparison_create(cast: Cast, world: dict[str, Any], role: str) -> None:
    response = api_client(person(cast, world, role)).post(
        reverse("tco-comparison-list"), {"title": "Pallets", "annual_quantity": "100"}
    )
    assert response.status_code == (201 if role in WRITERS else 403)
    assert TcoComparison.objects.filter(title="Pallets").exists() == (role in WRITERS)


@pytest.mark.parametrize("role", EVERYONE)
def test_api_levers(cast: Cast, world: dict[str, Any], role: str) -> None:
    response = api_client(person(cast, world, role)).get(reverse("savings-lever-list"))
    assert response.status_code == (403 if role in PORTAL else 200)
