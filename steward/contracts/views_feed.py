"""The iCalendar feed of a user's contract deadlines, behind a token in its URL.

Calendar programs cannot log in, so the URL itself carries the credential: the user's id and
an HMAC over it and their password hash. Changing the password revokes every feed URL handed
out before; the token reveals nothing and cannot be forged without the secret key.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_GET

from steward.contracts.selectors_renewals import feed_for_user
from steward.core.access import principal_for

_SALT = "steward.contracts.deadline-feed"


def _signature(user: Any) -> str:
    return salted_hmac(_SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def feed_token(user: Any) -> str:
    """The token for ``user``'s feed URL (stable until their password changes)."""
    return f"{user.pk}-{_signature(user)}"


def user_for_feed_token(token: str) -> Any | None:
    """The active internal user the token belongs to, or None for any bad or stale token."""
    pk, _, signature = token.partition("-")
    if not pk.isdigit() or not signature:
        return None
    user = get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    if user is None or not constant_time_compare(signature, _signature(user)):
        return None
    return user if principal_for(user).is_internal else None


@require_GET
def deadlines_feed(request: HttpRequest, token: str) -> HttpResponse:
    """GET only, no session: answers 404 alike for a wrong token and an unknown user."""
    user = user_for_feed_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(
        feed_for_user(user, timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="steward-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
