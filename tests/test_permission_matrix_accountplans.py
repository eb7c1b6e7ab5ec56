"""The permission matrix of joint account plans (issue 9): every role of the cast, through the UI
and the API, on plans, their rows and the plan standard.

Expectations are written out by hand from the policy (access.py and the models' access specs):

- a plan follows its account (a demand-side relationship): the account's owner (``owner``) and
  editing team member (``member``) read and change it; the owner's managers (``manager``,
  ``director``), the reviewing team member (``reviewer``) and auditors read it; administrators
  do everything; ``outsider`` (a peer of ``owner``) and portal users see nothing;
- the plan's rows (people on the map, objectives, initiative and action links, reviews) follow
  the plan;
- the standard is read by every inside user and changed by administrators only.

Every role acts on the same starting state (its writes are rolled back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from steward.accountplans.choices import DecisionRole
from steward.accountplans.models import (
    AccountPlan,
    PlanAction,
    PlanInitiative,
    PlanObjective,
    PlanReview,
    PlanStakeholder,
    PlanStandard,
)
from steward.accountplans.selectors import standard_get
from steward.accountplans.tests.factories import (
    ActionLinkFactory,
    InitiativeLinkFactory,
    ObjectiveFactory,
    PlanFactory,
    ReviewFactory,
    StakeholderFactory,
)
from steward.accounts.tests.world import demand_accounts
from steward.parties.choices import Side
from steward.parties.tests.cast import ROLES, Cast
from steward.parties.tests.factories import (
    ContactFactory,
    OrganizationFactory,
    RelationshipFactory,
    RelationshipMemberFactory,
)
from steward.plans.tests.factories import InitiativeFactory
from steward.reviews.models import ActionItem
from tests.test_permission_matrix import INTERNAL, Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

READERS = frozenset({"admin", "auditor", "director", "manager", "owner", "member", "reviewer"})
CHANGERS = frozenset({"admin", "owner", "member"})
ADMINS = frozenset({"admin"})
PARTS = ("stakeholder", "objective", "initiative", "action")

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("plan", "list"): READERS,
    ("plan", "detail"): READERS,
    ("plan", "create"): CHANGERS,
    ("plan", "update"): CHANGERS,
    ("plan", "delete"): CHANGERS,
    **{(part, action): READERS for part in PARTS for action in ("list", "detail")},
    **{(part, action): CHANGERS for part in PARTS for action in ("create", "update", "delete")},
    ("review", "list"): READERS,
    ("review", "detail"): READERS,
    ("review", "create"): CHANGERS,
    ("standard", "list"): INTERNAL,
    ("standard", "detail"): INTERNAL,
    ("standard", "update"): ADMINS,
}
SHOWN_SECTIONS = (
    "goals_visibility",
    "needs_visibility",
    "objectives_visibility",
    "initiatives_visibility",
    "actions_visibility",
)
RULES = (
    "executive_sponsor_rule",
    "locations_rule",
    "objectives_complete_rule",
    "min_objectives_rule",
    "reviewed_recently_rule",
    "next_review_rule",
    "actions_both_sides_rule",
)
API_BASE = {
    "plan": "account-plans",
    "stakeholder": "account-plan-stakeholders",
    "objective": "account-plan-objectives",
    "initiative": "account-plan-initiatives",
    "action": "account-plan-actions",
    "review": "account-plan-reviews",
    "standard": "account-plan-standard",
}


@dataclass
class Matrix:
    cast: Cast
    plan: AccountPlan
    stakeholder: PlanStakeholder
    objective: PlanObjective
    initiative: PlanInitiative
    action: PlanAction
    review: PlanReview
    standard: PlanStandard
    fresh_account: Any  # an account of ``owner`` without a plan, to start one on
    spare_contact: Any
    spare_initiative: Any

    def user(self, role: str) -> Any:
        return self.cast.user(role)

    def target(self, model: str) -> Any:
        record = getattr(self, model)
        return type(record).objects.get(pk=record.pk)


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    world = demand_accounts(cast)
    account = world.account_a
    plan = PlanFactory(relationship=account, title="Aurora joint plan")
    contact = ContactFactory(organization=cast.org_a, first_name="Greta", last_name="Sponsor")
    item = ActionItem.objects.create(
        relationship=account,
        title="Send the uptime report",
        side="ours",
        owner=cast.owner,
        due_on=dt.date(2026, 6, 1),
    )
    fresh = RelationshipFactory(
        organization=OrganizationFactory(legal_name="Cirrus Mining AG", owner=cast.owner),
        side=Side.DEMAND,
        owner=cast.owner,
        status="active",
    )
    RelationshipMemberFactory(relationship=fresh, user=cast.member, access="edit")
    RelationshipMemberFactory(relationship=fresh, user=cast.reviewer, role="legal", access="review")
    return Matrix(
        cast=cast,
        plan=plan,
        stakeholder=StakeholderFactory(
            plan=plan, contact=contact, decision_role=DecisionRole.EXECUTIVE_SPONSOR
        ),
        objective=ObjectiveFactory(plan=plan, title="Uptime above 99.5 per cent"),
        initiative=InitiativeLinkFactory(
            plan=plan, initiative=InitiativeFactory(relationship=account, title="Predictive care")
        ),
        action=ActionLinkFactory(plan=plan, action_item=item),
        review=ReviewFactory(plan=plan, recorded_by=cast.owner, notes="Quarterly review held"),
        standard=standard_get(),
        fresh_account=fresh,
        spare_contact=ContactFactory(organization=cast.org_a, first_name="Hugo"),
        spare_initiative=InitiativeFactory(relationship=account, title="Spare parts pool"),
    )


def _portal(role: str) -> bool:
    return role.startswith("portal_")


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    body = response.content.decode(errors="replace")
    return Outcome(
        allowed=response.status_code == 200 and marker in body, detail=str(response.status_code)
    )


MARKERS: dict[str, Callable[[Any], str]] = {
    "plan": lambda t: t.title,
    "stakeholder": lambda t: "Greta Sponsor",
    "objective": lambda t: t.title,
    "initiative": lambda t: t.initiative.title,
    "action": lambda t: t.action_item.title,
    "review": lambda t: t.notes,
    "standard": lambda t: "The account plan standard",
}


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = m.target(model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "plan":
            return _shown(client.get("/account-plans/"), target.title)
        if model == "standard":
            return _shown(client.get("/account-plans/standard/"), MARKERS[model](target))
        return _shown(client.get(m.plan.get_absolute_url()), MARKERS[model](target))
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    return Outcome(
        allowed=any(row["id"] == target.pk for row in response.json()["results"]), detail="200"
    )


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = m.target(model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        if model == "plan":
            return _shown(client.get(target.get_absolute_url()), target.title)
        return None  # rows are shown on the plan's page (the list above)
    urls = [f"/api/v1/{API_BASE[model]}/{target.pk}/"]
    if model == "plan":
        urls.append(f"/api/v1/account-plans/{target.pk}/standing/")
    seen = [client.get(url).status_code for url in urls]
    assert all(code in (200, 403, 404) for code in seen), seen
    assert len(set(seen)) == 1, f"mixed: {seen}"
    return Outcome(allowed=seen[0] == 200, detail=str(seen[0]))


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 302, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def _create_body(m: Matrix, model: str, channel: str) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate()
    if model == "plan":
        body: dict[str, Any] = {"starts_on": "2026-01-01", "ends_on": "2026-12-31"}
        if channel == "api":
            return "/api/v1/account-plans/", {**body, "relationship": m.fresh_account.pk}
        return f"/accounts/{m.fresh_account.pk}/plans/new/", {
            **body,
            **dict.fromkeys(SHOWN_SECTIONS, "customer"),
            "map_visibility": "internal",
        }
    bodies: dict[str, dict[str, Any]] = {
        "stakeholder": {
            "contact": m.spare_contact.pk,
            "decision_role": "influencer",
            "sentiment": "neutral",
            "visibility": "customer",
        },
        "objective": {
            "title": "Halve lead times",
            "status": "not_started",
            "visibility": "customer",
        },
        "initiative": {
            "initiative": m.spare_initiative.pk,
            "priority": 2,
            "visibility": "customer",
        },
        "action": {
            "title": "Book the plant visit",
            "due_on": today.isoformat(),
            "side": "ours",
            "owner": m.cast.owner.pk,
            "visibility": "customer",
        },
        "review": {"held_on": today.isoformat(), "notes": "Reviewed"},
    }
    body = bodies[model]
    if channel == "api":
        return f"/api/v1/{API_BASE[model]}/", {**body, "plan": m.plan.pk}
    if model == "review":
        return f"/account-plans/{m.plan.pk}/reviews/new/", {
            f"review-{k}": v for k, v in body.items()
        }
    return f"/account-plans/{m.plan.pk}/{model}/new/", {f"{model}-{k}": v for k, v in body.items()}


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "standard":
        return None
    record_model = type(m.target(model))
    before = record_model.objects.count()
    url, body = _create_body(m, model, channel)
    client = _client(channel, m.user(role))
    response = client.post(url, body, format="json") if channel == "api" else client.post(url, body)
    return _outcome(response, record_model.objects.count() > before, (201, 302))


UPDATES: dict[str, tuple[str, Any]] = {
    "plan": ("goals", "Changed goals"),
    "stakeholder": ("sentiment", "champion"),
    "objective": ("measure", "Changed measure"),
    "initiative": ("priority", 7),
    "action": ("visibility", "internal"),
    "standard": ("min_objectives", 4),
}


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model == "review" or (channel == "ui" and model == "action"):
        return None  # reviews are recorded, never changed; an action is changed where it lives
    target = m.target(model)
    field, value = UPDATES[model]
    client = _client(channel, m.user(role))
    if channel == "api":
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field: value, "version": target.version},
            format="json",
        )
    elif model == "plan":
        data = {
            f.name: getattr(target, f.name)
            for f in AccountPlan._meta.fields
            if f.name
            in (
                "title",
                "starts_on",
                "ends_on",
                "goals_visibility",
                "needs_visibility",
                "map_visibility",
                "objectives_visibility",
                "initiatives_visibility",
                "actions_visibility",
            )
        }
        response = client.post(
            f"/account-plans/{target.pk}/edit/",
            {**data, field: value, "version": target.version},
        )
    elif model == "standard":
        data = dict.fromkeys(RULES, "on")
        response = client.post(
            "/account-plans/standard/",
            {**data, "review_days": 92, field: value, "version": target.version},
        )
    else:
        current = {
            "stakeholder": {
                "decision_role": target.decision_role if model == "stakeholder" else "",
                "sentiment": "neutral",
                "visibility": "customer",
            },
            "objective": {
                "title": getattr(target, "title", ""),
                "status": "not_started",
                "visibility": "customer",
            },
            "initiative": {"priority": 1, "investment_currency": "EUR", "visibility": "customer"},
        }[model]
        data = {**current, field: value, "version": target.version}
        response = client.post(
            f"/account-plan-rows/{model}/{target.pk}/edit/",
            {f"{model}-{k}": v for k, v in data.items()},
        )
    made = getattr(type(target).objects.get(pk=target.pk), field) == value
    return _outcome(response, made, (200, 302))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if model in ("review", "standard"):
        return None  # reviews stay; the standard is one record
    target = m.target(model)
    client = _client(channel, m.user(role))
    if channel == "api":
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    elif model == "plan":
        response = client.post(f"/account-plans/{target.pk}/archive/", {"version": target.version})
    else:
        response = client.post(f"/account-plan-rows/{model}/{target.pk}/remove/")
    made = type(target).objects.get(pk=target.pk).archived_at is not None
    return _outcome(response, made, (302, 204))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = ("plan", *PARTS, "review", "standard")
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        AccountPlan,
        PlanStakeholder,
        PlanObjective,
        PlanInitiative,
        PlanAction,
        PlanReview,
        PlanStandard,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_accountplans_permission_matrix(
    matrix: Matrix, channel: str, model: str, action: str
) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in ROLES:
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
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
    assert {model for model, _ in EXPECTED} == set(MODELS)
