"""The renewal pages through Django's test client: the radar, the contract's renewal tab, the
renewal pack, the reminder policy and the calendar feed page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.contracts import services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import Contract, RenewalDecision
from steward.contracts.views import renewals as renewal_views
from steward.contracts.views_feed import feed_token
from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RADAR = "/contracts/radar/"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def in_force(
    cast: Cast,
    *,
    title: str = "Castings supply",
    notice: dt.date | None = None,
    end: dt.date | None = None,
    relationship: Any = None,
) -> Contract:
    """An active contract whose notice deadline and end are put where the test needs them."""
    relationship = relationship or cast.rel_a
    contract = services.contract_create(
        actor=relationship.owner,
        relationship=relationship,
        title=title,
        kind=ContractKind.MASTER,
        start_date=days(-300),
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE, notice_deadline=notice, end_date=end or days(400)
    )
    contract.refresh_from_db()
    return contract


def radar_html(user: Any, **params: Any) -> str:
    response = web_client(user).get(RADAR, params)
    assert response.status_code == 200
    return response.content.decode()


# --- the radar -------------------------------------------------------------------------------


def test_the_radar_shows_what_falls_in_the_window_and_not_what_falls_outside(cast: Cast) -> None:
    # given one contract with its notice deadline in 20 days and one in 45 days
    in_force(cast, title="Soon due", notice=days(20))
    in_force(cast, title="Later due", notice=days(45))
    # when the owner opens the radar (30 days by default), then asks for 60 days
    thirty = radar_html(cast.owner)
    sixty = radar_html(cast.owner, days=60)
    # then 30 days hold the first only, 60 days both, with a chart and the decision column
    assert "Soon due" in thirty
    assert "Later due" not in thirty
    assert "Later due" in sixty
    assert 'data-chart="radar-chart-data"' in thirty
    assert "no decision" in thirty
    # and the contract list leads to it
    contract_list = web_client(cast.owner).get("/contracts/").content.decode()
    assert f'href="{RADAR}"' in contract_list


def test_the_radar_shows_an_empty_state_and_refuses_an_unknown_window(cast: Cast) -> None:
    in_force(cast, title="Far away", notice=days(200))
    assert "Nothing on the radar." in radar_html(cast.owner)
    refused = radar_html(cast.owner, days=45)
    assert "Select a valid choice" in refused
    assert "Far away" not in refused


def test_mine_is_the_users_own_and_team_adds_their_reports(cast: Cast) -> None:
    # given a contract owned by ``owner``, who reports to ``manager``
    in_force(cast, title="Owner's contract", notice=days(10))
    # then the manager's own radar is empty, their team's shows it
    assert "Owner's contract" not in radar_html(cast.manager)
    assert "Owner's contract" in radar_html(cast.manager, scope="team")
    # and the owner filter narrows the team's radar to one person
    assert "Owner's contract" not in radar_html(cast.manager, scope="team", owner=cast.manager.pk)
    # and a user outside the relationship sees nothing of it, whatever the scope
    assert "Owner's contract" not in radar_html(cast.outsider, scope="all")
    # while a team member of the relationship sees it among everything they may see
    assert "Owner's contract" in radar_html(cast.member, scope="all")


def test_the_radar_filters_by_side_and_shows_the_decision(cast: Cast) -> None:
    contract = in_force(cast, title="Bought", notice=days(10), end=days(100))
    services.renewal_decide(
        actor=cast.owner, contract=contract, decision="renegotiate", rationale="Price"
    )
    assert "Bought" not in radar_html(cast.owner, side="sell")
    html = radar_html(cast.owner, side="buy")
    assert "Bought" in html
    assert "Renegotiate" in html


def test_the_radar_exports_the_same_rows_as_csv(cast: Cast) -> None:
    in_force(cast, title="=Soon due", notice=days(20))
    in_force(cast, title="Later due", notice=days(45))
    response = web_client(cast.owner).get(RADAR, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'=Soon due" in body  # a formula is made inert
    assert "Later due" not in body
    assert "Notice deadline,20,no decision" in body.replace("\r", "")


def test_the_radar_reads_a_constant_number_of_queries(cast: Cast) -> None:
    client = web_client(cast.owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RADAR, {"days": 90}).status_code == 200
        return len(captured)

    in_force(cast, title="First", notice=days(5))
    in_force(cast, title="Second", notice=days(6))
    few = queries()
    for n in range(5):
        in_force(cast, title=f"More {n}", notice=days(10 + n))
    assert queries() == few


def test_the_radar_pages_its_table_and_chart_soonest_first(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given more contracts on the radar than a page holds, one due by its end of term only
    monkeypatch.setattr(renewal_views, "RADAR_PAGE_SIZE", 3)
    in_force(cast, title="Ends first", notice=days(-5), end=days(2))
    for n in range(4):
        in_force(cast, title=f"Notice {n}", notice=days(10 + n))
    # when the owner opens the radar, then its second page
    first = radar_html(cast.owner)
    second = radar_html(cast.owner, page=2)
    # then the first page holds the three soonest (by the date that puts each on the radar),
    # the second page the rest, and each page's chart only its own
    assert "Showing 1\N{EN DASH}3 of 5" in first
    assert all(t in first for t in ("Ends first", "Notice 0", "Notice 1"))
    assert "Notice 2" not in first
    assert "Showing 4\N{EN DASH}5 of 5" in second
    assert "Notice 3" in second
    assert "Ends first" not in second
    assert "page 2 of 2" in second


# --- the contract's renewal tab --------------------------------------------------------------


def decide_url(contract: Contract) -> str:
    return f"/contracts/{contract.pk}/renewal/decide/"


def test_the_renewal_tab_shows_the_term_and_offers_the_decision_form(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    html = web_client(cast.owner).get(f"/contracts/{contract.pk}/", {"tab": "renewal"})
    text = html.content.decode()
    assert str(days(30)) in text
    assert "no decision" in text
    assert 'id="renewal-decision"' in text
    assert f"/contracts/{contract.pk}/renewal-pack/" in text
    # a reader sees the tab without the form
    reader = web_client(cast.reviewer).get(f"/contracts/{contract.pk}/", {"tab": "renewal"})
    assert 'id="renewal-decision"' not in reader.content.decode()


def test_a_decision_is_recorded_with_its_rationale(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    client = web_client(cast.owner)
    # when the owner decides to renew, with reasons
    response = client.post(decide_url(contract), {"decision": "renew", "rationale": "On time"})
    # then it is recorded for the current term and shown on the tab
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=renewal")
    decision = RenewalDecision.objects.get(contract=contract)
    assert (decision.decision, decision.rationale) == ("renew", "On time")
    assert decision.for_term_ending == days(120)
    tab = client.get(f"/contracts/{contract.pk}/", {"tab": "renewal"}).content.decode()
    assert "On time" in tab


def test_a_decision_without_rationale_is_refused_on_the_field(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    response = web_client(cast.owner).post(
        decide_url(contract), {"decision": "terminate", "rationale": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_rationale_error"' in html
    assert "Give the reasons for the decision." in html
    assert not RenewalDecision.objects.filter(contract=contract).exists()


def test_only_those_who_change_the_contract_record_decisions(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    form = {"decision": "renew", "rationale": "Fine"}
    # a reader of the relationship is refused, an outsider does not learn it exists
    assert web_client(cast.reviewer).post(decide_url(contract), form).status_code == 403
    assert web_client(cast.outsider).post(decide_url(contract), form).status_code == 404
    assert web_client(cast.owner).get(decide_url(contract)).status_code == 405
    assert not RenewalDecision.objects.filter(contract=contract).exists()


# --- the renewal pack ------------------------------------------------------------------------


def test_the_renewal_pack_shows_each_section_or_says_it_is_empty(cast: Cast) -> None:
    contract = in_force(cast, notice=days(30), end=days(120))
    services.renewal_decide(
        actor=cast.owner, contract=contract, decision="renegotiate", rationale="Price rose"
    )
    url = f"/contracts/{contract.pk}/renewal-pack/"
    response = web_client(cast.reviewer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Renewal pack: Castings supply" in html
    assert "30 days left" in html
    assert "Price rose" in html
    assert "No open obligations." in html
    assert "No service levels on this contract." in html
    assert "Nothing logged." in html
    assert web_client(cast.outsider).get(url).status_code == 404


# --- the reminder policy ---------------------------------------------------------------------

POLICY = "/contracts/radar/reminders/"


def test_the_reminder_policy_page_is_for_administrators(cast: Cast) -> None:
    for user in (cast.owner, cast.auditor, cast.manager):
        assert web_client(user).get(POLICY).status_code == 403
    assert web_client(cast.owner).post(POLICY, {"offsets": "5", "version": 1}).status_code == 403
    html = web_client(cast.admin).get(POLICY).content.decode()
    assert 'value="90, 60, 30, 7"' in html
    assert services.reminder_policy().offsets == [90, 60, 30, 7]


def test_the_administrator_changes_the_offsets_and_bad_input_names_the_field(cast: Cast) -> None:
    policy = services.reminder_policy()
    client = web_client(cast.admin)
    # bad input is refused on the offsets field; nothing changes
    refused = client.post(POLICY, {"offsets": "30, soon", "version": policy.version})
    assert refused.status_code == 200
    assert 'id="id_offsets_error"' in refused.content.decode()
    assert "is not a whole number of days" in refused.content.decode()
    too_far = client.post(POLICY, {"offsets": "900", "version": policy.version})
    assert 'id="id_offsets_error"' in too_far.content.decode()
    assert services.reminder_policy().offsets == [90, 60, 30, 7]
    # good input is saved, largest first, without duplicates
    saved = client.post(POLICY, {"offsets": "14, 45, 14", "version": policy.version})
    assert saved.status_code == 302
    assert services.reminder_policy().offsets == [45, 14]


# --- the calendar feed page ------------------------------------------------------------------


def test_the_calendar_page_shows_the_users_feed_address(cast: Cast) -> None:
    in_force(cast, notice=days(30))
    response = web_client(cast.owner).get("/contracts/radar/calendar/")
    html = response.content.decode()
    assert f"/calendar/{feed_token(cast.owner)}.ics" in html
    assert "changing your password" in html
    assert "1 contract in force" in html
    assert web_client(cast.portal_a).get("/contracts/radar/calendar/").status_code == 403


# --- the vendor page -------------------------------------------------------------------------


def test_the_relationship_contracts_selector_is_scoped(cast: Cast) -> None:
    from steward.contracts.selectors_renewals import relationship_contracts

    other = RelationshipFactory(owner=cast.outsider)
    in_force(cast, title="Ours")
    in_force(cast, title="Theirs", relationship=other)
    assert [c.title for c in relationship_contracts(user=cast.owner, relationship=cast.rel_a)] == [
        "Ours"
    ]
    assert not relationship_contracts(user=cast.outsider, relationship=cast.rel_a).exists()
