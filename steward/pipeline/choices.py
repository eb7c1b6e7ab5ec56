from django.db import models


class Stage(models.TextChoices):
    PROSPECTING = "prospecting", "Prospecting"
    QUALIFICATION = "qualification", "Qualification"
    SOLUTION = "solution", "Solution development"
    PROPOSAL = "proposal", "Proposal"
    NEGOTIATION = "negotiation", "Negotiation"
    WON = "won", "Closed won"
    LOST = "lost", "Closed lost"


OPEN_STAGES = (
    Stage.PROSPECTING,
    Stage.QUALIFICATION,
    Stage.SOLUTION,
    Stage.PROPOSAL,
    Stage.NEGOTIATION,
)
CLOSED_STAGES = (Stage.WON, Stage.LOST)

# Probability of winning, in per cent, per stage until the organization's own history says
# otherwise (see steward.pipeline.calibration).
DEFAULT_PROBABILITY: dict[str, int] = {
    Stage.PROSPECTING: 10,
    Stage.QUALIFICATION: 20,
    Stage.SOLUTION: 40,
    Stage.PROPOSAL: 60,
    Stage.NEGOTIATION: 80,
    Stage.WON: 100,
    Stage.LOST: 0,
}


class ForecastCategory(models.TextChoices):
    """Cumulative: commit includes closed, best case includes commit, pipeline includes best
    case; omitted is left out of every roll-up."""

    PIPELINE = "pipeline", "Pipeline"
    BEST_CASE = "best_case", "Best case"
    COMMIT = "commit", "Commit"
    CLOSED = "closed", "Closed"
    OMITTED = "omitted", "Omitted"


class PenetrationType(models.TextChoices):
    NEW_PRODUCT = "new_product", "New product to a current buyer"
    NEW_BUYER = "new_buyer", "New buyer at an existing location"
    NEW_LOCATION = "new_location", "New location"
    EXPANSION = "expansion", "More of what they buy (renewal, expansion)"


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", "Decision maker"
    INFLUENCER = "influencer", "Influencer"
    EVALUATOR = "evaluator", "Evaluator"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    USER = "user", "User"


class CreditRole(models.TextChoices):
    OWNER = "owner", "Account manager"
    SOLUTION = "solution", "Solution development"
    PROPOSAL = "proposal", "Proposal"
    SPECIALIST = "specialist", "Specialist"


# The stages an opportunity may move to by hand (won and lost have their own actions).
OPEN_STAGE_CHOICES = [(stage.value, stage.label) for stage in OPEN_STAGES]
