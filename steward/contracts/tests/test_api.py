"""The /api/v1/ endpoints of the contract engine: contracts, approvals, the negotiation log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.contracts import services
from steward.contracts.choices import ContractKind, ContractStatus
from steward.contracts.models import ApprovalRule, Contract, ContractApproval, NegotiationEntry
from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

CONTRACTS = "/api/v1/contracts/"
APPROVALS = "/api/v1/contract-approvals/"
ENTRIES = "/api/v1/negotiation-entries/"
RULES = "/api/v1/approval-rules/"


@pytest.fixture
def contract(cast: Cast) -> Contract:
    return services.contract_create(
        actor=cast.owner,
        relationship=cast.rel_a,
        title="Castings supply",
        kind=ContractKind.MASTER,
        reference="CS-2026",
        start_date=dt.date(2026, 1, 1),
        term_months=12,
        annual_value=Decimal(150_000),
        notice_count=3,
        notice_unit="months",
    )


@pytest.fixture
def legal_rule(cast: Cast) -> ApprovalRule:
    return ApprovalRule.objects.create(name="Legal always", function="legal", approver=cast.member)


def test_a_contract_is_drafted_edited_and_archived(cast: Cast) -> None:
    api = api_client(cast.member)

    # given a contract drafted on A's relationship by a member of its team
    created = api.post(
        CONTRACTS,
        {
            "relationship": cast.rel_a.pk,
            "title": "Castings supply",
            "kind": "master",
            "start_date": "2026-01-01",
            "term_months": 12,
            "notice_count": 30,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    # then its end and notice deadline are derived, and it is the buy side
    assert body["end_date"] == "2026-12-31"
    assert body["notice_deadline"] == "2026-12-01"
    assert body["side"] == "buy"
    assert body["status"] == "draft"
    assert body["owner"] == cast.owner.pk
    assert created.headers["ETag"] == '"1"'

    # when its title changes with the version read
    url = f"{CONTRACTS}{body['id']}/"
    changed = api.patch(url, {"title": "Castings and forgings", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Castings and forgings"

    # and it is archived
    assert api.delete(url).status_code == 204
    # then it leaves the list, keeps its history and can be found among the archived
    assert body["id"] not in result_ids(api.get(CONTRACTS))
    assert body["id"] in result_ids(api.get(CONTRACTS, {"archived": "true"}))
    history = api.get(f"{url}history/")
    assert history.status_code == 200
    assert [entry["kind"] for entry in history.json()["results"]][:1] == ["archived"]


def test_bad_input_names_the_field_and_writes_nothing(cast: Cast) -> None:
    api = api_client(cast.owner)

    # when a statement of work is drafted without its master agreement
    refused = api.post(
        CONTRACTS,
        {"relationship": cast.rel_a.pk, "title": "Work order 1", "kind": "sow"},
        format="json",
    )
    # then it is refused on the field concerned and nothing is written
    assert refused.status_code == 400
    assert ("parent", "invalid") in api_errors(refused)
    # and an evergreen contract with a term is refused on evergreen
    evergreen = api.post(
        CONTRACTS,
        {
            "relationship": cast.rel_a.pk,
            "title": "Evergreen",
            "kind": "master",
            "evergreen": True,
            "start_date": "2026-01-01",
            "term_months": 12,
        },
        format="json",
    )
    assert evergreen.status_code == 400
    assert [attr for attr, _ in api_errors(evergreen)] == ["evergreen"]
    assert not Contract.objects.exists()


def test_a_stale_version_is_refused_with_409(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.owner)
    url = f"{CONTRACTS}{contract.pk}/"
    # given someone else saved the contract since version 1 was read
    services.contract_update(
        actor=cast.member, contract=contract, expected_version=1, description="Theirs"
    )
    # when the owner saves their edit of version 1
    stale = api.patch(url, {"description": "Mine", "version": 1}, format="json")
    # then it is refused and their change stays
    assert stale.status_code == 409
    assert api_errors(stale) == [(None, "stale_version")]
    contract.refresh_from_db()
    assert contract.description == "Theirs"
    # and an edit without a version is refused too
    assert api.patch(url, {"description": "Mine"}, format="json").status_code == 428


def test_a_refused_transition_answers_400_with_the_reason(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.owner)
    url = f"{CONTRACTS}{contract.pk}/transition/"
    # when a draft is moved straight to active
    refused = api.post(url, {"to_status": "active"}, format="json")
    # then the move is refused on to_status, naming where it may go
    assert refused.status_code == 400
    assert api_errors(refused) == [("to_status", "invalid_transition")]
    assert "may move to" in refused.json()["errors"][0]["detail"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    # and an allowed move goes through
    moved = api.post(url, {"to_status": "in_negotiation", "reason": "Talks"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "in_negotiation"


@pytest.mark.usefixtures("legal_rule")
def test_only_the_approver_decides_and_approval_gates_activation(
    cast: Cast, contract: Contract
) -> None:
    owner = api_client(cast.owner)
    # given the contract is submitted for approval: legal (member) must approve
    submitted = owner.post(
        f"{CONTRACTS}{contract.pk}/transition/", {"to_status": "pending_approval"}, format="json"
    )
    assert submitted.status_code == 200, submitted.content
    listed = owner.get(f"{CONTRACTS}{contract.pk}/approvals/")
    assert listed.status_code == 200
    [approval] = listed.json()["results"]
    assert (approval["function"], approval["decision"]) == ("legal", "pending")
    # then it cannot go active yet
    early = owner.post(
        f"{CONTRACTS}{contract.pk}/transition/", {"to_status": "active"}, format="json"
    )
    assert api_errors(early) == [("to_status", "approvals_missing")]

    # and it waits on the approver, not on its owner
    assert result_ids(api_client(cast.member).get(CONTRACTS, {"pending_mine": "true"})) == [
        contract.pk
    ]
    assert result_ids(owner.get(CONTRACTS, {"pending_mine": "true"})) == []

    # when the owner, who is not the approver, decides it
    decide = f"{APPROVALS}{approval['id']}/decide/"
    wrong = owner.post(decide, {"decision": "approved"}, format="json")
    # then it is refused and stays pending
    assert wrong.status_code == 400
    assert api_errors(wrong) == [("decision", "not_the_approver")]
    assert ContractApproval.objects.get(pk=approval["id"]).decision == "pending"

    # when the approver approves
    approved = api_client(cast.member).post(
        decide, {"decision": "approved", "comment": "Fine"}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["decision"] == "approved"
    # then the contract can go active
    active = owner.post(
        f"{CONTRACTS}{contract.pk}/transition/", {"to_status": "active"}, format="json"
    )
    assert active.status_code == 200, active.content
    assert active.json()["status"] == "active"


@pytest.mark.usefixtures("legal_rule")
def test_a_rejection_needs_a_comment(cast: Cast, contract: Contract) -> None:
    services.contract_transition(
        actor=cast.owner, contract=contract, to_status=ContractStatus.PENDING_APPROVAL
    )
    approval = contract.approvals.get()
    api = api_client(cast.member)
    # when the approver rejects without saying why
    refused = api.post(f"{APPROVALS}{approval.pk}/decide/", {"decision": "rejected"})
    # then it is refused on the comment
    assert refused.status_code == 400
    assert api_errors(refused) == [("comment", "required")]
    # and with a reason the contract goes back to negotiation
    rejected = api.post(
        f"{APPROVALS}{approval.pk}/decide/", {"decision": "rejected", "comment": "Cap liability"}
    )
    assert rejected.status_code == 200
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_NEGOTIATION


def test_the_negotiation_log_is_kept_per_contract(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.member)
    # when a position on price is logged
    logged = api.post(
        ENTRIES,
        {
            "contract": contract.pk,
            "term": "price",
            "our_position": "-5%",
            "their_position": "-2%",
            "logged_on": "2026-01-10",
        },
        format="json",
    )
    assert logged.status_code == 201, logged.content
    assert logged.json()["logged_by"] == cast.member.pk
    # then it is listed by contract
    assert result_ids(api.get(ENTRIES, {"contract": contract.pk})) == [logged.json()["id"]]
    # and an entry with no position at all is refused on the field, writing nothing
    empty = api.post(ENTRIES, {"contract": contract.pk, "term": "price"}, format="json")
    assert empty.status_code == 400
    assert api_errors(empty) == [("our_position", "invalid")]
    assert NegotiationEntry.objects.count() == 1


def test_the_list_filters(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.owner)
    # a search over the organization's name, the side, status and the notice window
    assert result_ids(api.get(CONTRACTS, {"q": cast.org_a.display_name.split()[0]})) == [
        contract.pk
    ]
    assert result_ids(api.get(CONTRACTS, {"q": "CS-2026"})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"side": "buy"})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"side": "sell"})) == []
    assert result_ids(api.get(CONTRACTS, {"status": "draft", "kind": "master"})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"status": "active"})) == []
    assert result_ids(api.get(CONTRACTS, {"notice_before": "2026-10-01"})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"notice_after": "2026-10-01"})) == []
    assert result_ids(api.get(CONTRACTS, {"ends_after": "2026-12-31"})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"ends_before": "2026-12-30"})) == []
    assert result_ids(api.get(CONTRACTS, {"owner": cast.owner.pk})) == [contract.pk]
    assert result_ids(api.get(CONTRACTS, {"relationship": cast.rel_a.pk})) == [contract.pk]


@pytest.mark.usefixtures("legal_rule")
def test_an_outsider_neither_sees_nor_reaches_a_contract(cast: Cast, contract: Contract) -> None:
    services.contract_transition(
        actor=cast.owner, contract=contract, to_status=ContractStatus.PENDING_APPROVAL
    )
    services.negotiation_log(actor=cast.owner, contract=contract, term="price", our_position="x")
    approval = contract.approvals.get()
    api = api_client(cast.outsider)
    # then nothing of the contract is listed for them
    assert contract.pk not in result_ids(api.get(CONTRACTS))
    assert result_ids(api.get(APPROVALS)) == []
    assert result_ids(api.get(ENTRIES)) == []
    # and its addresses answer 404, as if it did not exist
    assert api.get(f"{CONTRACTS}{contract.pk}/").status_code == 404
    assert api.get(f"{CONTRACTS}{contract.pk}/approvals/").status_code == 404
    assert api.post(f"{APPROVALS}{approval.pk}/decide/", {"decision": "approved"}).status_code == (
        404
    )
    moved = api.post(f"{CONTRACTS}{contract.pk}/transition/", {"to_status": "active"})
    assert moved.status_code == 404
    # and they cannot log on it either: the contract id is one they may not see
    logged = api.post(ENTRIES, {"contract": contract.pk, "term": "price", "our_position": "y"})
    assert logged.status_code == 400
    assert api_errors(logged) == [("contract", "does_not_exist")]
    assert NegotiationEntry.objects.count() == 1


def test_a_reviewer_reads_but_does_not_change(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.reviewer)
    assert api.get(f"{CONTRACTS}{contract.pk}/").status_code == 200
    moved = api.post(f"{CONTRACTS}{contract.pk}/transition/", {"to_status": "in_negotiation"})
    assert moved.status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_approval_rules_are_listed_for_inside_users(cast: Cast, legal_rule: ApprovalRule) -> None:
    # an inside reader sees the rules; a portal user of the counterparty does not
    assert result_ids(api_client(cast.reviewer).get(RULES)) == [legal_rule.pk]
    portal = api_client(cast.portal_a).get(RULES)
    assert portal.status_code == 403 or legal_rule.pk not in result_ids(portal)
    # and only administrators write them (see test_approval_rules.py): a reader is refused
    assert api_client(cast.reviewer).post(RULES, {"name": "x"}).status_code == 403
