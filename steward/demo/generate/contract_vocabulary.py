"""What the contract story's people wrote: approval comments and negotiation positions, and the
weekly availability figures of the two months that missed the target."""

from __future__ import annotations

from decimal import Decimal

from steward.contracts.choices import ConcededBy, NegotiatedTerm
from steward.people.choices import Function

BREACH_LAST_MONTH = [Decimal("99.95"), Decimal("98.90"), Decimal("99.10"), Decimal("99.60")]
MISS_FOUR_MONTHS_AGO = [Decimal("99.90"), Decimal("99.70"), Decimal("99.85"), Decimal("99.90")]

APPROVAL_COMMENTS: dict[str, str] = {
    Function.LEGAL: "Liability and termination clauses follow our standard.",
    Function.FINANCE: "Within budget; payment terms accepted.",
    Function.IT_SECURITY: "Sub-processors and transfer safeguards reviewed.",
}

NEGOTIATION: dict[str, list[dict[str, str]]] = {
    "main": [
        {
            "term": NegotiatedTerm.PRICE,
            "our_position": "EUR 220,000 a year, fixed for three years.",
            "their_position": "EUR 260,000 a year with yearly indexation.",
            "conceded_by": ConcededBy.BOTH,
            "concession": "EUR 240,000 a year; indexation capped at 3 % from year two.",
        },
        {
            "term": NegotiatedTerm.SLA,
            "our_position": "99.95 % availability with credits from the first miss.",
            "their_position": "99.5 % availability, no credits.",
            "conceded_by": ConcededBy.THEM,
            "concession": "99.9 % with tiered credits capped at 20 % of the monthly fee.",
        },
    ],
    "pending": [
        {
            "term": NegotiatedTerm.VOLUME,
            "our_position": "No minimum volume.",
            "their_position": "A committed 100 % of last year's consumption.",
        },
        {
            "term": NegotiatedTerm.TERM_LENGTH,
            "our_position": "Two years.",
            "their_position": "Three years for the quoted price.",
            "conceded_by": ConcededBy.THEM,
            "concession": "Two years at the quoted price.",
        },
        {
            "term": NegotiatedTerm.VOLUME,
            "our_position": "At most 80 % of last year's consumption.",
            "their_position": "90 %.",
            "conceded_by": ConcededBy.THEM,
            "concession": "80 %, with a 2 % rebate above 100 %.",
        },
    ],
    "negotiating": [
        {
            "term": NegotiatedTerm.PRICE,
            "our_position": "EUR 380,000 a year.",
            "their_position": "EUR 450,000 a year.",
        },
        {
            "term": NegotiatedTerm.LIABILITY,
            "our_position": "Liability capped at twice the yearly fees.",
            "their_position": "Capped at the fees of the last twelve months.",
            "conceded_by": ConcededBy.US,
            "concession": "One and a half times the yearly fees, data breaches uncapped.",
        },
        {
            "term": NegotiatedTerm.PAYMENT,
            "our_position": "60 days net.",
            "their_position": "30 days net.",
        },
    ],
    "customer": [
        {
            "term": NegotiatedTerm.PRICE,
            "our_position": "List price less 10 %.",
            "their_position": "List price less 20 % for 200 licences.",
        },
    ],
}
