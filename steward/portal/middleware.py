"""Ask a portal user who turned on a second factor for a code before anything else answers.

Session sign-ins (password or link) are verified once per session (django-otp keeps the
verified device in the session). API calls authenticated by a personal token carry no
session: the token is its own credential, and making one needs a verified session.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from steward.core.access import principal_for

# Paths a not-yet-verified portal user may still reach: the code page, signing out, assets.
_OPEN_PREFIXES = ("/static/", "/healthz", "/logout/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_code(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "client_error",
                        "errors": [
                            {
                                "code": "second_factor_required",
                                "detail": "Enter your authenticator code in the browser first.",
                                "attr": None,
                            }
                        ],
                    },
                    status=403,
                )
            target = reverse("portal:verify")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _needs_code(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not principal_for(user).is_external:
            return False
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return False
        path = request.path
        if path == reverse("portal:verify") or path.startswith(_OPEN_PREFIXES):
            return False
        from steward.portal.services import has_second_factor

        return has_second_factor(user)
