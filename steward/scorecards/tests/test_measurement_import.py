"""Importing a relationship's recorded measurements from CSV and XLSX: all rows or none."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from steward.core.testing import api_client, api_errors, web_client
from steward.parties.tests.cast import Cast
from steward.scorecards.measurement_import import ImportRefused, measurements_import
from steward.scorecards.models import Measurement
from steward.scorecards.tests.factories import MeasurementFactory

pytestmark = pytest.mark.django_db

D = Decimal
OTD = "on_time_delivery_pct"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def run(cast: Cast, content: bytes, name: str = "m.csv", actor: Any = None) -> Any:
    return measurements_import(
        actor=actor or cast.member,
        relationship=cast.rel_a,
        file=io.BytesIO(content),
        filename=name,
    )


def stored(cast: Cast) -> dict[tuple[str, dt.date], Decimal]:
    rows = Measurement.objects.filter(relationship=cast.rel_a, archived_at__isnull=True)
    return {(m.measure, m.measured_on): m.value for m in rows}


GOOD = csv_bytes(
    "Measure,Date,Value,Note",
    f"{OTD},2026-02-10,96.5,from the log",
    "defect_rate_pct,2026-02-10,0.75,",
    ",,,",  # a blank row is skipped
    f"{OTD},2026-03-10,97,",
)


def test_a_good_csv_is_written_as_imported_rows(cast: Cast) -> None:
    outcome = run(cast, GOOD)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)
    assert stored(cast) == {
        (OTD, dt.date(2026, 2, 10)): D("96.5"),
        ("defect_rate_pct", dt.date(2026, 2, 10)): D("0.75"),
        (OTD, dt.date(2026, 3, 10)): D(97),
    }
    rows = Measurement.objects.all()
    assert {(m.source, m.entered_by) for m in rows} == {("import", cast.member)}
    assert rows.get(measure=OTD, measured_on=dt.date(2026, 2, 10)).note == "from the log"
    first = rows.first()
    assert first is not None
    assert first.history.first().history_change_reason == "Imported from m.csv"


def test_a_good_xlsx_is_written(cast: Cast) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["measure", "date", "value", "note"])
    sheet.append([OTD, dt.datetime(2026, 4, 7), 99.95, "weekly"])  # noqa: DTZ001 - a date cell
    sheet.append([OTD, "2026-04-14", "98.1", None])
    sheet.append(["return_rate_pct", dt.date(2026, 4, 2), 0, None])
    content = io.BytesIO()
    book.save(content)
    outcome = run(cast, content.getvalue(), "April.XLSX")
    assert outcome.created == 3
    assert stored(cast) == {
        (OTD, dt.date(2026, 4, 7)): D("99.95"),
        (OTD, dt.date(2026, 4, 14)): D("98.1"),
        ("return_rate_pct", dt.date(2026, 4, 2)): D(0),
    }


def test_a_file_with_bad_rows_is_refused_whole_with_an_error_per_row(cast: Cast) -> None:
    MeasurementFactory(relationship=cast.rel_a, measured_on=dt.date(2026, 1, 5), value=D(90))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    content = csv_bytes(
        "measure,date,value,note",
        f"{OTD},2026-03-01,96,good",  # row 2
        "uptime,2026-03-02,99,",  # row 3: unknown measure
        "csat,2026-03-02,80,",  # row 4: a demand-side measure on a supply relationship
        "sla_breaches,2026-03-02,1,",  # row 5: computed, not recorded
        f"{OTD},2026-13-01,96,",  # row 6: bad date
        f"{OTD},{tomorrow},96,",  # row 7: future
        f"{OTD},2026-03-04,n/a,",  # row 8: not a number
        f"{OTD},2026-03-05,1.23456,",  # row 9: too many places
        f"{OTD},2026-03-06,1e13,",  # row 10: out of range
        f"{OTD},2026-03-01,97,again",  # row 11: same measure and day as row 2
        ",2026-03-07,,",  # row 12: measure and value missing
        f"{OTD},2026-01-05,91,",  # row 13: fine (updates the stored value)
    )
    with pytest.raises(ImportRefused) as refused:
        run(cast, content)
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (3, "measure"),
        (4, "measure"),
        (5, "measure"),
        (6, "date"),
        (7, "date"),
        (8, "value"),
        (9, "value"),
        (10, "value"),
        (11, "date"),
        (12, "measure"),
        (12, "value"),
    ]
    reasons = [e.reason for e in refused.value.errors]
    assert "not a recorded measure" in reasons[0]
    assert "not measured on this side" in reasons[1]
    assert "not a recorded measure" in reasons[2]
    assert "in the future" in reasons[4]
    assert "also on row 2" in reasons[8]
    assert refused.value.field == "file"
    assert "11 problems" in refused.value.message
    assert stored(cast) == {(OTD, dt.date(2026, 1, 5)): D(90)}


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"measure,date,value\n", "x.txt", ".csv or .xlsx"),
        (b"", "x.csv", "empty"),
        (b"measure,date,value\n", "x.csv", "no rows"),
        (b"measure,value\nx,1\n", "x.csv", "missing: date"),
        (b"\xff\xfe\x00garbage", "x.csv", "UTF-8"),
        (b"not a zip", "x.xlsx", "cannot be read"),
    ],
)
def test_an_unreadable_file_is_refused_whole(
    cast: Cast, content: bytes, name: str, reason: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        run(cast, content, name)
    [error] = refused.value.errors
    assert (error.row, error.column) == (0, "file")
    assert reason in error.reason
    assert not Measurement.objects.exists()


def test_importing_again_adds_nothing_and_a_changed_value_updates_with_history(
    cast: Cast,
) -> None:
    run(cast, GOOD)
    again = run(cast, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Measurement.objects.count() == 3
    changed = csv_bytes(
        "measure,date,value,note",
        f"{OTD},2026-02-10,95,corrected",
        "defect_rate_pct,2026-02-10,0.75,",
        f"{OTD},2026-03-11,98,",
    )
    outcome = run(cast, changed, "fix.csv")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    assert Measurement.objects.count() == 4
    row = Measurement.objects.get(measure=OTD, measured_on=dt.date(2026, 2, 10))
    assert (row.value, row.note, row.version) == (D(95), "corrected", 2)
    assert [h.value for h in row.history.order_by("history_id")] == [D("96.5"), D(95)]
    assert row.history.order_by("history_id").last().history_change_reason == (
        "Imported from fix.csv"
    )


def test_only_editors_of_the_relationship_import(cast: Cast) -> None:
    for user in (cast.reviewer, cast.outsider, cast.portal_a):
        with pytest.raises(PermissionDenied):
            run(cast, GOOD, actor=user)
    assert not Measurement.objects.exists()
    assert run(cast, GOOD, actor=cast.owner).created == 3


# --- the page ----------------------------------------------------------------------------------


def upload(content: bytes, name: str = "m.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_page_imports_a_good_file(cast: Cast) -> None:
    url = reverse("scorecards:measurement-import", args=[cast.rel_a.pk])
    client = web_client(cast.member)
    page = client.get(url)
    assert page.status_code == 200
    assert OTD in page.content.decode()
    response = client.post(url, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert response["Location"] == reverse("scorecards:measurements", args=[cast.rel_a.pk])
    assert Measurement.objects.count() == 3
    listing = client.get(reverse("scorecards:measurements", args=[cast.rel_a.pk]))
    assert url in listing.content.decode()


def test_the_page_lists_each_row_error_and_writes_nothing(cast: Cast) -> None:
    url = reverse("scorecards:measurement-import", args=[cast.rel_a.pk])
    bad = csv_bytes("measure,date,value", f"{OTD},2026-02-10,96", "uptime,2026-02-11,x")
    response = web_client(cast.member).post(url, {"file": upload(bad)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="row-errors"' in html
    assert "is not a number" in html
    assert "not a recorded measure" in html
    assert 'id="id_file_error"' in html
    assert not Measurement.objects.exists()


def test_the_page_refuses_a_wrong_type_or_too_big_file(cast: Cast) -> None:
    url = reverse("scorecards:measurement-import", args=[cast.rel_a.pk])
    client = web_client(cast.member)
    wrong = client.post(url, {"file": SimpleUploadedFile("m.pdf", b"%PDF-1.4 x")})
    assert 'id="id_file_error"' in wrong.content.decode()
    big = b"measure,date,value\n" + b"x" * (5 * 1024 * 1024 + 10)
    too_big = client.post(url, {"file": upload(big)})
    assert 'id="id_file_error"' in too_big.content.decode()
    assert not Measurement.objects.exists()


def test_the_page_outsider_404_reviewer_403(cast: Cast) -> None:
    url = reverse("scorecards:measurement-import", args=[cast.rel_a.pk])
    assert web_client(cast.outsider).get(url).status_code == 404
    assert web_client(cast.outsider).post(url, {"file": upload(GOOD)}).status_code == 404
    assert web_client(cast.reviewer).get(url).status_code == 403
    assert web_client(cast.reviewer).post(url, {"file": upload(GOOD)}).status_code == 403
    assert not Measurement.objects.exists()


# --- the API -----------------------------------------------------------------------------------


def api_post(user: Any, relationship: Any, content: bytes, name: str = "m.csv") -> Any:
    return api_client(user).post(
        reverse("measurement-import"),
        {"relationship": relationship.pk, "file": upload(content, name)},
        format="multipart",
    )


def test_the_api_imports_and_reimports(cast: Cast) -> None:
    first = api_post(cast.member, cast.rel_a, GOOD)
    assert first.status_code == 201, first.content
    assert first.json() == {"created": 3, "updated": 0, "unchanged": 0}
    again = api_post(cast.member, cast.rel_a, GOOD)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3}
    assert Measurement.objects.count() == 3


def test_the_api_answers_400_with_an_error_per_row_and_writes_nothing(cast: Cast) -> None:
    bad = csv_bytes(
        "measure,date,value", f"{OTD},2026-02-10,96", "uptime,2026-02-11,1", f"{OTD},x,y"
    )
    response = api_post(cast.member, cast.rel_a, bad)
    assert response.status_code == 400
    assert api_errors(response) == [("file", "import_refused")] * 3
    details = [error["detail"] for error in response.json()["errors"]]
    assert details[0].startswith("row 3, measure: ")
    assert details[1] == "row 4, date: is not a date like 2026-01-31"
    assert details[2] == "row 4, value: is not a number"
    assert not Measurement.objects.exists()


def test_the_api_refuses_a_wrong_type_or_too_big_file(cast: Cast) -> None:
    wrong = api_post(cast.member, cast.rel_a, b"%PDF-1.4 x", "m.pdf")
    assert wrong.status_code == 400
    assert api_errors(wrong) == [("file", "file_type")]
    big = api_post(cast.member, cast.rel_a, b"measure,date,value\n" + b"x" * (5 * 1024 * 1024))
    assert big.status_code == 400
    assert [attr for attr, _ in api_errors(big)] == ["file"]
    assert not Measurement.objects.exists()


def test_the_api_permissions(cast: Cast) -> None:
    # a read-only member may see the relationship but not change it
    assert api_post(cast.reviewer, cast.rel_a, GOOD).status_code == 403
    # an outsider cannot tell the relationship exists: the id is refused like an unknown one
    hidden = api_post(cast.outsider, cast.rel_a, GOOD)
    assert hidden.status_code == 400
    assert [attr for attr, _ in api_errors(hidden)] == ["relationship"]
    missing = api_client(cast.member).post(
        reverse("measurement-import"), {"relationship": cast.rel_a.pk}, format="multipart"
    )
    assert api_errors(missing) == [("file", "required")]
    assert not Measurement.objects.exists()
