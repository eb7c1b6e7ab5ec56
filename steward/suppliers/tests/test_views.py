"""The supply side's web pages, through Django's test client."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from steward.core.testing import web_client
from steward.parties.models import Relationship
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.suppliers import lifecycle, services
from steward.suppliers.choices import ChecklistItemCode, RelationshipType, Segment, Stage
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    NegotiationLever,
    SegmentationPolicy,
    StrategyKpi,
    Supplier,
    SupplierStrategy,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def metals(db: Any) -> Any:
    return CategoryFactory(code="metals", name="Metals")


@pytest.fixture
def vendor(cast: Cast, metals: Category) -> Supplier:
    """Aurora, owned by ``owner``: big spend, sole source, a specialized supply (strategic)."""
    return services.supplier_profile_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        relationship_type=RelationshipType.TRANSACTIONAL,
        categories=[metals],
        annual_spend=Decimal(900_000),
        criticality=5,
        alternatives=0,
        switching_cost=5,
        supply_nature="unique",
    )


def new_vendor(owner: Any, name: str, **inputs: Any) -> Supplier:
    organization = OrganizationFactory(legal_name=f"{name} AG", display_name=name, owner=owner)
    return services.supplier_create(actor=owner, organization=organization, owner=owner, **inputs)


def csv_of(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def vendor_form(**overrides: Any) -> dict[str, Any]:
    data = {"relationship_type": RelationshipType.ONGOING, "annual_spend": "120000"}
    data.update(overrides)
    return data


# --- pages render ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tab", ["overview", "strategy", "initiatives", "activities", "contacts", "history"]
)
@pytest.mark.parametrize("role", ["owner", "member", "reviewer", "manager", "auditor", "admin"])
def test_every_tab_of_the_vendor_page_renders_for_who_may_see_it(
    cast: Cast, vendor: Supplier, role: str, tab: str
) -> None:
    response = web_client(cast.user(role)).get(f"/vendors/{vendor.pk}/", {"tab": tab})
    assert response.status_code == 200
    assert "Aurora Metals" in response.content.decode()


def test_overview_shows_lifecycle_checklist_segmentation_and_governance(
    cast: Cast, vendor: Supplier
) -> None:
    html = web_client(cast.owner).get(f"/vendors/{vendor.pk}/").content.decode()
    # the next stages as forms, the blocked one saying what is missing
    assert "Move to Qualification" in html
    assert "Move to Offboarded" in html
    assert "Documents received" in html
    assert "Contract signed" in html
    # segmentation and its flags: a transactional vendor in the strategic quadrant
    assert vendor.segment == Segment.STRATEGIC
    assert "Strategic" in html
    assert "does not suit a strategic vendor" in html
    assert "strategic alliance" in html  # the playbook's suggestion
    # the governance of the relationship type and the quadrant's playbook
    assert "365 days" in html
    assert "Deep (on-site audit)" in html


def test_reviewer_sees_no_controls_that_change_the_vendor(cast: Cast, vendor: Supplier) -> None:
    html = web_client(cast.reviewer).get(f"/vendors/{vendor.pk}/").content.decode()
    assert "Move to Qualification" not in html
    assert f"/vendors/{vendor.pk}/edit/" not in html
    assert "disabled" in html  # the checklist is shown, read-only


@pytest.mark.parametrize("function", [Function.PROCUREMENT, Function.IT_SECURITY])
def test_procurement_and_it_security_read_every_vendor_but_change_none(
    vendor: Supplier, function: str
) -> None:
    """They source from and assess every vendor, so they read all of them; changing a vendor
    stays with its owner and team."""
    colleague = UserFactory(username=f"colleague-{function}", profile__function=function)
    client = web_client(colleague)
    assert "Aurora Metals" in client.get("/vendors/").content.decode()
    for tab in ("overview", "strategy", "history"):
        response = client.get(f"/vendors/{vendor.pk}/", {"tab": tab})
        assert response.status_code == 200
        assert "Aurora Metals" in response.content.decode()
    html = client.get(f"/vendors/{vendor.pk}/").content.decode()
    assert "Move to Qualification" not in html
    assert client.get(f"/vendors/{vendor.pk}/edit/").status_code in (403, 404)
    assert not Supplier.objects.restrict(colleague, "change").filter(pk=vendor.pk).exists()


def test_other_functions_read_only_the_vendors_they_are_on(vendor: Supplier) -> None:
    lawyer = UserFactory(username="legal-colleague", profile__function=Function.LEGAL)
    assert web_client(lawyer).get(f"/vendors/{vendor.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/vendors/",
        "/vendors/portfolio/",
        "/vendors/new/",
        "/vendors/policy/",
        "/categories/",
    ],
)
def test_supply_pages_render_for_a_vendor_manager(cast: Cast, vendor: Supplier, url: str) -> None:
    assert web_client(cast.owner).get(url).status_code == 200


def test_menu_leads_to_vendors_portfolio_and_categories(cast: Cast) -> None:
    html = web_client(cast.owner).get("/vendors/").content.decode()
    for href in ('href="/vendors/"', 'href="/vendors/portfolio/"', 'href="/categories/"'):
        assert href in html


def test_a_supply_relationship_page_links_to_its_vendor_page(cast: Cast, vendor: Supplier) -> None:
    html = web_client(cast.owner).get(f"/relationships/{cast.rel_a.pk}/").content.decode()
    assert f'href="/vendors/{vendor.pk}/"' in html
    # one without a vendor record offers to set it up
    other = web_client(cast.outsider).get(f"/relationships/{cast.rel_b.pk}/").content.decode()
    assert f"/vendors/new/?relationship={cast.rel_b.pk}" in other


# --- the list: filters, export, queries --------------------------------------------------------


def test_list_filters_by_stage_segment_category_and_flags(cast: Cast, vendor: Supplier) -> None:
    # given a second vendor of the same owner, still a prospect and not placed
    plain = new_vendor(cast.owner, "Cobalt Tools")
    services.supplier_transition(
        actor=cast.owner, supplier=vendor, to_stage=Stage.QUALIFICATION, reason="Talks began"
    )
    client = web_client(cast.owner)

    def names(**filters: str) -> str:
        return client.get("/vendors/", filters).content.decode()

    # then each filter keeps the one it describes
    assert "Cobalt Tools" not in names(stage="qualification")
    assert "Aurora Metals" in names(stage="qualification")
    assert "Aurora Metals" not in names(stage="prospect")
    assert "Cobalt Tools" not in names(segment="strategic")
    assert "Cobalt Tools" not in names(category="metals")
    assert "Aurora Metals" in names(mismatch="true")
    assert "Cobalt Tools" not in names(mismatch="true")
    assert "Cobalt Tools" in names(placed="false")
    assert "Aurora Metals" not in names(placed="false")
    assert "Aurora Metals" not in names(q="cobalt")
    assert plain.segment == ""


def test_list_marks_overrides_and_flags(cast: Cast, vendor: Supplier) -> None:
    services.supplier_override_segment(
        actor=cast.owner,
        supplier=vendor,
        expected_version=vendor.version,
        segment=Segment.BOTTLENECK,
        reason="Single smelter in Europe",
    )
    html = web_client(cast.owner).get("/vendors/").content.decode()
    assert "override" in html
    assert "type mismatch" in html  # transactional does not suit bottleneck either
    assert "Bottleneck" in html


def test_outsider_does_not_see_the_vendor_in_list_or_export(cast: Cast, vendor: Supplier) -> None:
    client = web_client(cast.outsider)
    assert "Aurora" not in client.get("/vendors/").content.decode()
    assert "Aurora" not in csv_of(client.get("/vendors/", {"export": "csv"}))


def test_csv_export_has_every_row_and_the_useful_columns(cast: Cast, vendor: Supplier) -> None:
    new_vendor(cast.owner, "Cobalt Tools")
    text = csv_of(web_client(cast.owner).get("/vendors/", {"export": "csv"}))
    lines = text.strip().splitlines()
    header = lines[0]
    for column in ("Vendor", "Owner", "Stage", "Segment", "Relationship type", "Annual spend"):
        assert column in header
    assert "Type does not suit segment" in header
    assert len(lines) == 3
    assert "Aurora Metals" in text
    assert "Metals" in text  # its category
    filtered = csv_of(web_client(cast.owner).get("/vendors/", {"export": "csv", "q": "cobalt"}))
    assert "Aurora" not in filtered
    assert "Cobalt Tools" in filtered


def test_excel_export_is_a_workbook_of_the_vendors(cast: Cast, vendor: Supplier) -> None:
    response = web_client(cast.owner).get("/vendors/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:2] == ("Id", "Vendor")
    assert rows[1][1] == "Aurora Metals"


def test_list_page_queries_do_not_grow_with_the_number_of_vendors(
    cast: Cast, metals: Category
) -> None:
    client = web_client(cast.admin)
    cobalt = CategoryFactory(code="cobalt", name="Cobalt")

    def add(count: int) -> None:
        for number in range(count):
            supplier = new_vendor(cast.owner, f"Vendor {Supplier.objects.count()}-{number}")
            supplier.categories.add(metals, cobalt)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/vendors/", {"ordering": "-spend"}).status_code == 200
        return len(captured)

    add(3)
    client.get("/vendors/")  # warm up: session and principal
    few = queries()
    add(7)
    assert Supplier.objects.count() == 10
    assert queries() == few


# --- the portfolio -----------------------------------------------------------------------------


def test_portfolio_plots_each_placed_vendor_with_a_link_to_its_page(
    cast: Cast, vendor: Supplier
) -> None:
    new_vendor(cast.owner, "Cobalt Tools")  # not placed: no data on either axis
    html = web_client(cast.owner).get("/vendors/portfolio/").content.decode()
    figure = json.loads(html.split('id="portfolio-data" type="application/json">')[1].split("<")[0])
    names = [name for trace in figure["data"] for name in trace["text"]]
    assert names == ["Aurora Metals"]
    urls = [point[0] for trace in figure["data"] for point in trace["customdata"]]
    assert urls == [f"/vendors/{vendor.pk}/"]
    # threshold lines from the policy and the quadrant labels
    assert len(figure["layout"]["shapes"]) == 2
    assert {a["text"] for a in figure["layout"]["annotations"]} >= {
        "<b>Strategic</b>",
        "<b>Bottleneck</b>",
    }
    # counts link to the filtered list, and the attention lists name the vendors
    assert "/vendors/?segment=strategic" in html
    assert "/vendors/?mismatch=true" in html
    assert "/vendors/?placed=false" in html
    assert "Cobalt Tools" in html  # listed as not placed


def test_portfolio_filters_narrow_the_chart(cast: Cast, vendor: Supplier) -> None:
    CategoryFactory(code="other", name="Other")
    html = web_client(cast.owner).get("/vendors/portfolio/", {"category": "other"}).content
    assert "Aurora Metals" not in html.decode()
    narrowed = web_client(cast.owner).get("/vendors/portfolio/", {"category": "metals"})
    assert "Aurora Metals" in narrowed.content.decode()
    assert "segment=strategic&amp;category=metals" in narrowed.content.decode() or (
        "category=metals&amp;segment=strategic" in narrowed.content.decode()
    )


def test_portfolio_may_use_inline_styles_for_the_chart_and_nothing_else(
    cast: Cast, vendor: Supplier
) -> None:
    client = web_client(cast.owner)
    assert "'unsafe-inline'" in client.get("/vendors/portfolio/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/vendors/")["Content-Security-Policy"]


# --- creating and editing ----------------------------------------------------------------------


def test_vendor_manager_creates_a_vendor(cast: Cast, metals: Category) -> None:
    organization = OrganizationFactory(display_name="Cobalt Tools", owner=cast.owner)
    response = web_client(cast.owner).post(
        "/vendors/new/",
        vendor_form(organization=organization.pk, categories=[metals.pk], tier="2", criticality=3),
        follow=True,
    )
    supplier = Supplier.objects.get(relationship__organization=organization)
    assert response.redirect_chain[-1][0] == f"/vendors/{supplier.pk}/"
    assert supplier.relationship.owner == cast.owner
    assert supplier.relationship.tier == 2
    assert supplier.stage == Stage.PROSPECT
    assert list(supplier.categories.all()) == [metals]
    assert supplier.checklist.count() == len(lifecycle.ALL_CHECKLIST_ITEMS)
    assert "Vendor created." in response.content.decode()


def test_bad_vendor_input_is_named_and_nothing_is_written(cast: Cast) -> None:
    organization = OrganizationFactory(owner=cast.owner)
    before = (Supplier.objects.count(), Relationship.objects.count())
    response = web_client(cast.owner).post(
        "/vendors/new/",
        vendor_form(organization=organization.pk, annual_spend="-5", criticality="9"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_annual_spend_error"' in html
    assert 'id="id_criticality_error"' in html
    assert (Supplier.objects.count(), Relationship.objects.count()) == before
    missing = web_client(cast.owner).post("/vendors/new/", vendor_form(relationship_type=""))
    assert 'id="id_organization_error"' in missing.content.decode()
    assert 'id="id_relationship_type_error"' in missing.content.decode()


def test_an_existing_supply_relationship_becomes_a_vendor(cast: Cast) -> None:
    response = web_client(cast.outsider).post(
        f"/vendors/new/?relationship={cast.rel_b.pk}", vendor_form()
    )
    assert response.status_code == 302
    assert Supplier.objects.get(pk=cast.rel_b.pk).relationship_type == RelationshipType.ONGOING
    # someone who may not change the relationship may not make it a vendor
    assert (
        web_client(cast.owner).get(f"/vendors/new/?relationship={cast.rel_b.pk}").status_code == 404
    )


def test_auditor_may_not_create_vendors(cast: Cast) -> None:
    assert web_client(cast.auditor).get("/vendors/new/").status_code == 403
    assert "New vendor" not in web_client(cast.auditor).get("/vendors/").content.decode()


def test_edit_re_places_the_vendor_and_refuses_a_stale_version(
    cast: Cast, vendor: Supplier
) -> None:
    client = web_client(cast.owner)
    version = vendor.version
    form = vendor_form(
        relationship_type=RelationshipType.STRATEGIC_ALLIANCE,
        annual_spend="1000",
        categories=[],
        version=version,
    )
    assert client.post(f"/vendors/{vendor.pk}/edit/", form).status_code == 302
    vendor.refresh_from_db()
    assert vendor.relationship_type == RelationshipType.STRATEGIC_ALLIANCE
    assert vendor.annual_spend == Decimal(1000)
    assert vendor.categories.count() == 0
    stale = client.post(f"/vendors/{vendor.pk}/edit/", {**form, "annual_spend": "5"})
    assert "changed by someone else" in stale.content.decode()
    vendor.refresh_from_db()
    assert vendor.annual_spend == Decimal(1000)


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("reviewer", 403), ("auditor", 403)]
)
def test_who_may_not_change_a_vendor_cannot_post_changes(
    cast: Cast, vendor: Supplier, role: str, status: int
) -> None:
    client = web_client(cast.user(role))
    before = (vendor.version, vendor.stage)
    posts = {
        f"/vendors/{vendor.pk}/edit/": vendor_form(version=vendor.version),
        f"/vendors/{vendor.pk}/transition/": {"to_stage": "qualification", "reason": "x"},
        f"/vendors/{vendor.pk}/checklist/documents_received/": {"done": "on"},
        f"/vendors/{vendor.pk}/segment/": {"segment": "leverage", "override_reason": "x"},
        f"/vendors/{vendor.pk}/prequalifications/new/": {"category": vendor.categories.get().pk},
        f"/vendors/{vendor.pk}/strategy/start/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == status, url
    vendor.refresh_from_db()
    assert (vendor.version, vendor.stage) == before
    assert not ChecklistItem.objects.filter(supplier=vendor, done=True).exists()
    assert not SupplierStrategy.objects.exists()


# --- lifecycle ---------------------------------------------------------------------------------


def test_moving_on_needs_a_reason_and_a_complete_checklist(cast: Cast, vendor: Supplier) -> None:
    client = web_client(cast.owner)
    url = f"/vendors/{vendor.pk}/transition/"
    # no reason: named on the form
    no_reason = client.post(url, {"to_stage": "qualification", "reason": ""})
    assert 'id="id_reason_error"' in no_reason.content.decode()
    # a move the table does not have: the service's message
    skipping = client.post(url, {"to_stage": "active", "reason": "Keen"})
    assert "cannot move from Prospect to Active" in skipping.content.decode()
    # an allowed move
    moved = client.post(url, {"to_stage": "qualification", "reason": "Talks began"}, follow=True)
    assert "Moved to Qualification." in moved.content.decode()
    # a blocked move says what is missing
    blocked = client.post(url, {"to_stage": "onboarding", "reason": "Looks fine"})
    assert "Finish the checklist first: documents received, security review done" in (
        blocked.content.decode()
    )
    vendor.refresh_from_db()
    assert vendor.stage == Stage.QUALIFICATION


def test_ticking_the_checklist_by_htmx_returns_the_lifecycle_block(
    cast: Cast, vendor: Supplier
) -> None:
    client = web_client(cast.owner)
    response = client.post(
        f"/vendors/{vendor.pk}/checklist/{ChecklistItemCode.DOCUMENTS_RECEIVED}/",
        {"done": "on"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'id="lifecycle"' in html
    assert "<html" not in html
    assert "done by" in html
    item = ChecklistItem.objects.get(supplier=vendor, code=ChecklistItemCode.DOCUMENTS_RECEIVED)
    assert item.done
    assert item.done_by == cast.owner
    # and unticking (no "done" in the form)
    client.post(f"/vendors/{vendor.pk}/checklist/{item.code}/", {}, HTTP_HX_REQUEST="true")
    item.refresh_from_db()
    assert not item.done


def test_a_locked_checklist_item_says_so(cast: Cast, vendor: Supplier) -> None:
    Supplier.objects.filter(pk=vendor.pk).update(stage=Stage.ACTIVE)
    response = web_client(cast.owner).post(
        f"/vendors/{vendor.pk}/checklist/documents_received/",
        {"done": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert "belongs to a stage this vendor has passed" in response.content.decode()


def test_segment_override_needs_a_reason(cast: Cast, vendor: Supplier) -> None:
    client = web_client(cast.owner)
    url = f"/vendors/{vendor.pk}/segment/"
    refused = client.post(url, {"segment": "leverage", "override_reason": "", "version": 1})
    assert 'id="id_override_reason_error"' in refused.content.decode()
    vendor.refresh_from_db()
    assert vendor.segment_override == ""
    client.post(
        url, {"segment": "leverage", "override_reason": "Many smelters", "version": vendor.version}
    )
    vendor.refresh_from_db()
    assert (vendor.segment, vendor.override_reason) == (Segment.LEVERAGE, "Many smelters")


def test_prequalification_is_granted_and_revoked_with_a_reason(
    cast: Cast, vendor: Supplier, metals: Category
) -> None:
    client = web_client(cast.owner)
    url = f"/vendors/{vendor.pk}/prequalifications/new/"
    # a prospect cannot be prequalified: the refusal is named
    refused = client.post(url, {"category": metals.pk})
    assert "cannot be prequalified" in refused.content.decode()
    Supplier.objects.filter(pk=vendor.pk).update(stage=Stage.ACTIVE)
    assert client.post(url, {"category": metals.pk}).status_code == 302
    grant = vendor.prequalifications.get()
    assert "current" in client.get(f"/vendors/{vendor.pk}/").content.decode()
    no_reason = client.post(f"/prequalifications/{grant.pk}/revoke/", {"reason": ""})
    assert 'id="id_reason_error"' in no_reason.content.decode()
    client.post(f"/prequalifications/{grant.pk}/revoke/", {"reason": "Audit failed"})
    grant.refresh_from_db()
    assert grant.revoked_reason == "Audit failed"
    assert (
        web_client(cast.outsider).get(f"/prequalifications/{grant.pk}/revoke/").status_code == 404
    )


# --- strategy ----------------------------------------------------------------------------------


def strategy_form(strategy: SupplierStrategy, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "objectives": "Secure cobalt supply to 2030",
        "expectations": "",
        "review_every_days": "60",
        "information_sharing": "strategic",
        "resource_currency": "EUR",
        "version": strategy.version,
        "ladder-TOTAL_FORMS": "2",
        "ladder-INITIAL_FORMS": "0",
        "ladder-0-role": "Vendor manager",
        "ladder-0-after_days": "0",
        "ladder-1-role": "Head of procurement",
        "ladder-1-after_days": "10",
        "raci-TOTAL_FORMS": "1",
        "raci-INITIAL_FORMS": "0",
        "raci-0-activity": "Contract renewal",
        "raci-0-procurement": "R",
        "raci-0-legal": "A",
        "raci-0-finance": "C",
    }
    data.update(overrides)
    return data


def test_strategy_starts_from_the_playbook_and_is_edited_as_rows(
    cast: Cast, vendor: Supplier
) -> None:
    client = web_client(cast.owner)
    empty = client.get(f"/vendors/{vendor.pk}/", {"tab": "strategy"}).content.decode()
    assert "No strategy yet" in empty
    assert "Start from the playbook" in empty
    client.post(f"/vendors/{vendor.pk}/strategy/start/")
    strategy = SupplierStrategy.objects.get(supplier=vendor)
    assert strategy.objectives.startswith("Secure long-term")  # the strategic playbook's
    response = client.post(f"/vendors/{vendor.pk}/strategy/edit/", strategy_form(strategy))
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.objectives == "Secure cobalt supply to 2030"
    assert strategy.escalation_ladder == [
        {"role": "Vendor manager", "after_days": 0},
        {"role": "Head of procurement", "after_days": 10},
    ]
    assert strategy.raci == {"Contract renewal": {"procurement": "R", "legal": "A", "finance": "C"}}
    tab = client.get(f"/vendors/{vendor.pk}/", {"tab": "strategy"}).content.decode()
    assert "Secure cobalt supply to 2030" in tab
    assert "inherited from the playbook" in tab  # the empty expectations
    assert "Head of procurement" in tab
    # the edit form shows the saved rows again
    again = client.get(f"/vendors/{vendor.pk}/strategy/edit/").content.decode()
    assert 'value="Head of procurement"' in again


def test_strategy_refusals_are_shown_beside_their_table(cast: Cast, vendor: Supplier) -> None:
    client = web_client(cast.owner)
    strategy = services.strategy_get_or_create(actor=cast.owner, supplier=vendor)
    two_accountable = strategy_form(strategy, **{"raci-0-finance": "A"})
    response = client.post(f"/vendors/{vendor.pk}/strategy/edit/", two_accountable)
    assert 'id="id_raci_error"' in response.content.decode()
    falling = strategy_form(strategy, **{"ladder-1-after_days": "0", "ladder-0-after_days": "5"})
    response = client.post(f"/vendors/{vendor.pk}/strategy/edit/", falling)
    assert 'id="id_escalation_ladder_error"' in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.version == 1
    assert strategy.raci == {}


def test_kpis_and_levers_are_added_and_bad_input_named(cast: Cast, vendor: Supplier) -> None:
    client = web_client(cast.owner)
    # no strategy yet: the KPI page sends the user to start one
    assert client.get(f"/vendors/{vendor.pk}/strategy/kpis/new/").status_code == 302
    services.strategy_get_or_create(actor=cast.owner, supplier=vendor)
    bad = client.post(f"/vendors/{vendor.pk}/strategy/kpis/new/", {"name": "OTD", "target": "x"})
    assert 'id="id_target_error"' in bad.content.decode()
    kpi = {"name": "On-time delivery", "unit": "%", "target": "98", "direction": "higher"}
    assert client.post(f"/vendors/{vendor.pk}/strategy/kpis/new/", kpi).status_code == 302
    duplicate = client.post(f"/vendors/{vendor.pk}/strategy/kpis/new/", kpi)
    assert 'id="id_name_error"' in duplicate.content.decode()
    lever = {"kind": "volume_commitment", "description": "Two-year volume", "currency": "EUR"}
    assert client.post(f"/vendors/{vendor.pk}/strategy/levers/new/", lever).status_code == 302
    assert StrategyKpi.objects.get().name == "On-time delivery"
    assert NegotiationLever.objects.get().description == "Two-year volume"
    tab = client.get(f"/vendors/{vendor.pk}/", {"tab": "strategy"}).content.decode()
    assert "On-time delivery" in tab
    assert "Two-year volume" in tab


# --- reference data ----------------------------------------------------------------------------


def policy_form(**overrides: Any) -> dict[str, Any]:
    policy = SegmentationPolicy.objects.get(pk=1)
    data: dict[str, Any] = {
        name: getattr(policy, name)
        for name in (
            "weight_spend",
            "weight_category_share",
            "weight_criticality",
            "weight_process_integration",
            "weight_knowledge_sharing",
            "weight_alternatives",
            "weight_switching_cost",
            "weight_market_scarcity",
            "weight_risk_score",
            "weight_supply_nature",
            "profit_threshold",
            "risk_threshold",
            "spend_full_scale",
            "base_currency",
        )
    }
    data["version"] = policy.version
    data.update(overrides)
    return data


def test_everyone_internal_reads_the_policy_and_only_administrators_change_it(
    cast: Cast, vendor: Supplier
) -> None:
    owner_page = web_client(cast.owner).get("/vendors/policy/").content.decode()
    assert "Save policy" not in owner_page
    assert "Total" in owner_page
    assert web_client(cast.owner).post("/vendors/policy/", policy_form()).status_code == 403
    assert web_client(cast.portal_a).get("/vendors/policy/").status_code == 404
    assert "Save policy" in web_client(cast.admin).get("/vendors/policy/").content.decode()


def test_bad_weight_sums_are_refused_and_good_ones_re_place_every_vendor(
    cast: Cast, vendor: Supplier
) -> None:
    admin = web_client(cast.admin)
    refused = admin.post("/vendors/policy/", policy_form(weight_spend=30))
    html = refused.content.decode()
    assert "The profit impact weights add up to 90; they must add up to 100." in html
    assert SegmentationPolicy.objects.get(pk=1).weight_spend == 40
    # raising the profit threshold above the vendor's profit impact makes it a bottleneck
    saved = admin.post("/vendors/policy/", policy_form(profit_threshold="99"))
    assert saved.status_code == 302
    vendor.refresh_from_db()
    assert vendor.segment == Segment.BOTTLENECK


def test_administrators_edit_a_playbook(cast: Cast) -> None:
    url = "/vendors/playbooks/leverage/edit/"
    assert web_client(cast.owner).get(url).status_code == 403
    form = {
        "default_relationship_type": "ongoing",
        "compatible_types": ["ongoing", "partnership"],
        "review_every_days": "120",
        "assessment_depth": "standard",
        "objectives": "Tender yearly",
        "expectations": "",
        "version": 1,
    }
    assert web_client(cast.admin).post(url, {**form, "compatible_types": []}).status_code == 200
    assert web_client(cast.admin).post(url, form).status_code == 302
    html = web_client(cast.owner).get("/vendors/policy/").content.decode()
    assert "Tender yearly" in html


def test_categories_are_administered(cast: Cast, vendor: Supplier, metals: Category) -> None:
    admin = web_client(cast.admin)
    assert web_client(cast.owner).get("/categories/new/").status_code == 403
    assert web_client(cast.owner).post(f"/categories/{metals.pk}/edit/", {}).status_code == 403
    created = admin.post(
        "/categories/new/", {"code": "copper", "name": "Copper", "parent": metals.pk}
    )
    assert created.status_code == 302
    duplicate = admin.post("/categories/new/", {"code": "copper", "name": "Copper again"})
    assert 'id="id_code_error"' in duplicate.content.decode()
    copper = Category.objects.get(code="copper")
    cycle = admin.post(
        f"/categories/{metals.pk}/edit/",
        {"name": "Metals", "parent": copper.pk, "version": metals.version},
    )
    assert 'id="id_parent_error"' in cycle.content.decode()
    listing = web_client(cast.owner).get("/categories/").content.decode()
    assert "Copper" in listing
    detail = web_client(cast.owner).get(f"/categories/{metals.pk}/").content.decode()
    assert "Aurora Metals" in detail
    assert "Copper" in detail  # a subcategory


def test_kpis_and_levers_are_edited_with_their_version(cast: Cast, vendor: Supplier) -> None:
    # given a strategy with a KPI and a lever
    strategy = services.strategy_get_or_create(actor=cast.owner, supplier=vendor)
    kpi = services.kpi_add(actor=cast.owner, strategy=strategy, name="OTD", target=Decimal(95))
    lever = services.lever_add(
        actor=cast.owner, strategy=strategy, kind="longer_term", description="Three years"
    )
    client = web_client(cast.owner)
    html = client.get(f"/vendors/{vendor.pk}/?tab=strategy").content.decode()
    assert f"/strategy-kpis/{kpi.pk}/edit/" in html
    # when the owner raises the target
    data = {"name": "OTD", "unit": "%", "target": "97.5", "direction": "higher", "version": 1}
    assert client.post(f"/strategy-kpis/{kpi.pk}/edit/", data).status_code == 302
    kpi.refresh_from_db()
    assert kpi.target == Decimal("97.5")
    # then a second save from the same page is stale and changes nothing
    stale = client.post(f"/strategy-kpis/{kpi.pk}/edit/", {**data, "target": "50"})
    assert stale.status_code == 200
    assert "Reload the current version" in stale.content.decode()
    kpi.refresh_from_db()
    assert kpi.target == Decimal("97.5")
    # when the lever is taken out of play (an unticked box is absent from the form)
    lever_data = {"kind": "longer_term", "description": "Three years", "currency": "EUR"}
    response = client.post(f"/negotiation-levers/{lever.pk}/edit/", {**lever_data, "version": 1})
    assert response.status_code == 302
    lever.refresh_from_db()
    assert lever.in_play is False
    # and someone who may not change the vendor gets neither page nor change
    outsider = web_client(cast.outsider)
    assert outsider.get(f"/strategy-kpis/{kpi.pk}/edit/").status_code in (403, 404)
    refused = outsider.post(f"/negotiation-levers/{lever.pk}/edit/", {**lever_data, "version": 2})
    assert refused.status_code in (403, 404)
    # a reviewer can read the strategy but not edit the KPI
    reviewer = web_client(cast.reviewer)
    assert reviewer.post(f"/strategy-kpis/{kpi.pk}/edit/", data).status_code in (403, 404)


def test_home_shows_my_vendors_needing_attention_and_links_to_the_vendor_page(
    cast: Cast, vendor: Supplier
) -> None:
    # given the owner's strategic vendor kept on a transactional footing (a mismatch)
    assert vendor.segment == Segment.STRATEGIC
    html = web_client(cast.owner).get("/").content.decode()
    # then home counts it and links to the filtered list, and the vendor links to its page
    assert "My vendors needing attention" in html
    assert f"/vendors/?owner={cast.owner.pk}&amp;mismatch=true" in html
    assert f'href="/vendors/{vendor.pk}/"' in html
    # and someone who owns no vendor is not shown the card
    assert "My vendors needing attention" not in web_client(cast.reviewer).get("/").content.decode()
