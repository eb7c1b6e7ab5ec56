"""Choice sets of sourcing events."""

from __future__ import annotations

from django.db import models


class EventKind(models.TextChoices):
    RFQ = "rfq", "Request for quotation"
    RFP = "rfp", "Request for proposal"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for bids"
    CLOSED = "closed", "Closed"
    AWARD_PROPOSED = "award_proposed", "Award proposed"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class EvaluationMethod(models.TextChoices):
    LOWEST_PRICE = "lowest_price", "Lowest price"
    WEIGHTED = "weighted", "Weighted price and non-price criteria"


class AwardRule(models.TextChoices):
    SINGLE = "single", "Single vendor"
    SPLIT = "split", "Split by line"


class LineKind(models.TextChoices):
    PART = "part", "Part"
    SERVICE = "service", "Service"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    DECLINED = "declined", "Declined"


class LogAction(models.TextChoices):
    """What happened to an event; entries never carry bid amounts (see ``EventLogEntry``)."""

    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    PUBLISHED = "published", "Published"
    INVITED = "invited", "Vendor invited"
    INVITED_OVERRIDE = "invited_override", "Vendor invited over a block"
    DECLINED = "declined", "Invitation declined"
    QUESTION_ASKED = "question_asked", "Question asked"
    QUESTION_ANSWERED = "question_answered", "Question answered"
    BID_SUBMITTED = "bid_submitted", "Bid submitted"
    BID_REFUSED = "bid_refused", "Bid refused"
    DEADLINE_CHANGED = "deadline_changed", "Closing time changed"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    SCORED = "scored", "Bid scored"
    AWARD_PROPOSED = "award_proposed", "Award proposed"
    AWARD_APPROVED = "award_approved", "Award approved"
    AWARD_REJECTED = "award_rejected", "Award sent back"
    AWARD_CONFIRMED = "award_confirmed", "Award confirmed by the vendor"
    AWARD_DECLINED = "award_declined", "Award declined by the vendor"
    AWARD_LAPSED = "award_lapsed", "Award lapsed unconfirmed"
    AWARD_FELL_TO_NEXT = "award_fell_to_next", "Award fell to the next-ranked bid"
    CONTRACT_DRAFTED = "contract_drafted", "Contract drafted"
    SAVINGS_RECORDED = "savings_recorded", "Savings recorded"
    BIDDERS_NOTIFIED = "bidders_notified", "Unsuccessful bidders notified"
