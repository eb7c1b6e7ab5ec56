"""Defaults the supply side starts from: governance per relationship type and per quadrant.

The quadrant playbooks are seeded into the database (administrators tune them); the governance of
each relationship type is a fixed table, like the lifecycle's.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.suppliers.choices import (
    AssessmentDepth,
    InformationSharing,
    RelationshipType,
    Segment,
)


@dataclass(frozen=True)
class Governance:
    review_every_days: int
    escalation_path: tuple[str, ...]
    information_sharing: str


TYPE_GOVERNANCE: dict[str, Governance] = {
    RelationshipType.TRANSACTIONAL: Governance(
        365, ("Vendor manager", "Category manager"), InformationSharing.MINIMAL
    ),
    RelationshipType.ONGOING: Governance(
        180,
        ("Vendor manager", "Category manager", "Head of procurement"),
        InformationSharing.OPERATIONAL,
    ),
    RelationshipType.PARTNERSHIP: Governance(
        90,
        ("Vendor manager", "Head of procurement", "Business unit sponsor"),
        InformationSharing.STRATEGIC,
    ),
    RelationshipType.STRATEGIC_ALLIANCE: Governance(
        30,
        ("Vendor manager", "Executive sponsor", "Steering committee"),
        InformationSharing.FULL,
    ),
    RelationshipType.BACKWARD_INTEGRATION: Governance(
        90,
        ("Vendor manager", "Subsidiary management", "Group executive board"),
        InformationSharing.FULL,
    ),
}


SEGMENT_DEFAULTS: dict[str, dict[str, object]] = {
    Segment.STRATEGIC: {
        "default_relationship_type": RelationshipType.STRATEGIC_ALLIANCE,
        "compatible_types": [
            RelationshipType.PARTNERSHIP,
            RelationshipType.STRATEGIC_ALLIANCE,
            RelationshipType.BACKWARD_INTEGRATION,
        ],
        "review_every_days": 30,
        "assessment_depth": AssessmentDepth.DEEP,
        "objectives": "Secure long-term supply and joint value: shared roadmaps, joint "
        "innovation, executive sponsorship on both sides.",
        "expectations": "Full transparency on capacity, quality and cost drivers; a joint "
        "business plan reviewed every quarter.",
    },
    Segment.LEVERAGE: {
        "default_relationship_type": RelationshipType.ONGOING,
        "compatible_types": [
            RelationshipType.TRANSACTIONAL,
            RelationshipType.ONGOING,
            RelationshipType.PARTNERSHIP,
        ],
        "review_every_days": 90,
        "assessment_depth": AssessmentDepth.STANDARD,
        "objectives": "Use our buying power: consolidate volume, tender regularly, trade "
        "volume commitments and longer terms for lower prices.",
        "expectations": "Competitive prices, price-breaks by volume, reliable delivery.",
    },
    Segment.BOTTLENECK: {
        "default_relationship_type": RelationshipType.PARTNERSHIP,
        "compatible_types": [
            RelationshipType.ONGOING,
            RelationshipType.PARTNERSHIP,
            RelationshipType.BACKWARD_INTEGRATION,
        ],
        "review_every_days": 90,
        "assessment_depth": AssessmentDepth.STANDARD,
        "objectives": "Secure supply and reduce dependence: safety stock, longer contracts, "
        "develop or qualify alternatives.",
        "expectations": "Early warning of shortages, agreed allocation, continuity plans.",
    },
    Segment.NON_CRITICAL: {
        "default_relationship_type": RelationshipType.TRANSACTIONAL,
        "compatible_types": [RelationshipType.TRANSACTIONAL, RelationshipType.ONGOING],
        "review_every_days": 365,
        "assessment_depth": AssessmentDepth.LIGHT,
        "objectives": "Keep the cost of buying low: catalogues, cards, few invoices, "
        "standard terms.",
        "expectations": "Standard terms, electronic ordering and invoicing.",
    },
}
