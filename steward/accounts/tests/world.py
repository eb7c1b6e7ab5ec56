"""Demand-side accounts over the shared test cast, for the key-account apps' tests.

The cast's relationships are supply-side; key account management needs accounts. ``account_a``
is Aurora as a customer, owned by ``owner`` (so ``manager`` and ``director`` read it), with
``member`` editing and ``reviewer`` reading on its team; ``account_b`` is Borealis as a
customer, owned by ``outsider`` (a peer of ``owner``: neither sees the other's).
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.parties.choices import RelationshipStatus, Side, Tier
from steward.parties.models import Relationship, RelationshipMember
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import RelationshipFactory, RelationshipMemberFactory


@dataclass
class DemandWorld:
    account_a: Relationship
    account_b: Relationship
    member_row: RelationshipMember
    reviewer_row: RelationshipMember


def demand_accounts(cast: Cast) -> DemandWorld:
    account_a = RelationshipFactory(
        organization=cast.org_a,
        side=Side.DEMAND,
        owner=cast.owner,
        tier=Tier.STRATEGIC,
        status=RelationshipStatus.ACTIVE,
    )
    account_b = RelationshipFactory(
        organization=cast.org_b,
        side=Side.DEMAND,
        owner=cast.outsider,
        tier=Tier.KEY,
        status=RelationshipStatus.ACTIVE,
    )
    return DemandWorld(
        account_a=account_a,
        account_b=account_b,
        member_row=RelationshipMemberFactory(
            relationship=account_a, user=cast.member, role="specialist", access="edit"
        ),
        reviewer_row=RelationshipMemberFactory(
            relationship=account_a, user=cast.reviewer, role="legal", access="review"
        ),
    )
