"""Recording a customer's CSAT or NPS answer on an account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.core.access import Action, require, require_create
from steward.core.errors import DomainError, DuplicateError
from steward.core.services import (
    archive_record,
    create_record,
    refuse_unknown_fields,
    update_record,
)
from steward.parties.choices import Side
from steward.parties.models import Contact, Relationship, Site
from steward.satisfaction.choices import SCORE_RANGE, ResponseChannel, SurveyKind
from steward.satisfaction.models import SatisfactionResponse

COMMENT_LIMIT = 5000
RESPONSE_EDITABLE = frozenset({"score", "comment", "answered_on", "site"})


def check_account(relationship: Relationship) -> None:
    if relationship.side != Side.DEMAND:
        raise DomainError(
            "Satisfaction is measured on customer accounts (demand side).",
            field="relationship",
            code="not_account",
        )
    if relationship.is_archived:
        raise DomainError(
            "The account is archived; restore it first.", field="relationship", code="archived"
        )


def group_organization_ids(relationship: Relationship) -> set[int]:
    """The account's organization, its parent and its parent's (or its own) subsidiaries."""
    organization = relationship.organization
    root_id = organization.parent_id or organization.pk
    ids = {organization.pk, root_id}
    ids.update(type(organization).objects.filter(parent_id=root_id).values_list("pk", flat=True))
    return ids


def check_score(kind: Any, score: Any) -> int:
    if kind not in SCORE_RANGE:
        raise DomainError("Choose CSAT or NPS.", field="kind", code="invalid_choice")
    low, high = SCORE_RANGE[kind]
    if isinstance(score, bool) or not isinstance(score, int):
        raise DomainError(f"Give the score as a whole number {low}-{high}.", field="score")
    if not low <= score <= high:
        raise DomainError(
            f"A {SurveyKind(kind).label} score is {low} to {high}, not {score}.",
            field="score",
            code="out_of_range",
        )
    return score


def check_details(
    relationship: Relationship,
    *,
    contact: Contact | None,
    site: Site | None,
    answered_on: dt.date,
    comment: str,
) -> None:
    if contact is not None and contact.organization_id not in group_organization_ids(relationship):
        raise DomainError(
            f"{contact} does not work for {relationship.organization} or its group.",
            field="contact",
            code="not_customer_contact",
        )
    if site is not None and site.organization_id not in group_organization_ids(relationship):
        raise DomainError(
            f"{site} is not a location of {relationship.organization} or its group.",
            field="site",
            code="not_customer_site",
        )
    if answered_on > timezone.localdate():
        raise DomainError("The answer cannot be dated in the future.", field="answered_on")
    if len(comment) > COMMENT_LIMIT:
        raise DomainError(
            f"The comment is longer than {COMMENT_LIMIT} characters.", field="comment"
        )


def response_record(
    *,
    actor: Any,
    relationship: Relationship,
    kind: str,
    score: int,
    answered_on: dt.date,
    contact: Contact | None = None,
    site: Site | None = None,
    comment: str = "",
    respondent_email: str = "",
) -> SatisfactionResponse:
    """A response entered by one of the account's team."""
    require_create(actor, SatisfactionResponse, parent=relationship)
    return _create(
        actor=actor,
        relationship=relationship,
        kind=kind,
        score=score,
        answered_on=answered_on,
        contact=contact,
        site=site,
        comment=comment,
        respondent_email=respondent_email,
        channel=ResponseChannel.ENTERED,
        entered_by=actor,
    )


def _create(*, actor: Any, **fields: Any) -> SatisfactionResponse:
    relationship = fields["relationship"]
    check_account(relationship)
    fields["score"] = check_score(fields["kind"], fields["score"])
    fields["comment"] = (fields.get("comment") or "").strip()
    check_details(
        relationship,
        contact=fields.get("contact"),
        site=fields.get("site"),
        answered_on=fields["answered_on"],
        comment=fields["comment"],
    )
    contact = fields.get("contact")
    email = (fields.get("respondent_email") or (contact.email if contact else "") or "").strip()
    fields["respondent_email"] = email.lower()
    try:
        with transaction.atomic():
            return create_record(SatisfactionResponse(**fields), actor=actor)
    except IntegrityError as error:
        if "once_a_day" in str(error) or "UNIQUE" in str(error).upper():
            raise DuplicateError(
                "This respondent answered this survey on that day already.", field="answered_on"
            ) from error
        raise


def response_from_link(**fields: Any) -> SatisfactionResponse:
    """A response the customer gave through a survey link (no one of ours entered it)."""
    return _create(actor=None, channel=ResponseChannel.LINK, entered_by=None, **fields)


def response_update(
    *, actor: Any, response: SatisfactionResponse, expected_version: int, **changes: Any
) -> SatisfactionResponse:
    require(actor, Action.CHANGE, response)
    refuse_unknown_fields(changes, RESPONSE_EDITABLE)

    def validate(record: SatisfactionResponse) -> None:
        check_score(record.kind, record.score)
        check_details(
            record.relationship,
            contact=record.contact,
            site=record.site,
            answered_on=record.answered_on,
            comment=record.comment,
        )

    if "comment" in changes:
        changes["comment"] = (changes["comment"] or "").strip()
    return update_record(
        response, actor=actor, expected_version=expected_version, changes=changes, validate=validate
    )


def response_archive(
    *, actor: Any, response: SatisfactionResponse, expected_version: int | None = None
) -> SatisfactionResponse:
    require(actor, Action.DELETE, response)
    return archive_record(response, actor=actor, expected_version=expected_version)
