"""Property tests of the API against its own OpenAPI schema (schemathesis, in process).

Schemathesis generates requests for every operation of /api/schema/ (valid and invalid ones)
and sends them to the WSGI application, authenticated with a real API token of an
administrator over the shared test cast, whose relationship with A is a vendor with a record of
every supply-side kind, of measured performance, and of spend and savings. Its default checks
must hold: no 5xx, and every status code, header, content type and body as the schema describes
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from steward.assessments import services as assessment_services
from steward.assessments.services.reassessments import version_for_depth
from steward.compliance.services import audits as compliance_audits
from steward.compliance.services import certifications as compliance_certifications
from steward.compliance.services import requests as compliance_requests
from steward.contracts import services as contract_services
from steward.contracts.models import ApprovalRule, Contract
from steward.contracts.tests.test_documents import pdf_bytes
from steward.issues import services as issue_services
from steward.parties.tests.cast import Cast, build_cast
from steward.people.services import api_token_create
from steward.plans.services import initiative_create, milestone_add
from steward.portal import services as portal_services
from steward.reviews import services_reviews
from steward.reviews.services import activity_log
from steward.risk import services as risk_services
from steward.risk.choices import Depth
from steward.savings.services import initiatives as initiative_services
from steward.savings.services import tco as tco_services
from steward.scorecards.services import feedback
from steward.scorecards.tests import factories as scorecard_factories
from steward.spend.choices import ImportStatus
from steward.spend.money import month_add, month_of, month_start
from steward.spend.services import reference as spend_reference
from steward.spend.tests.factories import CostCenterFactory, Line, SpendImportFactory, store
from steward.suppliers import services as supplier_services
from steward.suppliers.models import Category, ChecklistItem, Supplier
from steward.suppliers.tests.factories import SupplierFactory

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]


def supply_side(cast: Cast) -> None:
    """A vendor of A with a record of every kind, so responses are checked on real rows too."""
    owner = cast.owner
    category = Category.objects.create(code="metals", name="Metals")
    vendor = supplier_services.supplier_profile_create(
        actor=owner,
        relationship=cast.rel_a,
        categories=[category],
        annual_spend=Decimal("420000.50"),
        criticality=4,
        alternatives=1,
        risk_score=Decimal("35.5"),
        supply_nature="specialized",
    )
    supplier_services.supplier_transition(
        actor=owner, supplier=vendor, to_stage="qualification", reason="Shortlisted"
    )
    for item in ChecklistItem.objects.filter(supplier=vendor)[:1]:
        supplier_services.checklist_set(actor=owner, item=item, done=True, note="filed")
    supplier_services.prequalification_grant(actor=owner, supplier=vendor, category=category)
    vendor.refresh_from_db()
    supplier_services.supplier_override_segment(
        actor=owner,
        supplier=vendor,
        expected_version=vendor.version,
        segment="strategic",
        reason="Sole source",
    )
    strategy = supplier_services.strategy_get_or_create(actor=owner, supplier=vendor)
    supplier_services.strategy_update(
        actor=owner,
        strategy=strategy,
        expected_version=strategy.version,
        escalation_ladder=[{"role": "Head of procurement", "person": None, "after_days": 5}],
        raci={"Renewal": {"legal": "A"}},
        resource_people=[owner],
    )
    supplier_services.kpi_add(actor=owner, strategy=strategy, name="OTD", target=Decimal(98))
    supplier_services.lever_add(
        actor=owner, strategy=strategy, kind="longer_term", description="Three years"
    )
    initiative = initiative_create(
        actor=owner, relationship=cast.rel_a, title="Dual source", kind="risk_reduction"
    )
    milestone_add(actor=owner, initiative=initiative, title="RFI", due_on=dt.date(2026, 3, 1))
    activity_log(
        actor=owner,
        relationship=cast.rel_a,
        subject="Kick-off",
        occurred_on=dt.date(2026, 1, 5),
        participants=[owner],
    )
    # A contract in an approval round, with a negotiation entry.
    ApprovalRule.objects.create(name="Legal always", function="legal", approver=cast.member)
    contract = contract_services.contract_create(
        actor=owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind="master",
        start_date=dt.date(2026, 1, 1),
        term_months=12,
        annual_value=Decimal("120000.00"),
        notice_count=3,
        notice_unit="months",
    )
    contract_services.negotiation_log(
        actor=owner, contract=contract, term="price", our_position="-5 %"
    )
    contract_services.contract_transition(
        actor=owner, contract=contract, to_status="pending_approval", reason="Ready"
    )


def performance(cast: Cast) -> None:
    """Issue 5's records on A: an escalated issue that was moved on, a rung of the escalation
    ladder, and a business review with a decision and an action item shared with the portal."""
    owner = cast.owner
    issue_services.escalation_level_add(
        actor=owner,
        relationship=cast.rel_a,
        level=1,
        name="Account manager",
        internal_contact=owner,
        counterparty_contact=cast.contact_a_shared,
        after_hours=4,
    )
    issue = issue_services.issue_open(
        actor=owner,
        relationship=cast.rel_a,
        title="Late castings",
        category="delivery",
        severity="high",
        description="Two lots late",
        shared_with_portal=True,
    )
    issue_services.issue_transition(actor=owner, issue=issue, to="acknowledged")
    issue_services.issue_escalate(actor=owner, issue=issue, note="Third late lot")
    review = services_reviews.review_schedule(
        actor=owner,
        relationship=cast.rel_a,
        scheduled_on=dt.date(2026, 4, 15),
        title="Q1 review",
        attendees=[owner],
        contacts=[cast.contact_a_shared],
    )
    services_reviews.review_prepare_agenda(actor=owner, review=review)
    services_reviews.review_decision_add(actor=owner, review=review, text="Dual-source castings")
    services_reviews.action_item_add(
        actor=owner,
        review=review,
        title="Send the recovery plan",
        due_on=dt.date(2026, 5, 1),
        side="theirs",
        owner_contact=cast.contact_a_shared,
        shared_with_portal=True,
    )
    # A closed quarter's card of A, shared, appealed and corrected; the next quarter open, with
    # the administrator's survey question; a measurement; an improvement plan with a target.
    _, version = scorecard_factories.template_with_criteria(name="Vendor scorecard")
    closed = scorecard_factories.ScorecardPeriodFactory(version=version, closed=True)
    card = scorecard_factories.scored_card(
        period=closed,
        relationship=cast.rel_a,
        scores={"delivery": Decimal(60), "quality": Decimal(80)},
        shared_with_portal=True,
    )
    appeal = feedback.appeal_raise(
        actor=cast.portal_a, card=card, kind="appeal", body="February was your forecast"
    )
    feedback.card_correct(
        actor=owner,
        card=card,
        criterion=version.criteria.get(code="delivery"),
        to_score=Decimal(70),
        reason="Forecast change",
        appeal=appeal,
    )
    open_period = scorecard_factories.ScorecardPeriodFactory(
        version=version, starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2024, 6, 30)
    )
    scorecard_factories.SurveyResponseFactory(
        survey=scorecard_factories.SurveyFactory(period=open_period, relationship=cast.rel_a),
        respondent=cast.admin,
    )
    scorecard_factories.MeasurementFactory(relationship=cast.rel_a, entered_by=owner)
    plan = scorecard_factories.ImprovementPlanFactory(relationship=cast.rel_a, owner=owner)
    scorecard_factories.ImprovementTargetFactory(plan=plan)


def _months_ago(months: int, day: int) -> dt.date:
    """A day of a whole month before this one: inside the figures' default period."""
    return month_start(month_add(month_of(timezone.localdate()), -months)).replace(day=day)


def spend(cast: Cast) -> None:
    """Issue 6's records: the reference data, a done and a refused import, a ledger of A and B
    over the last months (on and off A's contract, with a cost center, priced lines and an
    off-contract lever), a savings initiative in progress and a TCO comparison of A and B."""
    admin = cast.admin
    vendor_a = Supplier.objects.get(pk=cast.rel_a.pk)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    metals = Category.objects.get(code="metals")
    contract = Contract.objects.get(relationship=cast.rel_a, title="Castings supply")
    cost_center = CostCenterFactory(code="CC-OPS", name="Operations")
    source = spend_reference.spend_source_create(
        actor=admin,
        name="ERP invoices",
        mapping={"date": "Invoice date", "amount": "Net", "vendor_name": "Supplier"},
    )
    spend_reference.category_rule_create(
        actor=admin, field="gl_account", pattern="6200", category=metals
    )
    spend_reference.exchange_rate_create(
        actor=admin, currency="USD", rate_date=dt.date(2025, 1, 1), rate=Decimal("0.9123")
    )
    spend_reference.vendor_alias_confirm(
        actor=admin, raw_name="Aurora Metals Handels GmbH", supplier=vendor_a
    )
    spend_reference.contract_price_create(
        actor=admin, contract=contract, item="CAST-1", unit_price=Decimal("95.5000")
    )
    SpendImportFactory(
        source=source,
        created_by=admin,
        status=ImportStatus.REFUSED,
        errors=[{"row": 3, "field": "amount", "message": "“ten” is not an amount."}],
        unmatched=[
            {
                "name": "Borealis Logistik",
                "tax_id": "",
                "count": 2,
                "rows": [4, 7],
                "suggestions": [{"supplier_id": vendor_b.pk, "name": "Borealis", "score": 88}],
            }
        ],
    )
    done = SpendImportFactory(source=source, created_by=admin, status=ImportStatus.DONE)
    store(
        [
            Line(
                vendor_a,
                _months_ago(3, 4),
                Decimal("1000.00"),
                category=metals,
                contract=contract,
                item="CAST-1",
                quantity=Decimal(10),
                price_variance=Decimal("45.00"),
                document="INV-1",
            ),
            Line(
                vendor_a,
                _months_ago(2, 9),
                Decimal("12500.00"),
                category=metals,
                cost_center=cost_center,
                document="INV-2",
                description="Off-contract castings",
            ),
            Line(
                vendor_b,
                _months_ago(1, 15),
                Decimal("820.40"),
                currency="USD",
                amount_base=Decimal("748.45"),
                document="INV-3",
            ),
        ],
        batch=done,
    )
    initiative = initiative_services.savings_initiative_create(
        actor=cast.owner,
        title="Castings price",
        kind="negotiation",
        supplier=vendor_a,
        baseline_method="unit_price",
        item="CAST-1",
        baseline_unit_price=Decimal("105.0000"),
        baseline_annual_spend=Decimal("12000.00"),
        negotiated_unit_price=Decimal("95.5000"),
        effective_date=_months_ago(4, 1),
    )
    initiative_services.savings_initiative_transition(
        actor=cast.owner, initiative=initiative, to_status="in_progress"
    )
    comparison = tco_services.tco_comparison_create(
        actor=admin, title="Castings TCO", annual_quantity=Decimal(1200), category=metals
    )
    tco_services.tco_option_add(
        actor=admin, comparison=comparison, supplier=vendor_a, freight_per_unit=Decimal("2.5")
    )
    tco_services.tco_option_add(
        actor=admin, comparison=comparison, supplier=vendor_b, unit_price=Decimal("97.0000")
    )


def risk_side(cast: Cast) -> None:
    """Issue 7's records on vendor A (B is the spend fixture's vendor): a tiering intake, a risk,
    a finding, a fourth party, a certificate, a request to the vendor, an audit with a finding,
    an assessment sent to the portal and an open portal invitation."""
    admin = cast.admin
    vendor_a = Supplier.objects.get(pk=cast.rel_a.pk)
    today = timezone.localdate()
    risk_services.risk_profile_save(
        actor=admin,
        supplier=vendor_a,
        data_handled="personal",
        system_access="user",
        business_criticality=4,
        substitutability="hard",
        regulatory_exposure="some",
    )
    risk_services.risk_create(
        actor=admin,
        relationship=cast.rel_a,
        category="cybersecurity",
        title="Shared admin accounts",
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=4,
        review_on=today + dt.timedelta(days=90),
    )
    risk_services.finding_open(
        actor=admin,
        supplier=vendor_a,
        source="other",
        title="No MFA on the support portal",
        severity="high",
        remediation_due_on=today + dt.timedelta(days=60),
    )
    risk_services.subcontractor_add(
        actor=admin, supplier=vendor_a, organization=cast.org_b, service="Hosting"
    )
    pdf = SimpleUploadedFile("soc2.pdf", pdf_bytes("SOC 2"), content_type="application/pdf")
    compliance_certifications.certification_add(
        actor=admin,
        supplier=vendor_a,
        kind="soc2_type2",
        title="SOC 2 Type II",
        effective_on=today - dt.timedelta(days=300),
        expires_on=today + dt.timedelta(days=30),
        upload=pdf,
    )
    compliance_requests.document_request_create(
        actor=admin, supplier=vendor_a, kind="dpa", due_on=today + dt.timedelta(days=14)
    )
    audit = compliance_audits.audit_plan(
        actor=admin,
        supplier=vendor_a,
        title="Data centre audit",
        kind="on_site",
        planned_on=today + dt.timedelta(days=20),
        lead_auditor=admin,
    )
    audit = compliance_audits.audit_transition(actor=admin, audit=audit, to_status="in_progress")
    compliance_audits.audit_finding_raise(
        actor=admin,
        audit=audit,
        title="Badge logs kept for 30 days only",
        severity="medium",
        corrective_action="Keep them for a year.",
        remediation_due_on=today + dt.timedelta(days=90),
    )
    version = version_for_depth(Depth.LIGHT)
    assert version is not None
    assessment = assessment_services.assessment_create(
        actor=admin, supplier=vendor_a, template_version=version
    )
    assessment_services.assessment_send(
        actor=admin, assessment=assessment, due_on=today + dt.timedelta(days=21)
    )
    portal_services.invitation_create(
        actor=admin, supplier=vendor_a, email="new.contact@example.com", first_name="Nina"
    )


# --- issue 8: evaluation and award (the awards app's block) -----------------------------------


def awards_side(cast: Cast) -> None:
    """Closed, weighted sourcing events with bids of A, B and a third vendor (one in USD): one
    scored and awarded to A (approved, waiting for A's confirmation), one proposed and waiting
    for approval, one closed with nothing proposed, so the comparison, the scores, the awards
    and their lines, and every award action run on real rows."""
    from steward.awards import services as award_services
    from steward.awards.tests.factories import bid, build_world, three_bids
    from steward.sourcing.tests.factories import CriterionFactory, procurement_user

    buyer = procurement_user("schemathesis-buyer")
    awarded = three_bids(build_world(cast, weighted=True))
    criterion = CriterionFactory(event=awarded.event, name="Quality", max_value=Decimal("0.1"))
    award_services.criterion_score_set(
        actor=cast.owner, invitation=awarded.inv_b, criterion=criterion, value="0.05"
    )
    award_services.award_propose(
        actor=cast.owner, event=awarded.event, allocations=awarded.inv_a, rationale="Best TCO"
    )
    award_services.award_approve(actor=buyer, event=awarded.event)
    proposed = three_bids(build_world(cast))
    award_services.award_propose(
        actor=cast.owner, event=proposed.event, allocations=proposed.inv_b, rationale="Stock"
    )
    closed = build_world(cast)
    bid(closed.inv_a, {closed.line(1): Decimal("2.10"), closed.line(2): Decimal("4.20")})
    bid(
        closed.inv_b,
        {closed.line(1): {"unit_price": Decimal(230), "price_per": Decimal(100)}},
        currency="USD",
    )


# --- issue 8: bids (the bidding app's block) ---------------------------------------------------


def bidding_side(cast: Cast) -> None:
    """An event of the owner's that closed after vendor A bid twice (the second time with a
    file), so bids, their lines and files, and the download answer on real rows."""
    from steward.bidding.tests.factories import build_bid_world, pdf_file, submit, unseal

    world = build_bid_world(cast)
    submit(world, world.invitation_a, cast.portal_a)
    submit(world, world.invitation_a, cast.portal_a, attachments=[pdf_file()])
    unseal(world.event)


# --- issue 8: sourcing events (the sourcing app's block) ---------------------------------------


def sourcing_side(cast: Cast) -> None:
    """A weighted draft with a line, a question to bidders, a criterion, a document and a team
    member; an open event with vendor A invited, a question from A waiting and an answer
    published; so every sourcing operation runs on real rows (publish and cancel included)."""
    from steward.sourcing import services as sourcing_services
    from steward.sourcing.tests.factories import drawing, procurement_user

    buyer = procurement_user("schemathesis-sourcing")
    vendor_a = Supplier.objects.get(pk=cast.rel_a.pk)  # prequalified for metals above
    metals = Category.objects.get(code="metals")
    closes = timezone.now() + dt.timedelta(days=14)
    draft = sourcing_services.event_create(
        actor=buyer, kind="rfp", title="Castings", category=metals, currency="EUR", closes_at=closes
    )
    sourcing_services.line_add(
        actor=buyer, event=draft, description="Housing", quantity=Decimal(200), unit="pc"
    )
    sourcing_services.bidder_question_add(actor=buyer, event=draft, text="Warranty terms?")
    sourcing_services.criterion_add(actor=buyer, event=draft, name="Quality", max_value="0.1")
    sourcing_services.attachment_add(actor=buyer, event=draft, upload=drawing())
    sourcing_services.member_add(actor=buyer, event=draft, user=cast.member)
    sourcing_services.invitation_create(actor=buyer, event=draft, supplier=vendor_a)
    opened = sourcing_services.event_create(
        actor=buyer, kind="rfq", title="Flanges", category=metals, currency="EUR", closes_at=closes
    )
    sourcing_services.line_add(
        actor=buyer, event=opened, description="Flange", quantity=Decimal(50)
    )
    invitation = sourcing_services.invitation_create(actor=buyer, event=opened, supplier=vendor_a)
    sourcing_services.event_publish(actor=buyer, event=opened)
    invitation.refresh_from_db()
    sourcing_services.clarification_ask(
        actor=cast.portal_a, invitation=invitation, question="Is a forged flange fine?"
    )
    sourcing_services.clarification_post(
        actor=buyer, event=opened, question="Delivery", answer="DAP Stuttgart"
    )


# --- issue 9: products, accounts and whitespace (the accounts app's block) ------------------


def accounts_side(cast: Cast) -> None:
    """The catalog (families, products, a bundle with an item) and a demand-side account on A
    with a profile, a buying unit, an installed product and a filled whitespace matrix."""
    from steward.accounts import services as account_services
    from steward.accounts.tests.world import demand_accounts
    from steward.catalog import services as catalog_services

    admin = cast.admin
    family = catalog_services.family_create(actor=admin, code="ST-PKG", name="Packaging")
    product = catalog_services.product_create(
        actor=admin,
        family=family,
        sku="ST-FILM",
        name="Stretch film",
        list_price=Decimal("12.50"),
        standard_cost=Decimal("7.25"),
    )
    bundle = catalog_services.bundle_create(actor=admin, code="ST-BND", name="Starter kit")
    catalog_services.bundle_item_add(actor=admin, bundle=bundle, product=product)
    account = demand_accounts(cast).account_a
    account_services.account_profile_update(
        actor=admin, relationship=account, segment="enterprise", wallet=Decimal(100000)
    )
    unit = account_services.buying_unit_create(
        actor=admin, relationship=account, name="Rolling mill", site=cast.site_a_private
    )
    account_services.installed_product_add(
        actor=admin,
        relationship=account,
        product=product,
        buying_unit=unit,
        annual_revenue=Decimal(5000),
    )
    account_services.whitespace_fill(actor=admin, relationship=account)


# --- issue 9: opportunities and everything on them (the pipeline app's block) ----------------


def pipeline_side(cast: Cast) -> None:
    """On the accounts app's customer account of A: an open opportunity with a line, a contact,
    credit splits, two versions of a proposal and its stage history; a won one and a lost one,
    so every pipeline endpoint (and the forecast) runs on real rows."""
    from steward.catalog.models import Product
    from steward.parties.models import Relationship
    from steward.pipeline import services as pipeline_services

    owner = cast.owner
    account = Relationship.objects.get(organization=cast.org_a, side="demand")
    product = Product.objects.get(sku="ST-FILM")
    soon = timezone.localdate() + dt.timedelta(days=20)

    def opened(name: str) -> Any:
        opportunity = pipeline_services.opportunity_create(
            actor=owner,
            relationship=account,
            name=name,
            close_date=soon,
            penetration_type="new_product",
        )
        pipeline_services.line_add(
            actor=owner, opportunity=opportunity, product=product, quantity=Decimal(40)
        )
        return opportunity

    deal = opened("Schema film deal")
    pipeline_services.opportunity_move(actor=owner, opportunity=deal, stage="proposal")
    pipeline_services.contact_add(
        actor=owner, opportunity=deal, contact=cast.contact_a_shared, buying_role="decision_maker"
    )
    pipeline_services.credits_set(
        actor=owner,
        opportunity=deal,
        splits=[(owner, "owner", Decimal(80)), (cast.member, "specialist", Decimal(20))],
    )
    for text in (b"one", b"two"):
        pipeline_services.proposal_upload(
            actor=owner,
            opportunity=deal,
            title="Film offer",
            upload=SimpleUploadedFile(
                "offer.pdf", b"%PDF-1.4\n% " + text + b"\n%%EOF\n", content_type="application/pdf"
            ),
        )
    pipeline_services.opportunity_win(actor=owner, opportunity=opened("Schema won deal"))
    pipeline_services.opportunity_lose(
        actor=owner, opportunity=opened("Schema lost deal"), reason="Price"
    )


# --- issue 9: quotas, revenue, service costs and training (the quotas app's block) -----------


def quotas_side(cast: Cast) -> None:
    """A quota of ``owner`` in force today and a won deal credited to them, a training
    objective, a month of revenue and a cost to serve on a customer account of ``owner``: every
    quotas endpoint (the figures included) runs on real rows."""
    from steward.parties.choices import Side
    from steward.parties.tests.factories import OrganizationFactory, RelationshipFactory
    from steward.quotas import services as quota_services
    from steward.quotas.tests.factories import won

    today = timezone.localdate()
    customer = OrganizationFactory(legal_name="Quota Customer AG", owner=cast.owner)
    account = RelationshipFactory(organization=customer, side=Side.DEMAND, owner=cast.owner)
    quota_services.quota_set(
        actor=cast.manager,
        person=cast.owner,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        currency="EUR",
        sales_target=Decimal(90000),
        margin_target=Decimal(30000),
    )
    won(
        relationship=account,
        owner=cast.owner,
        amount="12000",
        cost="7000",
        closed_on=today,
        credits=[(cast.owner, "70"), (cast.member, "30")],
    )
    quota_services.training_objective_set(
        actor=cast.admin, person=cast.owner, title="Negotiation", due_on=today
    )
    last_month = month_start(month_add(month_of(today), -1))
    quota_services.account_revenue_record(
        actor=cast.admin,
        relationship=account,
        month=last_month,
        currency="EUR",
        revenue=Decimal(1000),
        cost=Decimal(600),
    )
    quota_services.service_cost_record(
        actor=cast.admin,
        relationship=account,
        month=last_month,
        kind="support",
        currency="EUR",
        amount=Decimal(50),
    )


# --- issue 9: joint account plans (the accountplans app's block) -----------------------------


def accountplans_side(cast: Cast) -> None:
    """A customer account with an active plan holding one row of every kind (a person on the
    map, an objective, a linked initiative and action, a review), and a second account without
    a plan, so every plan operation runs on real rows (start, close and standing included)."""
    from steward.accountplans import services as plan_services
    from steward.parties.tests.factories import (
        ContactFactory,
        OrganizationFactory,
        RelationshipFactory,
    )
    from steward.plans.tests.factories import InitiativeFactory

    def account(name: str) -> Any:
        organization = OrganizationFactory(legal_name=name, owner=cast.owner)
        return RelationshipFactory(
            organization=organization, side="demand", owner=cast.owner, status="active"
        )

    customer = account("Nimbus Foundry GmbH")
    account("Stratus Castings SA")
    today = timezone.localdate()
    plan = plan_services.plan_create(
        actor=cast.owner,
        relationship=customer,
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
        goals="Double the foundry's output",
    )
    sponsor = ContactFactory(organization=customer.organization)
    plan_services.stakeholder_add(
        actor=cast.owner, plan=plan, contact=sponsor, decision_role="executive_sponsor"
    )
    plan_services.objective_add(
        actor=cast.owner, plan=plan, title="Uptime", owner=cast.owner, stakeholder=sponsor
    )
    plan_services.initiative_link_add(
        actor=cast.owner, plan=plan, initiative=InitiativeFactory(relationship=customer)
    )
    plan_services.action_link_create(
        actor=cast.owner, plan=plan, title="Plant visit", due_on=today, owner=cast.owner
    )
    plan_services.plan_review_record(actor=cast.owner, plan=plan, held_on=today)


# --- issue 9: surveys, health and face-to-face meetings (the satisfaction app's block) --------


def satisfaction_side(cast: Cast) -> None:
    """On the accounts app's customer account of A: an entered NPS detractor and a CSAT answer,
    a survey request answered through its link and one still open, so every satisfaction
    endpoint (and the account's satisfaction with its warnings) runs on real rows."""
    from steward.parties.models import Relationship
    from steward.satisfaction.services.requests import survey_answer, survey_request_send
    from steward.satisfaction.services.responses import response_record

    owner = cast.owner
    account = Relationship.objects.get(organization=cast.org_a, side="demand")
    today = timezone.localdate()
    response_record(
        actor=owner,
        relationship=account,
        kind="nps",
        score=4,
        answered_on=today - dt.timedelta(days=3),
        contact=cast.contact_a_shared,
        comment="Schema detractor",
    )
    response_record(actor=owner, relationship=account, kind="csat", score=5, answered_on=today)
    _answered, link = survey_request_send(
        actor=owner, relationship=account, contact=cast.contact_a_private
    )
    survey_answer(token=link.rstrip("/").rsplit("/", 1)[-1], scores={"nps": 9, "csat": 4})
    survey_request_send(actor=owner, relationship=account, contact=cast.contact_a_shared)


# --- issue 9: handoffs from business development (the handoffs app's block) ------------------


def handoffs_side(cast: Cast) -> None:
    """A draft handoff of account A with a step, a risk and a named contact; another account
    handed over with an overdue commitment, accepted, one item closed; so every handoff and
    item operation (the status actions, close and reopen) runs on real rows."""
    from steward.handoffs import services as handoff_services
    from steward.handoffs.tests.factories import bd_user, commitment, days, step
    from steward.parties.choices import Side
    from steward.parties.models import Relationship

    bd = bd_user("schemathesis-bd")
    account_a = Relationship.objects.get(organization=cast.org_a, side=Side.DEMAND)
    draft = handoff_services.handoff_create(
        actor=bd, relationship=account_a, first_review_on=days(30), summary="Won in May"
    )
    step(bd, draft, due_on=days(3))
    handoff_services.item_add(
        actor=bd,
        handoff=draft,
        kind="risk",
        title="Data migration slips",
        owner=cast.owner,
        severity=3,
        mitigation="Weekly check",
    )
    handoff_services.item_add(
        actor=bd,
        handoff=draft,
        kind="contact",
        title="Project sponsor",
        owner=cast.owner,
        contact=cast.contact_a_shared,
        contact_role="Signs off the go-live",
    )
    other = Relationship.objects.get(organization=cast.org_b, side=Side.DEMAND)
    live = handoff_services.handoff_create(actor=bd, relationship=other, first_review_on=days(9))
    promise = commitment(bd, live, cast.contact_b)
    step(bd, live, title="Kick-off call")
    live = handoff_services.handoff_submit(actor=bd, handoff=live)
    handoff_services.handoff_accept(actor=other.owner, handoff=live)
    handoff_services.item_close(actor=cast.admin, item=promise, note="Agreed the dates")


# --- issue 9: pre-visit briefs and post-visit notes (the visits app's block) -------------------


def visits_side(cast: Cast) -> None:
    """On the accountplans block's account with a plan: a post-visit note that met the sponsor,
    changed their sentiment, added an action and closed the plan's action, so the notes and
    the account's brief (objectives, map, actions, activity) answer on real rows."""
    from steward.accountplans.models import AccountPlan
    from steward.reviews.models import ActionItem
    from steward.visits.services import Attendee, NewAction, visit_note_record

    plan = AccountPlan.objects.get(relationship__organization__legal_name="Nimbus Foundry GmbH")
    today = timezone.localdate()
    sponsor = plan.stakeholders.get().contact
    visit_note_record(
        actor=cast.owner,
        relationship=plan.relationship,
        visited_on=today,
        summary="Toured the foundry",
        attendees=[Attendee(contact=sponsor, sentiment="champion")],
        new_actions=[NewAction(title="Send the trial offer", due_on=today)],
        done_actions=[ActionItem.objects.get(relationship=plan.relationship, title="Plant visit")],
    )


@pytest.fixture(autouse=True)
def app_on_the_test_connection() -> Iterator[None]:
    # The application runs in this thread on the test's database connection, inside the test's
    # transaction; Django must not close that connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded once at collection: serving the schema reads no database rows. Each operation
# becomes a test of its own.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# The coverage phase walks every boundary of every query parameter (minutes on a list with a
# dozen filters); examples and bounded fuzzing keep the whole run near half a minute.
schema.config.phases.coverage.enabled = False


@dataclass(frozen=True)
class World:
    token: str  # an administrator's
    bidder_token: str  # vendor A's portal user's, invited to an event open for bids


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Every block's rows, written once per module in a transaction that is rolled back after
    it. Each operation's test runs in a savepoint inside it, so what one test's requests change
    is gone before the next, and some eight hundred tests do not each rebuild the same world."""
    media = tmp_path_factory.mktemp("media")  # imported files go to a temporary folder
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        cast = build_cast()
        for block in (
            supply_side,
            performance,
            spend,
            risk_side,
            awards_side,
            bidding_side,
            sourcing_side,
            accounts_side,
            pipeline_side,
            quotas_side,
            accountplans_side,
            satisfaction_side,
            handoffs_side,
            visits_side,
        ):
            block(cast)
        yield World(
            token=api_token_create(actor=cast.admin, name="schemathesis")[1],
            bidder_token=bidder_token(cast),
        )
        transaction.set_rollback(True)


# Five generated cases per operation (besides the schema's own examples): some eight hundred
# operations on two databases, each case a request through the whole stack, is most of what the
# suite spends here, and it must stay within CI's time on a slow day.
@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case: Any, world: World) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world.token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


# --- issue 8: bids as their bidder sends them (the bidding app's block) -----------------------
# The run above calls as an administrator, whom the bid endpoints refuse as a bidder (403); here
# vendor A's portal user calls them, with an invitation to an event still open for bids, so the
# submission's own refusals are checked against the schema too.


def bidder_token(cast: Cast) -> str:
    from steward.bidding.tests.factories import invite, make_event

    event = make_event(cast.owner, category=Category.objects.get(code="bearings"))
    invite(event, cast.rel_a)
    return api_token_create(actor=cast.portal_a, name="schemathesis bidder")[1]


@schema.include(path_regex=r"^/api/v1/bid").parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_bid_endpoints_answer_a_bidder_as_their_schema_says(case: Any, world: World) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world.bidder_token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
