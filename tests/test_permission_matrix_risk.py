"""The permission matrix for third-party risk (issue 7): tiering profiles, the risk register,
findings and fourth parties.

The same rules as tests/test_permission_matrix.py, whose cast, clients and outcome helpers this
module reuses: expectations are written out by hand from the policy's rules (access.py and the
risk models' access specs), every role acts on the same starting state (its writes are rolled
back), an allowed role gets the row or the change, a denied role gets neither and the database is
untouched.

The cast has no IT security person: this module adds ``secops``, an inside user whose profile
function is IT security, and walks ``ROLES + ("secops",)``.

The rules, as the policy states them:

- every risk record follows its vendor (the register, its relationship): whoever may see vendor
  A sees A's profile, risks, findings and fourth parties; whoever may change vendor A changes
  them; IT security reads, creates and changes every one, as administrators do; auditors read
  everything and change nothing;
- portal users see the findings of their own organization that are shared with the portal, and
  record a remediation plan on them; nothing else of risk, and nothing at all of another vendor,
  whatever id or search they try.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from steward.parties.tests.cast import ROLES, Cast
from steward.parties.tests.factories import OrganizationFactory
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.risk import services
from steward.risk.models import Finding, Risk, RiskProfile, Subcontractor
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory
from tests.test_permission_matrix import (
    REL_A_EDITORS,
    REL_A_READERS,
    Outcome,
    _api_rows,
    _changed,
    _client,
    _vendor,
)

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "secops")
SECOPS = frozenset({"secops"})
READERS = REL_A_READERS | SECOPS  # whoever may see vendor A, and IT security
EDITORS = REL_A_EDITORS | SECOPS  # whoever may change vendor A, and IT security
PORTAL_A = frozenset({"portal_a"})

# (model, action) -> roles allowed, for vendor A's records.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("risk_profile", "list"): READERS,
    ("risk_profile", "detail"): READERS,
    ("risk_profile", "create"): EDITORS,
    ("risk_profile", "update"): EDITORS,
    ("risk", "list"): READERS,
    ("risk", "detail"): READERS,
    ("risk", "create"): EDITORS,
    ("risk", "update"): EDITORS,
    ("risk", "delete"): EDITORS,
    ("finding", "list"): READERS | PORTAL_A,
    ("finding", "detail"): READERS | PORTAL_A,
    ("finding", "create"): EDITORS,
    ("finding", "update"): EDITORS,
    ("finding", "respond"): EDITORS | PORTAL_A,
    # Not shared with the vendor: its portal users never see it.
    ("private_finding", "list"): READERS,
    ("private_finding", "detail"): READERS,
    ("private_finding", "respond"): EDITORS,
    ("subcontractor", "list"): READERS,
    ("subcontractor", "detail"): READERS,
    ("subcontractor", "create"): EDITORS,
    ("subcontractor", "update"): EDITORS,
    ("subcontractor", "delete"): EDITORS,
}


@dataclass
class World:
    cast: Cast
    secops: Any
    vendor_a: Supplier
    vendor_b: Supplier
    profile: RiskProfile
    risk: Risk
    finding: Finding
    private_finding: Finding
    subcontractor: Subcontractor
    finding_b: Finding

    def user(self, role: str) -> Any:
        return self.secops if role == "secops" else self.cast.user(role)


@pytest.fixture
def world(cast: Cast) -> World:
    vendor_a = _vendor(cast)
    vendor_b = SupplierFactory(relationship=cast.rel_b)
    owner = cast.owner
    finding = services.finding_open(
        actor=owner, supplier=vendor_a, source="audit", title="Matrix shared gap", severity="high"
    )
    return World(
        cast=cast,
        secops=UserFactory(username="secops", profile__function=Function.IT_SECURITY),
        vendor_a=vendor_a,
        vendor_b=vendor_b,
        profile=services.risk_profile_save(
            actor=owner, supplier=vendor_a, data_handled="personal", system_access="user"
        ),
        risk=services.risk_create(
            actor=owner,
            relationship=cast.rel_a,
            category="cybersecurity",
            title="Matrix risk",
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=2,
            residual_impact=3,
        ),
        finding=finding,
        private_finding=services.finding_open(
            actor=owner,
            supplier=vendor_a,
            source="audit",
            title="Matrix private gap",
            severity="low",
            shared_with_portal=False,
        ),
        subcontractor=services.subcontractor_add(
            actor=owner,
            supplier=vendor_a,
            organization=OrganizationFactory(display_name="Matrix Hosting"),
            service="Matrix hosting",
        ),
        finding_b=services.finding_open(
            actor=cast.outsider,
            supplier=vendor_b,
            source="audit",
            title="Borealis matrix gap",
            severity="low",
        ),
    )


TARGETS: dict[str, Callable[[World], Any]] = {
    "risk_profile": lambda w: w.profile,
    "risk": lambda w: w.risk,
    "finding": lambda w: w.finding,
    "private_finding": lambda w: w.private_finding,
    "subcontractor": lambda w: w.subcontractor,
}
API_BASE = {
    "risk_profile": "risk-profiles",
    "risk": "risks",
    "finding": "findings",
    "private_finding": "findings",
    "subcontractor": "subcontractors",
}


def _target(world: World, model: str) -> Any:
    """A fresh copy each time: an earlier role's rolled-back write leaves none."""
    record = TARGETS[model](world)
    return type(record).objects.get(pk=record.pk)


def _tab(w: World) -> str:
    # The risk tab's content on its own page, which IT security may open for every vendor.
    return f"/risk/vendors/{w.vendor_a.pk}/"


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), response.status_code
    body = response.content.decode()
    return Outcome(allowed=response.status_code == 200 and marker in body, detail="")


# --- reading ------------------------------------------------------------------------------------

# model -> (list page, what it shows of the record)
UI_LIST: dict[str, Callable[[World, Any], tuple[str, str]]] = {
    "risk": lambda w, t: ("/risk/register/", t.title),
    "finding": lambda w, t: ("/risk/findings/", t.title),
    "private_finding": lambda w, t: ("/risk/findings/", t.title),
    # The vendor's risk tab lists its fourth parties and shows its tier.
    "subcontractor": lambda w, t: (_tab(w), t.service),
    "risk_profile": lambda w, t: (_tab(w), 'data-testid="risk-tier"'),
}
UI_DETAIL: dict[str, Callable[[World, Any], str]] = {
    "risk": lambda w, t: t.get_absolute_url(),
    "finding": lambda w, t: t.get_absolute_url(),
    "private_finding": lambda w, t: t.get_absolute_url(),
}


def check_list(channel: str, model: str, world: World, role: str) -> Outcome | None:
    target = _target(world, model)
    client = _client(channel, world.user(role))
    if channel == "ui":
        url, marker = UI_LIST[model](world, target)
        return _shown(client.get(url), marker)
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    return Outcome(allowed=any(row["id"] == target.pk for row in _api_rows(response)), detail="")


def check_detail(channel: str, model: str, world: World, role: str) -> Outcome | None:
    target = _target(world, model)
    client = _client(channel, world.user(role))
    if channel == "ui":
        if model not in UI_DETAIL:
            return None
        return _shown(client.get(UI_DETAIL[model](world, target)), target.title)
    response = client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(allowed=response.status_code == 200, detail=str(response.status_code))


# --- writing ------------------------------------------------------------------------------------

RISK_FORM = {
    "category": "privacy",
    "title": "Matrix new risk",
    "inherent_likelihood": 3,
    "inherent_impact": 3,
    "residual_likelihood": 1,
    "residual_impact": 3,
    "treatment": "mitigate",
}
INTAKE = {
    "data_handled": "internal",
    "system_access": "none",
    "business_criticality": 2,
    "substitutability": "easy",
    "regulatory_exposure": "none",
}


def _post(client: Any, ui: bool, ui_path: str, api_path: str, data: dict[str, Any]) -> Any:
    if ui:
        return client.post(ui_path, data)
    return client.post(f"/api/v1/{api_path}", data, format="json")


def _created(response: Any, ui: bool, made: bool) -> Outcome:
    return _changed(response, made, (302,) if ui else (201,))


def _create_profile(client: Any, w: World, ui: bool) -> Outcome:
    RiskProfile.objects.filter(pk=w.vendor_a.pk).delete()  # rolled back after the role
    api = {**INTAKE, "supplier": w.vendor_a.pk}
    response = _post(
        client,
        ui,
        f"/risk/vendors/{w.vendor_a.pk}/intake/",
        "risk-profiles/",
        api if not ui else INTAKE,
    )
    return _created(response, ui, RiskProfile.objects.filter(pk=w.vendor_a.pk).exists())


def _create_risk(client: Any, w: World, ui: bool) -> Outcome:
    data = RISK_FORM if ui else {**RISK_FORM, "relationship": w.cast.rel_a.pk}
    response = _post(
        client, ui, f"/risk/relationships/{w.cast.rel_a.pk}/risks/new/", "risks/", data
    )
    return _created(response, ui, Risk.objects.filter(title=RISK_FORM["title"]).exists())


def _create_finding(client: Any, w: World, ui: bool) -> Outcome | None:
    if ui:
        return None  # assessments and audits raise findings on their own screens
    data = {
        "supplier": w.vendor_a.pk,
        "source": "other",
        "title": "Matrix new gap",
        "severity": "low",
    }
    response = _post(client, ui, "", "findings/", data)
    return _created(response, ui, Finding.objects.filter(title=data["title"]).exists())


def _create_link(client: Any, w: World, ui: bool) -> Outcome:
    organization = OrganizationFactory(display_name="Matrix Power")
    data: dict[str, Any] = {
        "organization": organization.pk,
        "service": "Matrix power",
        "criticality": 3,
    }
    if not ui:
        data["supplier"] = w.vendor_a.pk
    response = _post(
        client, ui, f"/risk/vendors/{w.vendor_a.pk}/fourth-parties/new/", "subcontractors/", data
    )
    return _created(response, ui, Subcontractor.objects.filter(service="Matrix power").exists())


CREATORS: dict[str, Callable[[Any, World, bool], Outcome | None]] = {
    "risk_profile": _create_profile,
    "risk": _create_risk,
    "finding": _create_finding,
    "subcontractor": _create_link,
}


def check_create(channel: str, model: str, world: World, role: str) -> Outcome | None:
    if model not in CREATORS:
        return None
    return CREATORS[model](_client(channel, world.user(role)), world, channel == "ui")


# model -> (UI form url, UI form data, API field, new value)
FORMS: dict[str, Callable[[World, Any], tuple[str, dict[str, Any], str, Any]]] = {
    "risk_profile": lambda w, t: (
        f"/risk/vendors/{w.vendor_a.pk}/intake/",
        {**INTAKE, "business_criticality": 5},
        "business_criticality",
        5,
    ),
    "risk": lambda w, t: (
        f"/risk/register/{t.pk}/edit/",
        {**RISK_FORM, "title": "Renamed"},
        "title",
        "Renamed",
    ),
    "subcontractor": lambda w, t: (
        f"/risk/fourth-parties/{t.pk}/edit/",
        {"organization": t.organization_id, "service": "Renamed", "criticality": 3},
        "service",
        "Renamed",
    ),
}


def _update_finding(client: Any, target: Finding, ui: bool) -> Outcome:
    if ui:
        response = client.post(
            f"/risk/findings/{target.pk}/transition/", {"to_status": "remediating"}
        )
        target.refresh_from_db()
        return _changed(response, target.status == "remediating", (302,))
    response = client.patch(
        f"/api/v1/findings/{target.pk}/",
        {"title": "Renamed", "version": target.version},
        format="json",
    )
    target.refresh_from_db()
    return _changed(response, target.title == "Renamed", (200,))


def check_update(channel: str, model: str, world: World, role: str) -> Outcome | None:
    client = _client(channel, world.user(role))
    target = _target(world, model)
    ui = channel == "ui"
    if model == "finding":
        return _update_finding(client, target, ui)
    if model not in FORMS:
        return None
    url, data, field, value = FORMS[model](world, target)
    if ui:
        response = client.post(url, {**data, "version": target.version})
    else:
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field: value, "version": target.version},
            format="json",
        )
    target.refresh_from_db()
    return _changed(response, getattr(target, field) == value, (302,) if ui else (200,))


def check_respond(channel: str, model: str, world: World, role: str) -> Outcome | None:
    if model not in ("finding", "private_finding"):
        return None
    client = _client(channel, world.user(role))
    target = _target(world, model)
    plan = "Matrix plan"
    if channel == "ui":
        response = client.post(f"/risk/findings/{target.pk}/respond/", {"remediation_plan": plan})
        ok: tuple[int, ...] = (302,)
    else:
        response = client.post(
            f"/api/v1/findings/{target.pk}/respond/", {"remediation_plan": plan}, format="json"
        )
        ok = (200,)
    target.refresh_from_db()
    return _changed(response, target.remediation_plan == plan, ok)


UI_ARCHIVE = {"subcontractor": lambda t: f"/risk/fourth-parties/{t.pk}/archive/"}
API_ARCHIVES = frozenset({"risk", "subcontractor"})


def check_delete(channel: str, model: str, world: World, role: str) -> Outcome | None:
    ui = channel == "ui"
    if (ui and model not in UI_ARCHIVE) or (not ui and model not in API_ARCHIVES):
        return None
    client = _client(channel, world.user(role))
    target = _target(world, model)
    if ui:
        response = client.post(UI_ARCHIVE[model](target))
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    target.refresh_from_db()
    return _changed(response, target.archived_at is not None, (302,) if ui else (204,))


CHECKS: dict[str, Callable[..., Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
    "respond": check_respond,
}
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in TARGETS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset({RiskProfile, Risk, Finding, Subcontractor})


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_risk_permission_matrix(world: World, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, world, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(TARGETS)


# --- portal users: only their own shared findings, whatever they guess or search -----------------


@pytest.mark.parametrize(("role", "own", "other"), [("portal_a", "a", "b"), ("portal_b", "b", "a")])
def test_portal_users_never_reach_the_other_vendors_findings(
    world: World, role: str, own: str, other: str
) -> None:
    findings = {"a": world.finding, "b": world.finding_b}
    theirs = findings[other]
    vendor = {"a": world.vendor_a, "b": world.vendor_b}[other]
    for channel in ("ui", "api"):
        client = _client(channel, world.user(role))
        if channel == "ui":
            listing = client.get("/risk/findings/", {"q": theirs.title}).content.decode()
            assert "No findings to show" in listing
            by_vendor = client.get("/risk/findings/", {"vendor": vendor.pk}).content.decode()
            assert "No findings to show" in by_vendor
            assert theirs.title not in by_vendor
            assert client.get(f"/risk/vendors/{vendor.pk}/").status_code == 404
            assert client.get(theirs.get_absolute_url()).status_code == 404
            assert client.get(f"/vendors/{vendor.pk}/?tab=risk").status_code == 404
            assert client.get("/risk/findings/", {"export": "csv"}).status_code == 200
        else:
            rows = client.get("/api/v1/findings/", {"q": theirs.title}).json()["results"]
            assert rows == []
            by_vendor = client.get("/api/v1/findings/", {"vendor": vendor.pk}).json()["results"]
            assert by_vendor == []
            assert client.get(f"/api/v1/findings/{theirs.pk}/").status_code == 404
            assert client.get(f"/api/v1/findings/{theirs.pk}/history/").status_code in (403, 404)
        own_finding = findings[own]
        mine = client.get(
            own_finding.get_absolute_url()
            if channel == "ui"
            else f"/api/v1/findings/{own_finding.pk}/"
        )
        assert mine.status_code == 200


def test_portal_exports_hold_only_their_own_findings(world: World) -> None:
    client = _client("ui", world.cast.portal_b)
    response = client.get("/risk/findings/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert world.finding_b.title in text
    assert world.finding.title not in text
    assert world.private_finding.title not in text
