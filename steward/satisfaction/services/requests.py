"""Survey links: sent to one customer contact, answered once without signing in, until expiry.

The token is a random secret mailed once; the database keeps its sha256 only, so a leaked
database gives no working link. An unknown, used or expired link writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from steward.core.access import require_create
from steward.core.errors import DomainError
from steward.core.services import create_record, save_with_history
from steward.parties.models import Contact, Relationship
from steward.satisfaction.choices import SurveyKind
from steward.satisfaction.models import SatisfactionResponse, SurveyRequest
from steward.satisfaction.services.responses import (
    check_account,
    check_score,
    group_organization_ids,
    response_from_link,
)

logger = logging.getLogger(__name__)
DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 90


class LinkUnusable(DomainError):  # noqa: N818 - reads as the page says it
    """The link is unknown, used or expired; ``gone`` is True for used or expired (410)."""

    def __init__(self, message: str, *, gone: bool) -> None:
        super().__init__(message, code="gone" if gone else "not_found")
        self.gone = gone


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_link(token: str) -> str:
    path = reverse("satisfaction:survey-answer", args=[token])
    return f"{settings.STEWARD_BASE_URL.rstrip('/')}{path}"


def survey_request_send(
    *,
    actor: Any,
    relationship: Relationship,
    contact: Contact,
    kinds: Iterable[str] = (SurveyKind.NPS, SurveyKind.CSAT),
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
) -> tuple[SurveyRequest, str]:
    """Make the request and mail its link; returns the request and the link (shown once)."""
    require_create(actor, SurveyRequest, parent=relationship)
    check_account(relationship)
    chosen = set(kinds)
    if not chosen or not chosen <= set(SurveyKind.values):
        raise DomainError("Ask for CSAT, NPS or both.", field="kinds", code="invalid_choice")
    if contact.organization_id not in group_organization_ids(relationship):
        raise DomainError(
            f"{contact} does not work for {relationship.organization} or its group.",
            field="contact",
            code="not_customer_contact",
        )
    if contact.is_archived:
        raise DomainError(f"{contact} is archived.", field="contact", code="archived")
    if not contact.email:
        raise DomainError(
            f"{contact} has no e-mail address to send the survey to.",
            field="contact",
            code="no_email",
        )
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise DomainError(f"A link lasts 1 to {MAX_EXPIRY_DAYS} days.", field="expires_in_days")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        request = create_record(
            SurveyRequest(
                relationship=relationship,
                contact=contact,
                email=contact.email,
                ask_csat=SurveyKind.CSAT in chosen,
                ask_nps=SurveyKind.NPS in chosen,
                token_hash=hash_token(token),
                expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
                sent_by=actor,
            ),
            actor=actor,
            reason="Sent",
        )
        link = survey_link(token)
        context = {"request": request, "link": link, "organization": relationship.organization}
        transaction.on_commit(lambda: _mail(request.email, context))
    return request, link


def _mail(to: str, context: dict[str, Any]) -> None:
    """Mail after the write committed; a failing mail server does not undo the request."""
    message = EmailMultiAlternatives(
        subject="A two-minute question about our service",
        body=render_to_string("satisfaction/email/survey.txt", context),
        to=[to],
    )
    try:
        message.send()
    except Exception:  # the sender still has the link; the log says why no mail went out
        logger.exception("Could not send the survey mail to %s", to)


def survey_request_for_token(token: str, *, now: dt.datetime | None = None) -> SurveyRequest:
    """The request a link opens, or LinkUnusable (unknown: 404; used or expired: 410)."""
    if not token or len(token) > 200:
        raise LinkUnusable("This survey link is not known.", gone=False)
    request = (
        SurveyRequest.objects.select_related("relationship__organization", "contact")
        .filter(token_hash=hash_token(token), archived_at__isnull=True)
        .first()
    )
    if request is None:
        raise LinkUnusable("This survey link is not known.", gone=False)
    if request.answered_at is not None:
        raise LinkUnusable("This survey was answered already. Thank you!", gone=True)
    if request.expires_at <= (now or timezone.now()):
        raise LinkUnusable("This survey link has expired.", gone=True)
    return request


def survey_answer(
    *, token: str, scores: dict[str, Any], comment: str = ""
) -> list[SatisfactionResponse]:
    """Record the answers given through a link, once; the link is used up in the same write."""
    with transaction.atomic():
        found = survey_request_for_token(token)
        request = SurveyRequest.objects.select_for_update().get(pk=found.pk)
        if request.answered_at is not None:  # answered by a concurrent submission
            raise LinkUnusable("This survey was answered already. Thank you!", gone=True)
        parsed: dict[str, int] = {}
        for kind in request.kinds:
            raw = scores.get(kind)
            if raw in (None, ""):
                raise DomainError("Choose a score for every question.", field=kind)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise DomainError("Choose one of the scores shown.", field=kind) from None
            parsed[kind] = check_score(kind, value)
        today = timezone.localdate()
        created = [
            response_from_link(
                relationship=request.relationship,
                contact=request.contact,
                respondent_email=request.email,
                site=request.contact.site,
                kind=kind,
                score=value,
                answered_on=today,
                comment=comment,
                request=request,
            )
            for kind, value in parsed.items()
        ]
        request.answered_at = timezone.now()
        save_with_history(request, actor=None, reason="Answered")
    return created
