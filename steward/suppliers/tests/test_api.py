"""The /api/v1/ endpoints of the supply side: vendors and their lifecycle, checklist,
prequalifications and segments; categories, the segmentation policy and playbooks; strategies
with their KPIs and levers."""

from __future__ import annotations

from typing import Any

import pytest

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import OrganizationFactory
from steward.suppliers import services
from steward.suppliers.choices import ChecklistItemCode, Stage
from steward.suppliers.models import (
    Category,
    ChecklistItem,
    LifecycleTransition,
    NegotiationLever,
    Prequalification,
    SegmentationPolicy,
    SegmentChange,
    SegmentPlaybook,
    StrategyKpi,
    Supplier,
    SupplierStrategy,
)
from steward.suppliers.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

VENDORS = "/api/v1/vendors/"
CHECKLIST = "/api/v1/vendor-checklist-items/"
PREQUALIFICATIONS = "/api/v1/prequalifications/"
TRANSITIONS = "/api/v1/lifecycle-transitions/"
SEGMENT_CHANGES = "/api/v1/segment-changes/"
CATEGORIES = "/api/v1/categories/"
POLICY = "/api/v1/segmentation-policy/"
PLAYBOOKS = "/api/v1/segment-playbooks/"
STRATEGIES = "/api/v1/supplier-strategies/"
KPIS = "/api/v1/strategy-kpis/"
LEVERS = "/api/v1/negotiation-levers/"

# Inputs that place a vendor high on both axes: strategic.
STRATEGIC_INPUTS = {
    "annual_spend": "900000.00",
    "criticality": 5,
    "process_integration": 5,
    "alternatives": 0,
    "switching_cost": 5,
    "market_scarcity": 5,
}


@pytest.fixture
def vendor(cast: Cast) -> Supplier:
    """The supply relationship of organization A as a vendor (a prospect)."""
    return services.supplier_profile_create(actor=cast.owner, relationship=cast.rel_a)


def in_stage(supplier: Supplier, stage: str) -> Supplier:
    Supplier.objects.filter(pk=supplier.pk).update(stage=stage)
    supplier.refresh_from_db()
    return supplier


# --- vendors -------------------------------------------------------------------------------------


def test_vendor_created_on_an_organization_is_read_changed_archived_and_restored(
    cast: Cast,
) -> None:
    api = api_client(cast.owner)
    cloud = CategoryFactory(code="cloud", name="Cloud hosting")
    organization = OrganizationFactory(owner=cast.owner)

    # given a vendor started on an organization, with a category and segmentation inputs
    created = api.post(
        VENDORS,
        {"organization": organization.pk, "categories": [cloud.pk], "tier": 1, **STRATEGIC_INPUTS},
        format="json",
    )

    # then it is a prospect placed on the matrix at once, with its version as ETag
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert created.headers["ETag"] == '"1"'
    assert body["organization"] == organization.pk
    assert body["owner"] == cast.owner.pk
    assert body["stage"] == Stage.PROSPECT
    assert body["segment"] == "strategic"
    assert body["categories"] == [cloud.pk]
    assert {step["stage"] for step in body["next_stages"]} == {"qualification", "offboarded"}
    assert ChecklistItem.objects.filter(supplier_id=pk).count() == 4

    # when its inputs change with the version it read, then it is re-placed
    patched = api.patch(
        f"{VENDORS}{pk}/",
        {"criticality": 1, "process_integration": 1, "annual_spend": "1000.00", "version": 1},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["segment"] == "bottleneck"
    assert patched.headers["ETag"] == '"2"'

    # when it is deleted, then it is archived: gone from the list, kept, restorable
    assert api.delete(f"{VENDORS}{pk}/").status_code == 204
    assert pk not in result_ids(api.get(VENDORS))
    assert pk in result_ids(api.get(VENDORS, {"archived": "true"}))
    assert api.post(f"{VENDORS}{pk}/restore/", {}, format="json").status_code == 200
    assert pk in result_ids(api.get(VENDORS))

    # and its history tells each change
    history = api.get(f"{VENDORS}{pk}/history/").json()
    assert [entry["kind"] for entry in history["results"]][:2] == ["restored", "archived"]


def test_an_existing_supply_relationship_becomes_a_vendor_once(cast: Cast) -> None:
    api = api_client(cast.owner)

    # when the relationship is made a vendor
    created = api.post(VENDORS, {"relationship": cast.rel_a.pk}, format="json")

    # then the vendor shares its id; a second time is refused on the relationship
    assert created.status_code == 201, created.json()
    assert created.json()["id"] == cast.rel_a.pk
    again = api.post(VENDORS, {"relationship": cast.rel_a.pk}, format="json")
    assert again.status_code == 400
    assert api_errors(again) == [("relationship", "duplicate")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, ("organization", "required")),
        ({"organization": "A", "relationship": "A"}, ("relationship", "invalid")),
        ({"relationship": "A", "tier": 1}, ("tier", "invalid")),
        ({"organization": "A"}, ("organization", "duplicate")),  # A has a supply relationship
        ({"organization": "new", "criticality": 9}, ("criticality", "max_value")),
        ({"organization": "new", "categories": [10**9]}, ("categories", "does_not_exist")),
    ],
)
def test_a_bad_vendor_is_refused_on_the_field_and_nothing_is_written(
    cast: Cast, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    new = OrganizationFactory(owner=cast.owner)
    ids_of = {"A": cast.org_a.pk, "new": new.pk}
    body = {
        key: (ids_of[value] if key == "organization" else cast.rel_a.pk)
        if key in ("organization", "relationship")
        else value
        for key, value in body.items()
    }
    before = (Supplier.objects.count(), cast.rel_a.__class__.objects.count())

    response = api_client(cast.owner).post(VENDORS, body, format="json")

    assert response.status_code == 400, response.json()
    assert expected in api_errors(response)
    assert (Supplier.objects.count(), cast.rel_a.__class__.objects.count()) == before


def test_a_vendor_update_names_the_version_it_read(cast: Cast, vendor: Supplier) -> None:
    api = api_client(cast.owner)
    url = f"{VENDORS}{vendor.pk}/"

    # without a version it is refused (428); with an old one, 409; nothing changes either way
    missing = api.patch(url, {"criticality": 3}, format="json")
    assert missing.status_code == 428
    stale = api.patch(url, {"criticality": 3, "version": vendor.version + 5}, format="json")
    assert stale.status_code == 409
    assert api_errors(stale) == [(None, "stale_version")]
    vendor.refresh_from_db()
    assert vendor.criticality is None

    # a bad value is refused on its field, nothing written
    bad = api.patch(url, {"risk_score": "101", "version": vendor.version}, format="json")
    assert bad.status_code == 400
    assert api_errors(bad) == [("risk_score", "max_value")]
    vendor.refresh_from_db()
    assert vendor.risk_score is None


def test_a_vendor_goes_from_prospect_to_active_through_the_api(
    cast: Cast, vendor: Supplier
) -> None:
    api = api_client(cast.owner)
    category = CategoryFactory()
    api.patch(f"{VENDORS}{vendor.pk}/", {"categories": [category.pk], "version": 1}, format="json")

    def move(to_stage: str) -> Any:
        return api.post(
            f"{VENDORS}{vendor.pk}/transition/",
            {"to_stage": to_stage, "reason": "on plan"},
            format="json",
        )

    def tick(code: str) -> None:
        item = ChecklistItem.objects.get(supplier=vendor, code=code)
        response = api.patch(
            f"{CHECKLIST}{item.pk}/",
            {"done": True, "note": "filed", "version": item.version},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["done_by"] == cast.owner.pk

    # prospect → qualification
    assert move("qualification").json()["stage"] == "qualification"
    # onboarding is refused until the qualification checklist is done
    blocked = move("onboarding")
    assert blocked.status_code == 400
    assert api_errors(blocked) == [("to_stage", "checklist_incomplete")]
    tick(ChecklistItemCode.DOCUMENTS_RECEIVED)
    tick(ChecklistItemCode.SECURITY_REVIEW_DONE)
    onboarding = move("onboarding")
    assert onboarding.status_code == 200, onboarding.json()
    # entering onboarding prequalified the vendor's category
    grants = api.get(PREQUALIFICATIONS, {"vendor": vendor.pk, "current": "true"}).json()
    assert [g["category"] for g in grants["results"]] == [category.pk]
    tick(ChecklistItemCode.BANK_DETAILS_VERIFIED)
    tick(ChecklistItemCode.CONTRACT_SIGNED)
    active = move("active")
    assert active.status_code == 200, active.json()
    assert active.json()["next_stages"] == [
        {"stage": "under_review", "missing": []},
        {"stage": "exiting", "missing": []},
    ]

    # every move is listed, newest first, with who and why
    moves = api.get(TRANSITIONS, {"vendor": vendor.pk}).json()["results"]
    assert [(m["from_stage"], m["to_stage"]) for m in moves] == [
        ("onboarding", "active"),
        ("qualification", "onboarding"),
        ("prospect", "qualification"),
    ]
    assert moves[0]["actor"] == cast.owner.pk
    assert api.get(f"{TRANSITIONS}{moves[0]['id']}/").json()["reason"] == "on plan"


def test_a_move_the_lifecycle_does_not_allow_is_refused_naming_the_allowed_stages(
    cast: Cast, vendor: Supplier
) -> None:
    api = api_client(cast.owner)

    response = api.post(
        f"{VENDORS}{vendor.pk}/transition/",
        {"to_stage": "active", "reason": "in a hurry"},
        format="json",
    )

    assert response.status_code == 400
    assert api_errors(response) == [("to_stage", "invalid_transition")]
    detail = response.json()["errors"][0]["detail"]
    assert "Qualification" in detail
    assert "Offboarded" in detail
    vendor.refresh_from_db()
    assert vendor.stage == Stage.PROSPECT
    assert not LifecycleTransition.objects.filter(supplier=vendor).exists()

    # a reason is required, and a stale version is refused
    no_reason = api.post(
        f"{VENDORS}{vendor.pk}/transition/", {"to_stage": "qualification"}, format="json"
    )
    assert api_errors(no_reason) == [("reason", "required")]
    stale = api.post(
        f"{VENDORS}{vendor.pk}/transition/",
        {"to_stage": "qualification", "reason": "go", "version": 99},
        format="json",
    )
    assert stale.status_code == 409


def test_a_segment_override_needs_a_reason_and_is_recorded(cast: Cast, vendor: Supplier) -> None:
    api = api_client(cast.owner)
    url = f"{VENDORS}{vendor.pk}/segment-override/"

    # without a reason it is refused on `reason`, and nothing changes
    refused = api.post(url, {"segment": "strategic", "version": vendor.version}, format="json")
    assert refused.status_code == 400
    assert api_errors(refused) == [("reason", "required")]
    assert api.post(url, {"segment": "strategic", "reason": "x"}, format="json").status_code == 428

    # with one, the vendor is placed there and the move is recorded
    placed = api.post(
        url,
        {"segment": "strategic", "reason": "sole source of a key alloy", "version": 1},
        format="json",
    )
    assert placed.status_code == 200, placed.json()
    assert placed.json()["segment"] == "strategic"
    assert placed.json()["override_reason"] == "sole source of a key alloy"
    changes = api.get(SEGMENT_CHANGES, {"vendor": vendor.pk}).json()["results"]
    assert [(c["from_segment"], c["to_segment"]) for c in changes] == [("", "strategic")]
    assert api.get(VENDORS, {"overridden": "true"}).json()["count"] == 1

    # clearing the override puts it back where the data places it
    cleared = api.post(url, {"segment": "", "version": placed.json()["version"]}, format="json")
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["segment_override"] == ""


def test_the_vendor_list_filters_by_stage_segment_category_and_flags(
    cast: Cast, vendor: Supplier
) -> None:
    api = api_client(cast.owner)
    metals = Category.objects.create(code="metals", name="Metals")
    other = services.supplier_create(
        actor=cast.owner,
        organization=OrganizationFactory(owner=cast.owner),
        categories=[metals],
        **{key: value for key, value in STRATEGIC_INPUTS.items() if key != "annual_spend"},
        annual_spend=900_000,
    )
    in_stage(vendor, Stage.QUALIFICATION)

    assert result_ids(api.get(VENDORS, {"stage": "qualification"})) == [vendor.pk]
    assert result_ids(api.get(VENDORS, {"segment": "strategic"})) == [other.pk]
    assert result_ids(api.get(VENDORS, {"category": "metals"})) == [other.pk]
    assert result_ids(api.get(VENDORS, {"owner": cast.owner.pk, "ordering": "name"})) == sorted(
        [vendor.pk, other.pk],
        key=lambda pk: Supplier.objects.get(pk=pk).relationship.organization.display_name,
    )
    assert api.get(VENDORS, {"stalled": "true"}).json()["count"] == 0
    bad = api.get(VENDORS, {"stage": "heaven"})
    assert bad.status_code == 400
    assert api_errors(bad)[0][0] == "stage"


def test_a_passed_stage_keeps_its_checklist_as_recorded(cast: Cast, vendor: Supplier) -> None:
    in_stage(vendor, Stage.ACTIVE)
    item = ChecklistItem.objects.get(supplier=vendor, code=ChecklistItemCode.DOCUMENTS_RECEIVED)

    response = api_client(cast.owner).patch(
        f"{CHECKLIST}{item.pk}/", {"done": True, "version": item.version}, format="json"
    )

    assert response.status_code == 400
    assert api_errors(response) == [("done", "locked")]
    item.refresh_from_db()
    assert not item.done


def test_prequalifications_are_granted_and_revoked(cast: Cast, vendor: Supplier) -> None:
    api = api_client(cast.owner)
    category = CategoryFactory()

    # a prospect cannot be prequalified
    refused = api.post(
        PREQUALIFICATIONS, {"vendor": vendor.pk, "category": category.pk}, format="json"
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("category", "wrong_stage")]
    assert not Prequalification.objects.exists()

    # a vendor in qualification can, for two years by default
    in_stage(vendor, Stage.QUALIFICATION)
    granted = api.post(
        PREQUALIFICATIONS, {"vendor": vendor.pk, "category": category.pk}, format="json"
    )
    assert granted.status_code == 201, granted.json()
    grant = granted.json()
    assert grant["current"] is True
    assert grant["granted_by"] == cast.owner.pk

    # revoking needs a reason; then it is no longer current
    revoke = f"{PREQUALIFICATIONS}{grant['id']}/revoke/"
    assert api_errors(api.post(revoke, {"reason": ""}, format="json")) == [("reason", "blank")]
    revoked = api.post(revoke, {"reason": "failed audit", "version": 1}, format="json")
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["current"] is False
    assert result_ids(api.get(PREQUALIFICATIONS, {"current": "false"})) == [grant["id"]]


def test_people_without_access_to_the_vendor_neither_see_nor_change_it(
    cast: Cast, vendor: Supplier
) -> None:
    item = ChecklistItem.objects.filter(supplier=vendor).first()
    assert item is not None
    outsider = api_client(cast.outsider)

    # the outsider gets 404 on the vendor and its records, and lists without them
    assert outsider.get(f"{VENDORS}{vendor.pk}/").status_code == 404
    assert outsider.get(f"{CHECKLIST}{item.pk}/").status_code == 404
    assert vendor.pk not in result_ids(outsider.get(VENDORS))
    assert item.pk not in result_ids(outsider.get(CHECKLIST))
    moved = outsider.post(
        f"{VENDORS}{vendor.pk}/transition/",
        {"to_stage": "qualification", "reason": "x"},
        format="json",
    )
    assert moved.status_code == 404
    # naming the vendor in a new record is answered as if it did not exist
    in_stage(vendor, Stage.QUALIFICATION)
    grant = outsider.post(
        PREQUALIFICATIONS, {"vendor": vendor.pk, "category": CategoryFactory().pk}, format="json"
    )
    assert grant.status_code == 400
    assert api_errors(grant) == [("vendor", "does_not_exist")]

    # a reviewer reads it but may not move it; a portal user of A does not see it at all
    reviewer = api_client(cast.reviewer)
    assert reviewer.get(f"{VENDORS}{vendor.pk}/").status_code == 200
    refused = reviewer.post(
        f"{VENDORS}{vendor.pk}/transition/",
        {"to_stage": "offboarded", "reason": "x"},
        format="json",
    )
    assert refused.status_code == 403
    assert api_client(cast.portal_a).get(f"{VENDORS}{vendor.pk}/").status_code == 404
    vendor.refresh_from_db()
    assert vendor.stage == Stage.QUALIFICATION
    assert not Prequalification.objects.exists()


# --- reference data ------------------------------------------------------------------------------


def test_categories_are_read_by_everyone_inside_and_written_by_administrators(cast: Cast) -> None:
    admin = api_client(cast.admin)

    created = admin.post(CATEGORIES, {"code": "it", "name": "IT"}, format="json")
    assert created.status_code == 201, created.json()
    parent = created.json()["id"]
    child = admin.post(
        CATEGORIES, {"code": "cloud", "name": "Cloud", "parent": parent}, format="json"
    ).json()["id"]
    duplicate = admin.post(CATEGORIES, {"code": "it", "name": "IT again"}, format="json")
    assert api_errors(duplicate) == [("code", "duplicate")]

    # a category cannot sit below its own child
    cycle = admin.patch(f"{CATEGORIES}{parent}/", {"parent": child, "version": 1}, format="json")
    assert cycle.status_code == 400
    assert api_errors(cycle) == [("parent", "cycle")]

    # other inside users read them; they may not add or change one; portal users see none
    owner = api_client(cast.owner)
    assert {parent, child} <= set(result_ids(owner.get(CATEGORIES)))
    assert owner.post(CATEGORIES, {"code": "x", "name": "X"}, format="json").status_code == 403
    assert owner.patch(f"{CATEGORIES}{parent}/", {"name": "Y", "version": 1}).status_code == 403
    assert api_client(cast.portal_a).get(f"{CATEGORIES}{parent}/").status_code == 404
    assert Category.objects.count() == 2


def test_the_segmentation_policy_is_one_record_administrators_change(
    cast: Cast, vendor: Supplier
) -> None:
    admin = api_client(cast.admin)
    policy = admin.get(POLICY)
    assert policy.status_code == 200
    version = policy.json()["version"]
    assert policy.headers["ETag"] == f'"{version}"'

    # weights that do not add up to 100 are refused on `weights`, nothing written
    bad = admin.patch(POLICY, {"weight_spend": 90, "version": version}, format="json")
    assert bad.status_code == 400
    assert api_errors(bad) == [("weights", "weights")]
    assert SegmentationPolicy.objects.get().version == version

    # a good change saves a new version; a stale one is refused
    good = admin.patch(
        POLICY, {"profit_threshold": "40.00", "reason": "tighter", "version": version}
    )
    assert good.status_code == 200, good.json()
    assert good.json()["profit_threshold"] == "40.00"
    assert admin.patch(POLICY, {"risk_threshold": "40", "version": version}).status_code == 409
    assert admin.get(f"{POLICY}history/").json()["results"][0]["reason"] == "tighter"

    # everyone inside reads it; only administrators change it
    owner = api_client(cast.owner)
    assert owner.get(POLICY).status_code == 200
    assert owner.patch(POLICY, {"risk_threshold": "40", "version": version + 1}).status_code == 403
    assert api_client(cast.portal_a).get(POLICY).status_code == 404


def test_playbooks_are_listed_and_tuned_by_administrators(cast: Cast) -> None:
    admin = api_client(cast.admin)
    rows = admin.get(PLAYBOOKS).json()["results"]
    assert {row["segment"] for row in rows} == {
        "strategic",
        "leverage",
        "bottleneck",
        "non_critical",
    }
    playbook = SegmentPlaybook.objects.get(segment="leverage")
    url = f"{PLAYBOOKS}{playbook.pk}/"

    tuned = admin.patch(
        url, {"compatible_types": ["ongoing"], "version": playbook.version}, format="json"
    )
    assert tuned.status_code == 200, tuned.json()
    assert tuned.json()["compatible_types"] == ["ongoing"]
    bad = admin.patch(url, {"compatible_types": ["friendship"], "version": 2}, format="json")
    assert api_errors(bad) == [("compatible_types", "invalid_choice")]

    owner = api_client(cast.owner)
    assert owner.get(url).status_code == 200
    assert owner.patch(url, {"objectives": "x", "version": 2}, format="json").status_code == 403


# --- strategy ------------------------------------------------------------------------------------


def test_a_strategy_starts_from_the_playbook_and_keeps_its_governance_valid(
    cast: Cast, vendor: Supplier
) -> None:
    api = api_client(cast.owner)
    services.supplier_override_segment(
        actor=cast.owner, supplier=vendor, expected_version=1, segment="strategic", reason="r"
    )

    # the first request starts it from the quadrant's playbook; the next answers it
    started = api.post(STRATEGIES, {"vendor": vendor.pk}, format="json")
    assert started.status_code == 201, started.json()
    playbook = SegmentPlaybook.objects.get(segment="strategic")
    assert started.json()["objectives"] == playbook.objectives
    again = api.post(STRATEGIES, {"vendor": vendor.pk}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == started.json()["id"]
    url = f"{STRATEGIES}{started.json()['id']}/"

    # a ladder out of order, two accountable functions or a malformed table are refused
    for body, field in (
        (
            {
                "escalation_ladder": [
                    {"role": "Head", "after_days": 9},
                    {"role": "VP", "after_days": 3},
                ]
            },
            "escalation_ladder",
        ),
        ({"escalation_ladder": [{"role": " "}]}, "escalation_ladder"),
        ({"raci": {"Renewal": {"legal": "A", "finance": "A"}}}, "raci"),
        ({"raci": {"Renewal": {"legal": ["A"]}}}, "raci"),
    ):
        refused = api.patch(url, {**body, "version": 1}, format="json")
        assert refused.status_code == 400, body
        assert api_errors(refused) == [(field, "invalid")], body
    assert SupplierStrategy.objects.get().version == 1

    # a valid governance is saved
    saved = api.patch(
        url,
        {
            "escalation_ladder": [
                {"role": "Vendor manager", "person": cast.owner.pk, "after_days": 0},
                {"role": "Head of procurement", "after_days": 5},
            ],
            "raci": {"Renewal": {"legal": "A", "finance": "C"}},
            "resource_people": [cast.member.pk],
            "review_every_days": 30,
            "version": 1,
        },
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["escalation_ladder"][1] == {
        "role": "Head of procurement",
        "person": None,
        "after_days": 5,
    }
    assert body["resource_people"] == [cast.member.pk]
    assert result_ids(api.get(STRATEGIES, {"vendor": vendor.pk})) == [body["id"]]

    # a reader of the vendor may not start or change it
    reviewer = api_client(cast.reviewer)
    assert reviewer.post(STRATEGIES, {"vendor": vendor.pk}, format="json").status_code == 403
    assert reviewer.patch(url, {"objectives": "x", "version": 2}, format="json").status_code == 403


def test_kpis_and_levers_belong_to_a_strategy(cast: Cast, vendor: Supplier) -> None:
    api = api_client(cast.owner)
    strategy = services.strategy_get_or_create(actor=cast.owner, supplier=vendor)

    kpi = api.post(
        KPIS,
        {"strategy": strategy.pk, "name": "On-time delivery", "target": "98.5", "unit": "%"},
        format="json",
    )
    assert kpi.status_code == 201, kpi.json()
    assert kpi.json()["target"] == "98.5000"
    twin = api.post(
        KPIS, {"strategy": strategy.pk, "name": "on-time delivery", "target": 1}, format="json"
    )
    assert api_errors(twin) == [("name", "duplicate")]
    changed = api.patch(f"{KPIS}{kpi.json()['id']}/", {"target": "99", "version": 1}, format="json")
    assert changed.status_code == 200, changed.json()
    assert result_ids(api.get(KPIS, {"vendor": vendor.pk})) == [kpi.json()["id"]]

    lever = api.post(
        LEVERS,
        {"strategy": strategy.pk, "kind": "volume_commitment", "description": "Bundle sites"},
        format="json",
    )
    assert lever.status_code == 201, lever.json()
    parked = api.patch(
        f"{LEVERS}{lever.json()['id']}/", {"in_play": False, "version": 1}, format="json"
    )
    assert parked.json()["in_play"] is False
    bad = api.post(
        LEVERS,
        {"strategy": strategy.pk, "kind": "bribery", "description": "no"},
        format="json",
    )
    assert api_errors(bad) == [("kind", "invalid_choice")]
    assert (StrategyKpi.objects.count(), NegotiationLever.objects.count()) == (1, 1)

    # the outsider cannot name the strategy, see the KPI or its list
    outsider = api_client(cast.outsider)
    hidden = outsider.post(
        KPIS, {"strategy": strategy.pk, "name": "Sneaky", "target": 1}, format="json"
    )
    assert api_errors(hidden) == [("strategy", "does_not_exist")]
    assert outsider.get(f"{KPIS}{kpi.json()['id']}/").status_code == 404
    assert result_ids(outsider.get(LEVERS)) == []


def test_segment_changes_of_invisible_vendors_are_not_listed(cast: Cast, vendor: Supplier) -> None:
    services.supplier_override_segment(
        actor=cast.owner, supplier=vendor, expected_version=1, segment="leverage", reason="r"
    )
    change = SegmentChange.objects.get(supplier=vendor)

    assert result_ids(api_client(cast.member).get(SEGMENT_CHANGES)) == [change.pk]
    assert result_ids(api_client(cast.outsider).get(SEGMENT_CHANGES)) == []
    assert api_client(cast.outsider).get(f"{SEGMENT_CHANGES}{change.pk}/").status_code == 404
