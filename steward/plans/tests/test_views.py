"""The web pages of plans: initiatives, milestones and the roadmap, through Django's test client."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.core.registry import navigation
from steward.core.testing import web_client
from steward.parties.choices import Side
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory
from steward.plans import selectors, services
from steward.plans.choices import InitiativeStatus, MilestoneStatus
from steward.plans.models import Initiative, Milestone

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def start(cast: Cast, relationship: Any = None, **fields: Any) -> Initiative:
    """An initiative through the service, as the relationship's owner."""
    relationship = relationship or cast.rel_a
    fields.setdefault("title", "Dual-source the castings")
    fields.setdefault("kind", "sourcing")
    return services.initiative_create(actor=relationship.owner, relationship=relationship, **fields)


def initiative_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Consolidate freight lanes",
        "kind": "cost_down",
        "status": "planned",
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
        "currency": "eur",
        "budget": "25000",
        "expected_value": "120000",
        "delivered_value": "",
        "description": "Fewer carriers, better rates.",
    }
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------------


def test_list_shows_what_the_user_may_see_with_milestone_counts(cast: Cast) -> None:
    # given an initiative with one open, one done and one overdue milestone on A, and one on B
    mine = start(cast, budget=Decimal("5000"), expected_value=Decimal("9000"))
    for title, due in (("Kick-off", TODAY - dt.timedelta(days=3)), ("RFQ", TODAY)):
        services.milestone_add(actor=cast.owner, initiative=mine, title=title, due_on=due)
    done = services.milestone_add(actor=cast.owner, initiative=mine, title="Award", due_on=TODAY)
    services.milestone_update(
        actor=cast.owner, milestone=done, expected_version=1, status=MilestoneStatus.DONE
    )
    start(cast, cast.rel_b, title="Borealis lane review")
    # when the owner opens the list
    html = web_client(cast.owner).get("/initiatives/").content.decode()
    # then only A's initiative shows, with its counts, budget and overdue marker
    assert "Dual-source the castings" in html
    assert "Borealis lane review" not in html
    assert "2 / 3" in html
    assert "1 overdue" in html
    assert "EUR 5,000" in html


def test_list_filters_by_status_kind_owner_side_text_and_window(cast: Cast) -> None:
    start(cast, title="Alpha", kind="sourcing", starts_on=dt.date(2026, 1, 1))
    start(
        cast,
        title="Bravo",
        kind="cost_down",
        status=InitiativeStatus.IN_PROGRESS,
        owner=cast.member,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 3, 1),
    )
    demand = RelationshipFactory(organization=cast.org_a, owner=cast.owner, side=Side.DEMAND)
    start(cast, demand, title="Charlie")
    client = web_client(cast.owner)

    def titles(**params: Any) -> set[str]:
        html = client.get("/initiatives/", params).content.decode()
        return {t for t in ("Alpha", "Bravo", "Charlie") if f">{t}</a>" in html}

    assert titles() == {"Alpha", "Bravo", "Charlie"}
    assert titles(status="in_progress") == {"Bravo"}
    assert titles(kind="sourcing") == {"Alpha", "Charlie"}
    assert titles(owner=cast.member.pk) == {"Bravo"}
    assert titles(side="demand") == {"Charlie"}
    assert titles(q="alp") == {"Alpha"}
    assert titles(starts_after="2026-12-31") == {"Bravo"}
    assert titles(relationship=demand.pk) == {"Charlie"}


def test_list_narrowed_to_a_relationship_names_it(cast: Cast) -> None:
    start(cast)
    html = web_client(cast.owner).get("/initiatives/", {"relationship": cast.rel_a.pk}).content
    assert "With Aurora Metals" in html.decode()


def test_list_refuses_a_bad_filter_value_and_names_it(cast: Cast) -> None:
    start(cast)
    html = web_client(cast.owner).get("/initiatives/", {"starts_after": "soon"}).content.decode()
    assert "starts_after" in html
    assert "Dual-source the castings" not in html


def test_empty_list_explains_itself(cast: Cast) -> None:
    html = web_client(cast.owner).get("/initiatives/").content.decode()
    assert "No initiatives to show." in html


def test_export_follows_filters_and_policy(cast: Cast) -> None:
    start(cast, title="=cmd|calc", budget=Decimal("10"))
    start(cast, title="Second one")
    start(cast, cast.rel_b, title="Borealis only")
    client = web_client(cast.owner)
    csv = b"".join(client.get("/initiatives/", {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0].startswith("Id,Title,Organization,Side,Kind,Status,Owner")
    assert "'=cmd|calc" in csv
    assert "Second one" in csv
    assert "Borealis only" not in csv
    filtered = b"".join(
        client.get("/initiatives/", {"export": "csv", "q": "second"}).streaming_content
    ).decode("utf-8-sig")
    assert "Second one" in filtered
    assert "calc" not in filtered
    xlsx = client.get("/initiatives/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_issues_a_constant_number_of_queries(cast: Cast) -> None:
    client = web_client(cast.owner)
    first = start(cast)
    services.milestone_add(actor=cast.owner, initiative=first, title="M", due_on=TODAY)
    client.get("/initiatives/")  # warm up: session and principal

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/initiatives/").status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        more = start(cast, title=f"Initiative {n}", owner=cast.member if n % 2 else None)
        services.milestone_add(actor=cast.owner, initiative=more, title="M", due_on=TODAY)
    assert count() == few


# --- detail --------------------------------------------------------------------------------------


def test_detail_shows_fields_and_milestones_with_overdue_marked(cast: Cast) -> None:
    initiative = start(cast, expected_value=Decimal("200"), delivered_value=Decimal("50"))
    services.milestone_add(
        actor=cast.owner, initiative=initiative, title="Late one", due_on=TODAY - dt.timedelta(1)
    )
    html = web_client(cast.reviewer).get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "Late one" in html
    assert "Overdue" in html
    assert "25% of expected" in html
    # a reviewer reads but gets no edit controls
    assert f"/initiatives/{initiative.pk}/edit/" not in html
    assert "Mark done" not in html


def test_history_tab_lists_changes(cast: Cast) -> None:
    initiative = start(cast)
    services.initiative_update(
        actor=cast.owner, initiative=initiative, expected_version=1, status="in_progress"
    )
    response = web_client(cast.owner).get(
        f"/initiatives/{initiative.pk}/?tab=history", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "In progress" in html
    assert "<html" not in html


def test_detail_is_hidden_from_outsiders(cast: Cast) -> None:
    initiative = start(cast)
    assert web_client(cast.outsider).get(f"/initiatives/{initiative.pk}/").status_code == 404


# --- create and edit -----------------------------------------------------------------------------


def test_owner_starts_an_initiative_on_a_relationship(cast: Cast) -> None:
    # given the owner of A's relationship, when they submit the form
    response = web_client(cast.owner).post(
        f"/relationships/{cast.rel_a.pk}/initiatives/new/", initiative_form()
    )
    # then the initiative exists on that relationship, owned by them, and they land on it
    initiative = Initiative.objects.get(title="Consolidate freight lanes")
    assert initiative.relationship == cast.rel_a
    assert initiative.owner == cast.owner
    assert initiative.currency == "EUR"
    assert initiative.budget == Decimal("25000")
    assert response.status_code == 302
    assert response["Location"] == f"/initiatives/{initiative.pk}/"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"budget": "-5"}, "budget"),
        ({"expected_value": "lots"}, "expected_value"),
        ({"kind": "magic"}, "kind"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    cast: Cast, overrides: dict[str, str], field: str
) -> None:
    response = web_client(cast.owner).post(
        f"/relationships/{cast.rel_a.pk}/initiatives/new/", initiative_form(**overrides)
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("reviewer", 403), ("auditor", 403)]
)
def test_who_may_not_change_the_relationship_cannot_start_initiatives(
    cast: Cast, role: str, status: int
) -> None:
    client = web_client(cast.user(role))
    url = f"/relationships/{cast.rel_a.pk}/initiatives/new/"
    assert client.get(url).status_code == status
    assert client.post(url, initiative_form()).status_code == status
    assert not Initiative.objects.exists()


def test_team_member_with_edit_access_may_start_one(cast: Cast) -> None:
    response = web_client(cast.member).post(
        f"/relationships/{cast.rel_a.pk}/initiatives/new/", initiative_form()
    )
    assert response.status_code == 302
    assert Initiative.objects.get().owner == cast.member


def test_edit_is_version_checked(cast: Cast) -> None:
    initiative = start(cast)
    url = f"/initiatives/{initiative.pk}/edit/"
    data = initiative_form(title="Renamed", owner=cast.owner.pk, version=1)
    assert web_client(cast.owner).post(url, data).status_code == 302
    # a second edit based on the same version is refused and the first save stays
    stale = web_client(cast.member).post(url, {**data, "title": "Other name"})
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    initiative.refresh_from_db()
    assert initiative.title == "Renamed"
    assert initiative.version == 2


def test_edit_refused_to_a_reader(cast: Cast) -> None:
    initiative = start(cast)
    response = web_client(cast.reviewer).post(
        f"/initiatives/{initiative.pk}/edit/", initiative_form(title="Nope", version=1)
    )
    assert response.status_code == 403
    assert Initiative.objects.get().title == "Dual-source the castings"


# --- milestones ----------------------------------------------------------------------------------


def test_owner_adds_edits_and_completes_a_milestone(cast: Cast) -> None:
    initiative = start(cast)
    client = web_client(cast.owner)
    added = client.post(
        f"/initiatives/{initiative.pk}/milestones/new/",
        {"title": "Shortlist", "due_on": "2026-03-01", "owner": cast.member.pk},
    )
    assert added.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.owner, milestone.due_on) == (cast.member, dt.date(2026, 3, 1))
    edited = client.post(
        f"/milestones/{milestone.pk}/edit/",
        {"title": "Shortlist of three", "due_on": "2026-03-08", "status": "open", "version": 1},
    )
    assert edited.status_code == 302
    client.post(f"/milestones/{milestone.pk}/done/", {"version": 2})
    milestone.refresh_from_db()
    assert milestone.title == "Shortlist of three"
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.completed_on == TODAY


def test_milestone_without_a_date_is_refused_by_name(cast: Cast) -> None:
    initiative = start(cast)
    response = web_client(cast.owner).post(
        f"/initiatives/{initiative.pk}/milestones/new/", {"title": "Sometime", "due_on": ""}
    )
    assert 'id="id_due_on_error"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_closed_initiative_takes_no_new_milestones(cast: Cast) -> None:
    initiative = start(cast, status=InitiativeStatus.DONE)
    client = web_client(cast.owner)
    page = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert "reopen it to plan more milestones" in page
    response = client.post(
        f"/initiatives/{initiative.pk}/milestones/new/", {"title": "Late", "due_on": "2026-01-01"}
    )
    assert "reopen it" in response.content.decode()
    assert not Milestone.objects.exists()


def test_stale_mark_done_is_refused_with_a_message(cast: Cast) -> None:
    initiative = start(cast)
    milestone = services.milestone_add(
        actor=cast.owner, initiative=initiative, title="RFQ", due_on=TODAY
    )
    response = web_client(cast.owner).post(
        f"/milestones/{milestone.pk}/done/", {"version": 7}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    assert Milestone.objects.get().status == MilestoneStatus.OPEN


def test_readers_and_outsiders_cannot_touch_milestones(cast: Cast) -> None:
    initiative = start(cast)
    milestone = services.milestone_add(
        actor=cast.owner, initiative=initiative, title="RFQ", due_on=TODAY
    )
    reviewer, outsider = web_client(cast.reviewer), web_client(cast.outsider)
    new_url = f"/initiatives/{initiative.pk}/milestones/new/"
    payload = {"title": "X", "due_on": "2026-01-01"}
    assert reviewer.post(new_url, payload).status_code == 403
    assert outsider.post(new_url, payload).status_code == 404
    assert reviewer.post(f"/milestones/{milestone.pk}/done/", {"version": 1}).status_code == 403
    assert outsider.get(f"/milestones/{milestone.pk}/edit/").status_code == 404
    assert Milestone.objects.count() == 1
    assert Milestone.objects.get().status == MilestoneStatus.OPEN


# --- roadmap -------------------------------------------------------------------------------------


def roadmap_figure(html: str) -> dict[str, Any]:
    marker = '<script id="roadmap-chart-data" type="application/json">'
    payload = html.split(marker, 1)[1].split("</script>", 1)[0]
    return dict(json.loads(payload))


def test_roadmap_draws_supply_initiatives_that_click_through(cast: Cast) -> None:
    # given dated supply initiatives, an undated one and a dated demand one
    planned = start(cast, title="Re-tender", starts_on=dt.date(2026, 2, 1))
    running = start(
        cast,
        title="<b>Bold</b> move",
        status=InitiativeStatus.IN_PROGRESS,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 31),
    )
    start(cast, title="Someday")
    demand = RelationshipFactory(organization=cast.org_a, owner=cast.owner, side=Side.DEMAND)
    start(cast, demand, title="Joint plan", starts_on=dt.date(2026, 1, 1))
    # when the owner opens the roadmap
    response = web_client(cast.owner).get("/initiatives/roadmap/")
    html = response.content.decode()
    figure = roadmap_figure(html)
    # then one bar per dated supply initiative, coloured by status, each linking to its page
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert set(traces) == {"Planned", "In progress"}
    assert traces["Planned"]["customdata"][0][0] == planned.get_absolute_url()
    assert traces["In progress"]["customdata"][0][0] == running.get_absolute_url()
    assert traces["In progress"]["x"] == [31 * 86_400_000]  # start to end, both days included
    assert traces["In progress"]["base"] == ["2026-01-01"]
    # typed markup is shown as text, not applied
    assert "&lt;b&gt;Bold&lt;/b&gt; move" in traces["In progress"]["customdata"][0][1]
    assert "Joint plan" not in html
    assert "Someday" not in html
    # and the table below lists the same rows
    assert html.count(planned.get_absolute_url()) >= 1
    # and only this page may use inline styles (plotly.js needs them)
    assert "'unsafe-inline'" in response["Content-Security-Policy"].split("style-src")[1]


def test_roadmap_filters_and_exports(cast: Cast) -> None:
    start(cast, title="Alpha", kind="sourcing", starts_on=dt.date(2026, 1, 1))
    start(cast, title="Bravo", kind="cost_down", starts_on=dt.date(2027, 1, 1))
    demand = RelationshipFactory(organization=cast.org_a, owner=cast.owner, side=Side.DEMAND)
    start(cast, demand, title="Charlie", starts_on=dt.date(2026, 1, 1))
    client = web_client(cast.owner)
    assert "Bravo" not in client.get("/initiatives/roadmap/", {"kind": "sourcing"}).content.decode()
    window = client.get("/initiatives/roadmap/", {"ends_before": "2026-06-30"}).content.decode()
    assert ("Alpha" in window, "Bravo" in window) == (True, False)
    both = client.get("/initiatives/roadmap/", {"side": ""}).content.decode()
    assert "Charlie" in both
    csv = b"".join(client.get("/initiatives/roadmap/", {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert "Alpha" in csv
    assert "Bravo" in csv
    assert "Charlie" not in csv


def test_roadmap_without_rows_shows_no_chart(cast: Cast) -> None:
    response = web_client(cast.owner).get("/initiatives/roadmap/")
    html = response.content.decode()
    assert "Nothing on the roadmap." in html
    assert "data-chart=" not in html


def test_other_pages_keep_styles_strict(cast: Cast) -> None:
    response = web_client(cast.owner).get("/initiatives/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


# --- the tab for relationship pages, and the menu ------------------------------------------------


def test_initiatives_tab_renders_from_one_selector_call(cast: Cast) -> None:
    start(cast, title="On A")
    start(cast, cast.rel_b, title="On B")
    for role, may_add in (("owner", True), ("reviewer", False)):
        context = selectors.initiatives_for(user=cast.user(role), relationship=cast.rel_a)
        html = render_to_string("plans/_initiatives_tab.html", context)
        assert "On A" in html
        assert "On B" not in html
        assert (f"/relationships/{cast.rel_a.pk}/initiatives/new/" in html) is may_add


def test_roadmap_and_initiatives_are_in_the_menu() -> None:
    entries = {entry.url_name: entry for entry in navigation()}
    assert entries["plans:roadmap"].section == "supply"
    assert "plans:initiative-list" in entries


def test_roadmap_draws_at_most_its_limit_and_says_so(cast: Cast, monkeypatch: Any) -> None:
    monkeypatch.setattr("steward.plans.views.roadmap.ROADMAP_LIMIT", 2)
    for n in range(3):
        start(cast, title=f"Same title {n % 2}", starts_on=dt.date(2026, 1, 1 + n))
    start(cast, cast.rel_a, title="Same title 0", starts_on=dt.date(2026, 2, 1))
    html = web_client(cast.owner).get("/initiatives/roadmap/").content.decode()
    assert "The first 2 of 4 initiatives are drawn" in html
    bars = roadmap_figure(html)["data"][0]["y"]
    assert len(bars) == 2


def test_roadmap_figure_gives_every_bar_its_own_row_and_marks_today() -> None:
    from steward.plans.views.roadmap import roadmap_figure as build

    row = {
        "id": 1,
        "title": "Re-tender",
        "vendor": "Aurora",
        "kind": "Sourcing",
        "status": "planned",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 3, 1),
        "url": "/initiatives/1/",
    }
    figure = build([row, {**row, "id": 2, "url": "/initiatives/2/"}], today=dt.date(2026, 2, 1))
    labels = list(figure.data[0].y)
    assert labels == ["Aurora · Re-tender", "Aurora · Re-tender (#2)"]
    assert figure.layout.shapes[0].x0 == "2026-02-01"
    outside = build([row], today=dt.date(2030, 1, 1))
    assert not outside.layout.shapes


def test_no_initiative_starts_on_an_archived_relationship(cast: Cast) -> None:
    from steward.parties.services import record_archive

    record_archive(actor=cast.owner, record=cast.rel_a)
    cast.rel_a.refresh_from_db()
    assert (
        selectors.initiatives_for(user=cast.owner, relationship=cast.rel_a)["can_add_initiative"]
        is False
    )
    response = web_client(cast.owner).post(
        f"/relationships/{cast.rel_a.pk}/initiatives/new/", initiative_form()
    )
    assert "restore it before planning" in response.content.decode()
    assert not Initiative.objects.exists()


def test_an_initiative_is_archived_from_its_page_and_restored(cast: Cast) -> None:
    # given an initiative on the owner's relationship
    initiative = start(cast)
    client = web_client(cast.owner)
    html = client.get(f"/initiatives/{initiative.pk}/").content.decode()
    assert f"/initiatives/{initiative.pk}/archive/" in html
    # when the owner archives it, it leaves the list but keeps its page
    response = client.post(f"/initiatives/{initiative.pk}/archive/", {"version": 1})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.archived_at is not None
    client.get("/initiatives/")  # shows and uses up the "was archived" message
    assert f"/initiatives/{initiative.pk}/" not in client.get("/initiatives/").content.decode()
    # and a reviewer cannot restore it
    reviewer = web_client(cast.reviewer)
    refused = reviewer.post(f"/initiatives/{initiative.pk}/restore/", {"version": 2})
    assert refused.status_code in (403, 404)
    # then the owner restores it
    assert client.post(f"/initiatives/{initiative.pk}/restore/", {"version": 2}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.archived_at is None
