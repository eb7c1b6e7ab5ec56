"""The awards app's write path: scoring, proposing and deciding on awards, the vendor's answer,
and the lapse job."""

from steward.awards.services.proposal import (
    award_approve,
    award_propose,
    award_send_back,
    may_approve,
)
from steward.awards.services.response import (
    award_confirm,
    award_decline,
    awards_lapse_due,
)
from steward.awards.services.scoring import criterion_score_set

__all__ = [
    "award_approve",
    "award_confirm",
    "award_decline",
    "award_propose",
    "award_send_back",
    "awards_lapse_due",
    "criterion_score_set",
    "may_approve",
]
