"""Approval rules: administered by administrators, read by every inside user, and the one
answer to "which approvals does a contract like this need" for both the preview and the real
submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.contracts import selectors_rules, services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import ApprovalRule
from steward.core.errors import DomainError
from steward.core.registry import navigation
from steward.core.testing import api_client, api_errors, web_client
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RULES_API = "/api/v1/approval-rules/"
RULES_PAGE = "/approval-rules/"


@pytest.fixture
def finance(db: Any) -> Any:
    """An inside person who works in finance."""
    return UserFactory(
        username="fiona", first_name="Fiona", last_name="Banks", profile__function="finance"
    )


@pytest.fixture
def legal_rule(cast: Cast) -> ApprovalRule:
    """Legal (the reviewer, who works in legal) approves every contract."""
    return services.approval_rule_create(
        actor=cast.admin, name="Legal always", function=Function.LEGAL, approver=cast.reviewer
    )


@pytest.fixture
def finance_rule(cast: Cast, finance: Any) -> ApprovalRule:
    """Finance approves buy-side master agreements from 100,000 a year."""
    return services.approval_rule_create(
        actor=cast.admin,
        name="Finance from 100k",
        function=Function.FINANCE,
        approver=finance,
        kinds=[ContractKind.MASTER],
        side="buy",
        min_annual_value=Decimal(100_000),
        order=20,
    )


def submit(cast: Cast, *, kind: str = ContractKind.MASTER, annual: str | None = "150000") -> Any:
    """A contract on A's vendor relationship (buy side), submitted for approval."""
    contract = services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=kind,
        start_date=dt.date(2026, 1, 1),
        term_months=12,
        annual_value=Decimal(annual) if annual is not None else None,
    )
    return services.contract_transition(
        actor=cast.owner, contract=contract, to_status=ContractStatus.PENDING_APPROVAL
    )


# --- the services ------------------------------------------------------------------------------


def test_an_administrator_creates_and_edits_a_rule(cast: Cast, finance: Any) -> None:
    # given an administrator's new rule, kinds given twice and out of order
    rule = services.approval_rule_create(
        actor=cast.admin,
        name="  Finance big deals ",
        function=Function.FINANCE,
        approver=finance,
        kinds=[ContractKind.STATEMENT_OF_WORK, ContractKind.MASTER, ContractKind.MASTER],
        min_annual_value=Decimal(250_000),
    )
    # then it is stored tidy: the name trimmed, each kind once in the order of the choices
    assert rule.name == "Finance big deals"
    assert rule.kinds == [ContractKind.MASTER, ContractKind.STATEMENT_OF_WORK]
    # when it is edited from the version read
    edited = services.approval_rule_update(
        actor=cast.admin, rule=rule, expected_version=rule.version, side="sell", order=5
    )
    # then the change is saved, versioned and in the history
    assert (edited.side, edited.order, edited.version) == ("sell", 5, 2)
    assert edited.history.count() == 2


def test_an_exact_duplicate_is_refused_and_nothing_is_written(
    cast: Cast, finance_rule: ApprovalRule, finance: Any
) -> None:
    # when the same rule is made again under another name
    with pytest.raises(DomainError) as refused:
        services.approval_rule_create(
            actor=cast.admin,
            name="Finance again",
            function=Function.FINANCE,
            approver=finance,
            kinds=[ContractKind.MASTER],
            side="buy",
            min_annual_value=Decimal("100000.00"),
        )
    # then it is refused on the approver with a stable code, and only the first rule exists
    assert (refused.value.field, refused.value.code) == ("approver", "duplicate")
    assert ApprovalRule.objects.count() == 1
    # and a rule that differs in one respect (another threshold) is a rule of its own
    services.approval_rule_create(
        actor=cast.admin,
        name="Finance from 1M",
        function=Function.FINANCE,
        approver=finance,
        kinds=[ContractKind.MASTER],
        side="buy",
        min_annual_value=Decimal(1_000_000),
    )
    assert ApprovalRule.objects.count() == 2


def test_an_edit_into_a_duplicate_is_refused(
    cast: Cast, finance_rule: ApprovalRule, finance: Any
) -> None:
    # given a second finance rule that differs only by its threshold
    other = services.approval_rule_create(
        actor=cast.admin,
        name="Finance from 1M",
        function=Function.FINANCE,
        approver=finance,
        kinds=[ContractKind.MASTER],
        side="buy",
        min_annual_value=Decimal(1_000_000),
    )
    # when its threshold is set to the first rule's, it is refused and stays as it was
    with pytest.raises(DomainError) as refused:
        services.approval_rule_update(
            actor=cast.admin,
            rule=other,
            expected_version=other.version,
            min_annual_value=Decimal(100_000),
        )
    assert refused.value.code == "duplicate"
    other.refresh_from_db()
    assert other.min_annual_value == Decimal(1_000_000)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"min_annual_value": Decimal(-1)}, "min_annual_value", "min_value"),
        ({"min_annual_value": Decimal("10.005")}, "min_annual_value", "invalid"),
        ({"min_annual_value": 1000.5}, "min_annual_value", "invalid"),
        ({"kinds": ["master", "lease"]}, "kinds", "invalid_choice"),
        ({"side": "both"}, "side", "invalid_choice"),
        ({"function": "catering"}, "function", "invalid_choice"),
        ({"name": "  "}, "name", "required"),
        ({"order": -1}, "order", "invalid"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    cast: Cast, changes: dict[str, Any], field: str, code: str
) -> None:
    # given a rule that is right but for one value
    values: dict[str, Any] = {
        "name": "Legal always",
        "function": Function.LEGAL,
        "approver": cast.reviewer,
        **changes,
    }
    # when an administrator saves it, then the refusal names the field; nothing is written
    with pytest.raises(DomainError) as refused:
        services.approval_rule_create(actor=cast.admin, **values)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not ApprovalRule.objects.exists()


def test_the_approver_is_an_active_inside_person_of_the_function(cast: Cast) -> None:
    inactive = UserFactory(profile__function="legal", is_active=False)
    cases = [
        (cast.member, "wrong_function"),  # inside, but no function in their profile
        (UserFactory(profile__function="finance"), "wrong_function"),
        (cast.portal_a, "not_internal"),
        (inactive, "inactive"),
    ]
    for approver, code in cases:
        with pytest.raises(DomainError) as refused:
            services.approval_rule_create(
                actor=cast.admin, name="Legal", function=Function.LEGAL, approver=approver
            )
        assert (refused.value.field, refused.value.code) == ("approver", code), approver
    assert not ApprovalRule.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "owner", "member", "reviewer", "portal_a"])
def test_only_administrators_write_rules(cast: Cast, legal_rule: ApprovalRule, role: str) -> None:
    user = cast.user(role)
    with pytest.raises(PermissionDenied):
        services.approval_rule_create(
            actor=user, name="Mine", function=Function.LEGAL, approver=cast.reviewer
        )
    with pytest.raises(PermissionDenied):
        services.approval_rule_update(
            actor=user, rule=legal_rule, expected_version=1, name="Renamed"
        )
    with pytest.raises(PermissionDenied):
        services.approval_rule_archive(actor=user, rule=legal_rule)
    legal_rule.refresh_from_db()
    assert (legal_rule.name, legal_rule.archived_at) == ("Legal always", None)


def test_rules_read_in_words(cast: Cast, legal_rule: ApprovalRule, finance: Any) -> None:
    reviewer = cast.reviewer.get_full_name()
    assert (
        selectors_rules.rule_in_words(legal_rule) == f"Legal ({reviewer}) approves every contract"
    )
    masters = ApprovalRule(
        function="legal", approver=cast.reviewer, kinds=["master", "nda"], side="buy"
    )
    assert selectors_rules.rule_in_words(masters) == (
        f"Legal ({reviewer}) approves every master agreement or non-disclosure agreement "
        "on the buy side"
    )
    big = ApprovalRule(function="finance", approver=finance, min_annual_value=Decimal(100_000))
    assert selectors_rules.rule_in_words(big) == (
        "Finance (Fiona Banks) approves contracts from 100,000 a year"
    )


# --- which rules apply: the preview and the real submission agree -----------------------------


@pytest.mark.parametrize(
    ("kind", "annual"),
    [
        (ContractKind.MASTER, "150000"),  # legal and finance
        (ContractKind.MASTER, "100000"),  # exactly the threshold: finance too
        (ContractKind.MASTER, "99999.99"),  # legal only
        (ContractKind.MASTER, None),  # value unknown: legal only
        (ContractKind.NDA, "150000"),  # another kind: legal only
    ],
)
def test_the_preview_names_the_approvals_a_submission_asks_for(
    cast: Cast,
    legal_rule: ApprovalRule,
    finance_rule: ApprovalRule,
    kind: str,
    annual: str | None,
) -> None:
    # given a sell-side rule that a buy-side contract never needs
    services.approval_rule_create(
        actor=cast.admin,
        name="Legal on sales",
        function=Function.LEGAL,
        approver=cast.reviewer,
        side="sell",
    )
    # when someone previews a buy-side contract of that kind and value on the page
    query = {"kind": kind, "side": "buy", "annual_value": annual or ""}
    preview = web_client(cast.owner).get(f"{RULES_PAGE}preview/", query)
    assert preview.status_code == 200
    previewed = [rule.pk for rule, _ in preview.context["applying"]]
    # and such a contract is submitted for approval
    contract = submit(cast, kind=kind, annual=annual)
    asked = list(contract.approvals.order_by("pk").values_list("rule_id", flat=True))
    # then the preview named exactly the rules the round asks, in the same order
    assert previewed == asked
    expected = [legal_rule.pk]
    if kind == ContractKind.MASTER and annual is not None and Decimal(annual) >= 100_000:
        expected.append(finance_rule.pk)
    assert asked == expected
    # and the page names each approver
    html = preview.content.decode()
    for rule in ApprovalRule.objects.filter(pk__in=expected):
        assert rule.approver.get_full_name() in html


def test_an_archived_rule_no_longer_applies_to_new_rounds(
    cast: Cast, legal_rule: ApprovalRule, finance_rule: ApprovalRule
) -> None:
    # given a contract whose round asks legal and finance
    first = submit(cast)
    assert first.approvals.count() == 2
    # when finance's rule is archived
    services.approval_rule_archive(actor=cast.admin, rule=finance_rule)
    # then the round already open keeps its approvals, and a new round asks legal only
    assert first.approvals.count() == 2
    second = submit(cast)
    assert list(second.approvals.values_list("rule_id", flat=True)) == [legal_rule.pk]
    # and once restored, it applies again
    finance_rule.refresh_from_db()
    services.approval_rule_restore(actor=cast.admin, rule=finance_rule)
    assert submit(cast).approvals.count() == 2


def test_a_restore_that_would_duplicate_a_current_rule_is_refused(
    cast: Cast, legal_rule: ApprovalRule
) -> None:
    # given the rule archived and an identical one made since
    services.approval_rule_archive(actor=cast.admin, rule=legal_rule)
    services.approval_rule_create(
        actor=cast.admin, name="Legal, again", function=Function.LEGAL, approver=cast.reviewer
    )
    # when the archived one is restored, then it is refused and stays archived
    legal_rule.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.approval_rule_restore(actor=cast.admin, rule=legal_rule)
    assert refused.value.code == "duplicate"
    legal_rule.refresh_from_db()
    assert legal_rule.is_archived


# --- the pages ---------------------------------------------------------------------------------


def test_every_inside_user_reads_the_list_in_words(
    cast: Cast, legal_rule: ApprovalRule, finance_rule: ApprovalRule
) -> None:
    # when a reviewer (no administrator) opens the list
    response = web_client(cast.reviewer).get(RULES_PAGE)
    html = response.content.decode()
    # then each rule reads as a sentence, and nothing offers to change them
    assert response.status_code == 200
    assert f"Legal ({cast.reviewer.get_full_name()}) approves every contract" in html
    assert (
        "Finance (Fiona Banks) approves every master agreement on the buy side from 100,000 a year"
    ) in html
    assert "/approval-rules/new/" not in html
    assert f"/approval-rules/{legal_rule.pk}/edit/" not in html
    # and the administrators' menu lists the page
    entry = next(e for e in navigation() if e.url_name == "contracts:approval-rule-list")
    assert entry.section == "admin"
    assert "/approval-rules/new/" in web_client(cast.admin).get(RULES_PAGE).content.decode()


def test_the_list_page_reads_a_fixed_number_of_queries(
    cast: Cast, legal_rule: ApprovalRule, finance: Any
) -> None:
    client = web_client(cast.admin)
    client.get(RULES_PAGE)  # the session and the menu warm up

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RULES_PAGE).status_code == 200
        return len(captured)

    one = queries()
    # given five more rules, with other approvers
    for number in range(5):
        person = UserFactory(profile__function="finance")
        services.approval_rule_create(
            actor=cast.admin,
            name=f"Finance {number}",
            function=Function.FINANCE,
            approver=person,
            min_annual_value=Decimal(number * 1000),
        )
    # then the page reads as many queries as with one
    assert queries() == one
    with CaptureQueriesContext(connection) as captured:
        assert api_client(cast.admin).get(RULES_API).status_code == 200
    api_six = len(captured)
    ApprovalRule.objects.exclude(pk=legal_rule.pk).update(archived_at=legal_rule.created_at)
    with CaptureQueriesContext(connection) as captured:
        assert api_client(cast.admin).get(RULES_API).status_code == 200
    assert len(captured) == api_six


def test_an_administrator_creates_a_rule_on_the_page(cast: Cast, finance: Any) -> None:
    client = web_client(cast.admin)
    assert client.get(f"{RULES_PAGE}new/").status_code == 200
    response = client.post(
        f"{RULES_PAGE}new/",
        {
            "name": "Finance on masters",
            "function": "finance",
            "approver": finance.pk,
            "kinds": ["master", "sow"],
            "side": "",
            "min_annual_value": "100000",
            "order": "20",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == RULES_PAGE
    rule = ApprovalRule.objects.get()
    assert (rule.kinds, rule.side, rule.min_annual_value) == (
        ["master", "sow"],
        "",
        Decimal(100_000),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_annual_value": "-5"}, "min_annual_value"),  # the form's own check
        ({"function": "finance"}, "approver"),  # the service's: the reviewer works in legal
    ],
)
def test_a_refused_page_post_names_the_field_and_writes_nothing(
    cast: Cast, overrides: dict[str, str], field: str
) -> None:
    data = {
        "name": "Legal",
        "function": "legal",
        "approver": str(cast.reviewer.pk),
        "side": "",
        "min_annual_value": "",
        "order": "10",
        **overrides,
    }
    response = web_client(cast.admin).post(f"{RULES_PAGE}new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ApprovalRule.objects.exists()


def test_an_administrator_edits_archives_and_restores_on_the_page(
    cast: Cast, legal_rule: ApprovalRule
) -> None:
    client = web_client(cast.admin)
    edit = f"{RULES_PAGE}{legal_rule.pk}/edit/"
    assert client.get(edit).status_code == 200
    data = {
        "name": "Legal, every contract",
        "function": "legal",
        "approver": cast.reviewer.pk,
        "side": "",
        "min_annual_value": "",
        "order": "1",
        "version": legal_rule.version,
    }
    assert client.post(edit, data).status_code == 302
    legal_rule.refresh_from_db()
    assert (legal_rule.name, legal_rule.order) == ("Legal, every contract", 1)
    # archive, then restore
    archive = f"{RULES_PAGE}{legal_rule.pk}/archive/"
    assert client.post(archive, {"version": legal_rule.version}).status_code == 302
    legal_rule.refresh_from_db()
    assert legal_rule.is_archived
    restore = f"{RULES_PAGE}{legal_rule.pk}/restore/"
    assert client.post(restore, {"version": legal_rule.version}).status_code == 302
    legal_rule.refresh_from_db()
    assert not legal_rule.is_archived


@pytest.mark.parametrize("role", ["auditor", "owner", "reviewer"])
def test_a_non_administrator_gets_403_on_the_page_writes(
    cast: Cast, legal_rule: ApprovalRule, role: str
) -> None:
    client = web_client(cast.user(role))
    data = {"name": "x", "function": "legal", "approver": cast.reviewer.pk, "order": "1"}
    assert client.get(f"{RULES_PAGE}new/").status_code == 403
    assert client.post(f"{RULES_PAGE}new/", data).status_code == 403
    edit = f"{RULES_PAGE}{legal_rule.pk}/edit/"
    assert client.post(edit, {**data, "version": 1}).status_code == 403
    assert client.post(f"{RULES_PAGE}{legal_rule.pk}/archive/").status_code == 403
    legal_rule.refresh_from_db()
    assert (legal_rule.name, legal_rule.archived_at, ApprovalRule.objects.count()) == (
        "Legal always",
        None,
        1,
    )
    # and they still read the list
    assert client.get(RULES_PAGE).status_code == 200


# --- the API -----------------------------------------------------------------------------------


def test_the_api_creates_edits_and_archives_for_administrators(cast: Cast, finance: Any) -> None:
    client = api_client(cast.admin)
    created = client.post(
        RULES_API,
        {
            "name": "Finance from 100k",
            "function": "finance",
            "approver": finance.pk,
            "kinds": ["master"],
            "side": "buy",
            "min_annual_value": "100000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["in_words"] == (
        "Finance (Fiona Banks) approves every master agreement on the buy side from 100,000 a year"
    )
    path = f"{RULES_API}{body['id']}/"
    patched = client.patch(path, {"order": 3, "version": body["version"]}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["order"] == 3
    assert client.delete(path).status_code == 204
    assert ApprovalRule.objects.get().is_archived
    # an archived rule leaves the list unless asked for
    assert client.get(RULES_API).json()["results"] == []
    assert len(client.get(RULES_API, {"archived": "true"}).json()["results"]) == 1


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"min_annual_value": "-1"}, ("min_annual_value", "min_value")),
        ({"function": "finance"}, ("approver", "wrong_function")),
        ({"kinds": ["lease"]}, ("kinds", "invalid_choice")),
        ({"approver": 999_999}, ("approver", "does_not_exist")),
    ],
)
def test_bad_api_input_is_answered_400_with_field_and_code(
    cast: Cast, overrides: dict[str, Any], expected: tuple[str, str]
) -> None:
    body = {"name": "Legal", "function": "legal", "approver": cast.reviewer.pk, **overrides}
    response = api_client(cast.admin).post(RULES_API, body, format="json")
    assert response.status_code == 400
    assert api_errors(response) == [expected]
    assert not ApprovalRule.objects.exists()


def test_the_api_refuses_a_duplicate(cast: Cast, legal_rule: ApprovalRule) -> None:
    body = {"name": "Legal again", "function": "legal", "approver": cast.reviewer.pk}
    response = api_client(cast.admin).post(RULES_API, body, format="json")
    assert response.status_code == 400
    assert api_errors(response) == [("approver", "duplicate")]


@pytest.mark.parametrize("role", ["auditor", "owner", "reviewer"])
def test_a_non_administrator_reads_but_gets_403_on_api_writes(
    cast: Cast, legal_rule: ApprovalRule, role: str
) -> None:
    client = api_client(cast.user(role))
    listed = client.get(RULES_API)
    assert [row["id"] for row in listed.json()["results"]] == [legal_rule.pk]
    assert client.get(f"{RULES_API}{legal_rule.pk}/").status_code == 200
    body = {"name": "x", "function": "legal", "approver": cast.reviewer.pk}
    assert client.post(RULES_API, body, format="json").status_code == 403
    path = f"{RULES_API}{legal_rule.pk}/"
    assert client.patch(path, {"name": "x", "version": 1}, format="json").status_code == 403
    assert client.delete(path).status_code == 403
    legal_rule.refresh_from_db()
    assert (legal_rule.name, legal_rule.archived_at, ApprovalRule.objects.count()) == (
        "Legal always",
        None,
        1,
    )


def test_portal_users_see_no_rules(cast: Cast, legal_rule: ApprovalRule) -> None:
    listed = api_client(cast.portal_a).get(RULES_API)
    assert listed.status_code == 403 or listed.json()["results"] == []
    assert api_client(cast.portal_a).get(f"{RULES_API}{legal_rule.pk}/").status_code in (403, 404)
    preview = web_client(cast.portal_a).get(
        f"{RULES_PAGE}preview/", {"kind": "master", "side": "buy"}
    )
    assert cast.reviewer.get_full_name() not in preview.content.decode()
