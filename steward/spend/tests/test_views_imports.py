"""The import pages: a file imported from the web page in the background (the immediate task
backend runs it on commit), its progress, its outcome, and the way from a refusal to a done
import: confirm the unmatched vendor, run it again."""

from __future__ import annotations

from typing import Any
from typing import cast as cast_as

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.spend.choices import ImportStatus
from steward.spend.models import SpendImport, SpendLine, SpendSource, VendorAlias
from steward.spend.tests.factories import SpendImportFactory, SpendSourceFactory
from steward.spend.tests.test_reference_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


# Aurora Metals AG is a vendor of the world (the cast's organization A).
GOOD = (
    b"date,amount,vendor_name,reference,line_number\n"
    b"2026-01-05,10.50,Aurora Metals AG,INV-1,1\n"
    b"2026-01-06,20.00,AURORA METALS,INV-1,2\n"
)
BAD = (
    b"date,amount,vendor_name,reference,line_number\n"
    b"2026-01-05,10.50,Aurora Metals AG,INV-1,1\n"
    b"2026-13-45,20.00,Aurora Metals AG,INV-1,2\n"
    b"2026-01-07,lots,Aurora Metals AG,INV-1,3\n"
)
UNMATCHED = (
    b"date,amount,vendor_name,reference,line_number\n2026-02-01,99.00,Aurora Metalworks,INV-9,1\n"
)


def upload(content: bytes, name: str = "spend.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def import_file(
    client: Client, capture: Any, source: SpendSource, content: bytes, **extra: Any
) -> Any:
    """POST the new-import form; the job runs when the request's transaction commits."""
    with capture(execute=True):
        return client.post(
            reverse("spend:import-create"),
            {"source": source.pk, "file": upload(content), **extra},
        )


@pytest.fixture
def source(world: World) -> SpendSource:
    return cast_as(SpendSource, SpendSourceFactory(name="ERP"))


def test_a_good_file_is_imported_and_its_page_shows_the_counts(
    world: World, source: SpendSource, django_capture_on_commit_callbacks: Any
) -> None:
    # given finance on the new-import page
    client = web_client(world.finance)
    assert client.get(reverse("spend:import-create")).status_code == 200
    # when they upload a good file
    response = import_file(client, django_capture_on_commit_callbacks, source, GOOD)
    # then the import ran in the background and its page shows what it added
    batch = SpendImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spend:import-detail", args=[batch.pk])
    assert batch.status == ImportStatus.DONE
    assert (batch.lines_added, batch.lines_skipped, batch.amount_base_cents) == (2, 0, 3050)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-done"' in page
    assert "<strong>2</strong> lines added" in page
    assert "30.50 EUR" in page
    assert "hx-trigger" not in page
    # and a second import of the same file adds nothing twice
    import_file(client, django_capture_on_commit_callbacks, source, GOOD)
    again = SpendImport.objects.order_by("-pk").first()
    assert again is not None
    assert (again.status, again.lines_added, again.lines_skipped) == ("done", 0, 2)
    assert SpendLine.objects.count() == 2


def test_a_bad_file_is_refused_naming_its_rows(
    world: World, source: SpendSource, django_capture_on_commit_callbacks: Any
) -> None:
    client = web_client(world.finance)
    response = import_file(client, django_capture_on_commit_callbacks, source, BAD)
    batch = SpendImport.objects.get()
    assert batch.status == ImportStatus.REFUSED
    assert not SpendLine.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-refused"' in page
    assert 'id="import-errors"' in page
    named = {(error["row"], error["field"]) for error in batch.errors}
    assert {(3, "date"), (4, "amount")} <= named
    assert "<td>3</td><td>date</td>" in page
    assert "<td>4</td><td>amount</td>" in page
    assert "Run again" in page


def test_an_unmatched_vendor_is_confirmed_then_the_import_runs_again_to_done(
    world: World, source: SpendSource, django_capture_on_commit_callbacks: Any
) -> None:
    # given a file whose vendor name matches no vendor
    client = web_client(world.finance)
    response = import_file(client, django_capture_on_commit_callbacks, source, UNMATCHED)
    batch = SpendImport.objects.get()
    assert batch.status == ImportStatus.REFUSED
    assert [item["name"] for item in batch.unmatched] == ["Aurora Metalworks"]
    suggested = [s["supplier_id"] for s in batch.unmatched[0]["suggestions"]]
    assert world.aurora.pk in suggested
    # then its page offers a one-click confirmation of the suggestion and a vendor picker
    page = client.get(response["Location"]).content.decode()
    assert "This is Aurora Metals" in page
    assert reverse("spend:vendor-lookup") in page
    # when finance confirms the suggestion
    confirmed = client.post(
        reverse("spend:alias-confirm"),
        {
            "raw_name": "Aurora Metalworks",
            "supplier": world.aurora.pk,
            "next": response["Location"],
        },
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == response["Location"]
    assert VendorAlias.objects.get().supplier == world.aurora
    # and runs the import again
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("spend:import-retry", args=[batch.pk]))
    assert retried.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.lines_added) == (ImportStatus.DONE, 1)
    assert SpendLine.objects.get().supplier_id == world.aurora.pk


def test_a_new_source_is_described_inline_with_the_import(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = web_client(world.finance)
    content = b'Day,Net,Supplier\n05.01.2026,"1.234,50",Aurora Metals AG\n'
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("spend:import-create"),
            {
                "source": "",
                "file": upload(content),
                "new-name": "Legacy ERP",
                "new-kind": "invoice",
                "new-date_format": "%d.%m.%Y",
                "new-decimal_comma": "on",
                "new-column_date": "Day",
                "new-column_amount": "Net",
                "new-column_vendor_name": "Supplier",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = SpendSource.objects.get()
    assert source.mapping == {"date": "Day", "amount": "Net", "vendor_name": "Supplier"}
    batch = SpendImport.objects.get()
    assert (batch.source, batch.status, batch.amount_base_cents) == (source, "done", 123450)


def test_a_refused_new_source_or_upload_leaves_nothing_behind(world: World) -> None:
    client = web_client(world.finance)
    # a mapping without the amount column: the error sits on that column's input
    response = client.post(
        reverse("spend:import-create"),
        {
            "file": upload(GOOD),
            "new-name": "Legacy ERP",
            "new-kind": "invoice",
            "new-column_date": "Day",
            "new-column_vendor_name": "Supplier",
        },
    )
    assert response.status_code == 200
    assert "Name the file&#x27;s column that holds the amount." in response.content.decode()
    assert response.context["new_source"].errors["column_amount"]
    # a good source with a file of another type: the source is not kept either
    response = client.post(
        reverse("spend:import-create"),
        {"file": upload(GOOD, "spend.pdf"), "new-name": "Legacy ERP", "new-kind": "invoice"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not SpendSource.objects.exists()
    assert not SpendImport.objects.exists()


def test_the_progress_fragment_polls_while_running_and_stops_when_finished(world: World) -> None:
    client = web_client(world.finance)
    batch = SpendImportFactory(
        created_by=world.finance, status=ImportStatus.RUNNING, progress=42, stage="Matching"
    )
    url = reverse("spend:import-progress", args=[batch.pk])
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'role="progressbar"' in running
    assert 'aria-valuenow="42"' in running
    assert 'hx-trigger="every 1s"' in running
    assert f'hx-get="{url}"' in running
    assert "<html" not in running
    SpendImport.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE, lines_added=7)
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished
    assert 'data-testid="import-done"' in finished


def test_imports_are_seen_by_who_ran_them_finance_and_administrators(
    world: World, source: SpendSource
) -> None:
    cast = world.cast
    mine = SpendImportFactory(created_by=cast.owner, source=source, filename="mine.csv")
    theirs = SpendImportFactory(created_by=world.finance, source=source, filename="theirs.csv")
    listed = web_client(cast.owner).get(reverse("spend:import-list")).content.decode()
    assert "mine.csv" in listed
    assert "theirs.csv" not in listed
    assert (
        web_client(cast.owner).get(reverse("spend:import-detail", args=[mine.pk])).status_code
        == 200
    )
    assert (
        web_client(cast.owner).get(reverse("spend:import-detail", args=[theirs.pk])).status_code
        == 404
    )
    for user in (world.finance, cast.admin):
        page = web_client(user).get(reverse("spend:import-list")).content.decode()
        assert "mine.csv" in page
        assert "theirs.csv" in page


def test_only_finance_and_administrators_start_an_import(world: World, source: SpendSource) -> None:
    cast = world.cast
    for user in (cast.owner, cast.auditor, cast.member):
        client = web_client(user)
        assert client.get(reverse("spend:import-create")).status_code == 403
        assert (
            client.post(
                reverse("spend:import-create"), {"source": source.pk, "file": upload(GOOD)}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("spend:alias-confirm"), {"raw_name": "X", "supplier": world.aurora.pk}
            ).status_code
            == 403
        )
    assert not SpendImport.objects.exists()
    assert not VendorAlias.objects.exists()
    listed = web_client(cast.owner).get(reverse("spend:import-list")).content.decode()
    assert reverse("spend:import-create") not in listed


def test_an_import_someone_else_ran_is_not_retried_by_a_vendor_manager(world: World) -> None:
    batch = SpendImportFactory(created_by=world.finance, status=ImportStatus.REFUSED)
    response = web_client(world.cast.owner).post(reverse("spend:import-retry", args=[batch.pk]))
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED


def test_a_done_import_is_not_run_again(world: World) -> None:
    batch = SpendImportFactory(created_by=world.finance, status=ImportStatus.DONE)
    client = web_client(world.finance)
    response = client.post(reverse("spend:import-retry", args=[batch.pk]), follow=True)
    assert "Only a refused or failed import runs again" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE


def test_a_confirmation_of_a_name_taken_by_another_vendor_says_so(world: World) -> None:
    client = web_client(world.finance)
    client.post(reverse("spend:alias-confirm"), {"raw_name": "AMH", "supplier": world.aurora.pk})
    response = client.post(
        reverse("spend:alias-confirm"),
        {"raw_name": "AMH", "supplier": world.borealis.pk},
        follow=True,
    )
    assert "is matched to Aurora Metals already" in response.content.decode()
    assert VendorAlias.objects.get().supplier == world.aurora


def test_portal_users_are_refused_every_import_page(world: World) -> None:
    batch = SpendImportFactory(created_by=world.finance)
    client = web_client(world.cast.portal_a)
    for name, args in (
        ("spend:import-list", []),
        ("spend:import-create", []),
        ("spend:import-detail", [batch.pk]),
        ("spend:import-progress", [batch.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
