"""The /api/v1/ endpoints of imports and the spend reference data: CRUD with versions, archive on
DELETE, who may do what, and 400 naming the field for bad input."""

from __future__ import annotations

import io
from typing import Any

import pytest

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.spend.choices import ImportStatus
from steward.spend.models import (
    ContractPrice,
    CostCenter,
    ExchangeRate,
    SpendImport,
    SpendLine,
    VendorAlias,
)
from steward.spend.tests.factories import SpendImportFactory, SpendSourceFactory
from steward.spend.tests.test_reference_world import (
    Reference,
    World,
    build_reference,
    build_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


@pytest.fixture
def reference(world: World) -> Reference:
    return build_reference(world)


API = "/api/v1/"
GOOD = b"date,amount,vendor_name,reference,line_number\n2026-01-05,10.50,Aurora Metals AG,I-1,1\n"
UNMATCHED = b"date,amount,vendor_name\n2026-02-01,99.00,Aurora Metalworks\n"


def csv_file(content: bytes, name: str = "spend.csv") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


# Each reference collection: a good body to create, a change, and a bad body with the field
# the refusal names.
def bodies(world: World) -> dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]]:
    return {
        "spend-sources": (
            {"name": "Cards", "kind": "card", "mapping": {}, "default_currency": "usd"},
            {"date_format": "%d/%m/%Y"},
            {"name": "Cards", "mapping": {"date": "D", "amount": "d", "vendor_name": "V"}},
            "mapping",
        ),
        "category-rules": (
            {"field": "gl_account", "pattern": "6200", "category": world.category.pk},
            {"priority": 5},
            {"field": "vendor", "category": world.category.pk},
            "supplier",
        ),
        "cost-centers": (
            {"code": "CC1", "name": "Ops"},
            {"name": "Operations"},
            {"code": "CC2", "name": "  "},
            "name",
        ),
        "exchange-rates": (
            {"currency": "USD", "rate_date": "2026-01-01", "rate": "0.92"},
            {"rate": "0.93"},
            {"currency": "EUR", "rate_date": "2026-01-01", "rate": "1"},
            "currency",
        ),
        "contract-prices": (
            {"contract": world.contract_a.pk, "item": "BOLT", "unit_price": "0.10"},
            {"unit_price": "0.11"},
            {"contract": world.contract_a.pk, "item": "NUT", "unit_price": "-1"},
            "unit_price",
        ),
    }


COLLECTIONS = (
    "spend-sources",
    "category-rules",
    "cost-centers",
    "exchange-rates",
    "contract-prices",
)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_finance_creates_changes_archives_restores_and_reads_history(
    world: World, collection: str
) -> None:
    create, change, _, _ = bodies(world)[collection]
    api = api_client(world.finance)
    created = api.post(f"{API}{collection}/", create, format="json")
    assert created.status_code == 201, created.content
    assert created["ETag"] == '"1"'
    url = f"{API}{collection}/{created.json()['id']}/"
    assert api.patch(url, change, format="json").status_code == 428
    changed = api.patch(url, {**change, "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    stale = api.patch(url, {**change, "version": 1}, format="json")
    assert stale.status_code == 409
    assert api.delete(url).status_code == 204
    assert api.get(url).json()["archived_at"] is not None
    assert result_ids(api.get(f"{API}{collection}/")) == []
    restored = api.post(f"{url}restore/", {}, format="json")
    assert restored.status_code == 200, restored.content
    history = api.get(f"{url}history/").json()
    assert [entry["kind"] for entry in history["results"]] == [
        "restored",
        "archived",
        "changed",
        "created",
    ]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_bad_input_answers_400_naming_the_field(world: World, collection: str) -> None:
    _, _, bad, field = bodies(world)[collection]
    api = api_client(world.finance)
    response = api.post(f"{API}{collection}/", bad, format="json")
    assert response.status_code == 400, response.content
    assert field in [attr for attr, _ in api_errors(response)]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_vendor_manager_reads_but_may_not_write(
    world: World, reference: Reference, collection: str
) -> None:
    create, change, _, _ = bodies(world)[collection]
    api = api_client(world.cast.outsider)
    listed = api.get(f"{API}{collection}/")
    assert listed.status_code == 200
    record = {
        "spend-sources": reference.source,
        "category-rules": reference.rule,
        "cost-centers": reference.cost_center,
        "exchange-rates": reference.rate,
        "contract-prices": reference.price,
    }[collection]
    url = f"{API}{collection}/{record.pk}/"
    if collection == "contract-prices":
        # prices follow their contract: Aurora's are not the outsider's to see
        assert result_ids(listed) == []
        assert api.get(url).status_code == 404
        assert api.post(f"{API}{collection}/", create, format="json").status_code == 400
        return
    assert result_ids(listed) == [record.pk]
    assert api.get(url).status_code == 200
    assert api.post(f"{API}{collection}/", create, format="json").status_code == 403
    assert api.patch(url, {**change, "version": 1}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    record.refresh_from_db()
    assert record.version == 1
    assert record.archived_at is None


def test_portal_users_see_no_reference_data_and_write_none(
    world: World, reference: Reference
) -> None:
    api = api_client(world.cast.portal_a)
    for collection in (*COLLECTIONS, "vendor-aliases", "spend-imports"):
        assert result_ids(api.get(f"{API}{collection}/")) == [], collection
    assert api.get(f"{API}spend-sources/{reference.source.pk}/").status_code == 404
    response = api.post(f"{API}cost-centers/", {"code": "X", "name": "X"}, format="json")
    assert response.status_code == 403
    assert CostCenter.objects.count() == 1


def test_prices_are_written_by_whoever_may_change_the_contract(world: World) -> None:
    body = {"contract": world.contract_a.pk, "item": "BOLT", "unit_price": "0.10"}
    created = api_client(world.cast.owner).post(f"{API}contract-prices/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["currency"] == "EUR"
    # a sell-side contract is not a choice; another vendor's contract is not visible either
    for contract in (world.sell_contract, world.contract_b):
        response = api_client(world.cast.owner).post(
            f"{API}contract-prices/", {**body, "contract": contract.pk}, format="json"
        )
        assert api_errors(response) == [("contract", "does_not_exist")]
    assert ContractPrice.objects.count() == 1


def test_rules_filter_and_refuse_bad_choices(world: World, reference: Reference) -> None:
    api = api_client(world.finance)
    assert result_ids(api.get(f"{API}category-rules/", {"field": "gl_account"})) == [
        reference.rule.pk
    ]
    assert result_ids(api.get(f"{API}category-rules/", {"field": "vendor"})) == []
    bad = api.get(f"{API}category-rules/", {"field": "weekday"})
    assert bad.status_code == 400
    response = api.post(
        f"{API}category-rules/",
        {"field": "description", "pattern": "x", "category": 999999},
        format="json",
    )
    assert api_errors(response) == [("category", "does_not_exist")]


# --- exchange rates from a file ------------------------------------------------------------------


def test_a_rates_file_is_imported_once(world: World) -> None:
    api = api_client(world.finance)
    content = b"currency,date,rate\nUSD,2026-01-01,0.92\nGBP,2026-01-01,1.17\n"
    first = api.post(
        f"{API}exchange-rates/import/", {"file": csv_file(content, "r.csv")}, format="multipart"
    )
    assert first.status_code == 200, first.content
    assert first.json() == {"changed": 2}
    again = api.post(
        f"{API}exchange-rates/import/", {"file": csv_file(content, "r.csv")}, format="multipart"
    )
    assert again.json() == {"changed": 0}
    assert ExchangeRate.objects.count() == 2


def test_a_refused_rates_file_answers_row_by_row(world: World) -> None:
    api = api_client(world.finance)
    content = b"currency,date,rate\nUSD,2026-01-01,0.92\nXXQ,2026-01-01,1\nGBP,nope,1\n"
    response = api.post(
        f"{API}exchange-rates/import/", {"file": csv_file(content, "r.csv")}, format="multipart"
    )
    assert response.status_code == 400
    assert api_errors(response) == [("file", "import_refused"), ("file", "import_refused")]
    details = [error["detail"] for error in response.json()["errors"]]
    assert details[0].startswith("row 3, currency:")
    assert details[1].startswith("row 4, date:")
    assert not ExchangeRate.objects.exists()
    wrong = api.post(
        f"{API}exchange-rates/import/", {"file": csv_file(b"%PDF", "r.pdf")}, format="multipart"
    )
    assert api_errors(wrong) == [("file", "file_type")]
    refused = api_client(world.cast.owner).post(
        f"{API}exchange-rates/import/", {"file": csv_file(content, "r.csv")}, format="multipart"
    )
    assert refused.status_code == 403


# --- vendor aliases ------------------------------------------------------------------------------


def test_aliases_are_confirmed_listed_and_archived(world: World) -> None:
    api = api_client(world.finance)
    body = {"raw_name": "Aurora Metalworks", "supplier": world.aurora.pk}
    created = api.post(f"{API}vendor-aliases/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["name_key"] == "aurora metalworks"
    assert created.json()["supplier_name"] == "Aurora Metals"
    clash = api.post(
        f"{API}vendor-aliases/", {**body, "supplier": world.borealis.pk}, format="json"
    )
    assert api_errors(clash) == [("raw_name", "duplicate")]
    url = f"{API}vendor-aliases/{created.json()['id']}/"
    assert api.patch(url, {"raw_name": "x", "version": 1}, format="json").status_code == 405
    assert api.delete(url).status_code == 204
    assert VendorAlias.objects.active().count() == 0
    assert (
        api_client(world.cast.owner).post(f"{API}vendor-aliases/", body, format="json").status_code
        == 403
    )


# --- imports -------------------------------------------------------------------------------------


def test_an_upload_answers_202_and_runs_in_the_background(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    source = SpendSourceFactory()
    api = api_client(world.finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{API}spend-imports/",
            {"source": source.pk, "file": csv_file(GOOD)},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    done = api.get(f"{API}spend-imports/{body['id']}/").json()
    assert (done["status"], done["lines_added"], done["amount_base_cents"]) == ("done", 1, 1050)
    assert SpendLine.objects.count() == 1


def test_a_refused_import_lists_its_unmatched_vendors_and_runs_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    source = SpendSourceFactory()
    api = api_client(world.finance)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            f"{API}spend-imports/",
            {"source": source.pk, "file": csv_file(UNMATCHED)},
            format="multipart",
        )
    url = f"{API}spend-imports/{created.json()['id']}/"
    refused = api.get(url).json()
    assert refused["status"] == "refused"
    assert refused["unmatched"][0]["name"] == "Aurora Metalworks"
    assert refused["errors"][0]["field"] == "vendor_name"
    api.post(
        f"{API}vendor-aliases/",
        {"raw_name": "Aurora Metalworks", "supplier": world.aurora.pk},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        retried = api.post(f"{url}retry/")
    assert retried.status_code == 202, retried.content
    assert api.get(url).json()["status"] == "done"
    again = api.post(f"{url}retry/")
    assert api_errors(again) == [("status", "invalid_transition")]


def test_bad_uploads_answer_400_on_their_field(world: World) -> None:
    api = api_client(world.finance)
    source = SpendSourceFactory()
    wrong_type = api.post(
        f"{API}spend-imports/",
        {"source": source.pk, "file": csv_file(GOOD, "s.pdf")},
        format="multipart",
    )
    assert api_errors(wrong_type) == [("file", "file_type")]
    archived = SpendSourceFactory(archived_at="2026-01-01T00:00:00Z")
    response = api.post(
        f"{API}spend-imports/", {"source": archived.pk, "file": csv_file(GOOD)}, format="multipart"
    )
    assert api_errors(response) == [("source", "does_not_exist")]
    missing = api.post(f"{API}spend-imports/", {"source": source.pk}, format="multipart")
    assert api_errors(missing) == [("file", "required")]
    assert not SpendImport.objects.exists()


def test_imports_are_seen_by_who_ran_them_and_started_by_finance_only(world: World) -> None:
    cast = world.cast
    mine = SpendImportFactory(created_by=cast.owner, status=ImportStatus.REFUSED)
    theirs = SpendImportFactory(created_by=world.finance)
    assert result_ids(api_client(cast.owner).get(f"{API}spend-imports/")) == [mine.pk]
    assert sorted(result_ids(api_client(world.finance).get(f"{API}spend-imports/"))) == sorted(
        [mine.pk, theirs.pk]
    )
    assert api_client(cast.owner).get(f"{API}spend-imports/{theirs.pk}/").status_code == 404
    response = api_client(cast.owner).post(
        f"{API}spend-imports/",
        {"source": SpendSourceFactory().pk, "file": csv_file(GOOD)},
        format="multipart",
    )
    assert response.status_code == 403
    assert SpendImport.objects.count() == 2
    filtered = api_client(world.finance).get(f"{API}spend-imports/", {"status": "refused"})
    assert result_ids(filtered) == [mine.pk]


def test_uploads_are_multipart(world: World) -> None:
    api = api_client(world.finance)
    response = api.post(f"{API}spend-imports/", {"source": 1}, format="json")
    assert response.status_code == 415
    assert not SpendImport.objects.exists()
