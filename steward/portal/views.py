"""Portal pages: accepting an invitation, sign-in links, the second factor, and the vendor tab
through which inside people invite a vendor's people."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from steward.core.access import Action, allows, principal_for
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, paginate
from steward.parties import selectors as parties
from steward.portal import selectors, services
from steward.portal.forms import AcceptForm, CodeForm, EmailForm, InvitationForm
from steward.portal.models import Invitation
from steward.suppliers import selectors as suppliers

BACKEND = "steward.people.backends.ProfileModelBackend"


def _vendor_url(supplier_pk: int) -> str:
    return f"{reverse('suppliers:vendor-detail', args=[supplier_pk])}?tab=portal"


# --- the vendor tab (inside people) --------------------------------------------------------------


def _contacts(request: HttpRequest, supplier: Any) -> Any:
    return parties.contact_list(user=request.user).filter(
        organization_id=supplier.relationship.organization_id, archived_at__isnull=True
    )


def portal_tab_context(
    request: HttpRequest, supplier: Any, form: InvitationForm | None = None
) -> dict[str, Any]:
    user = request.user
    page = paginate(request, selectors.vendor_invitations(user=user, supplier=supplier))
    can_invite = allows(user, Action.CHANGE, supplier) and principal_for(user).may_write
    return {
        "portal_users": selectors.vendor_portal_users(user=user, supplier=supplier),
        "invitations": page.object_list,
        "invitations_page": page,
        "can_invite": can_invite and not supplier.is_archived,
        "invite_form": form or InvitationForm(contacts=_contacts(request, supplier)),
    }


def _created(request: HttpRequest, invitation: Invitation, link: str) -> HttpResponse:
    """The one time the inviter sees the link: rendered, never redirected through a cookie."""
    context = {
        "invitation": invitation,
        "link": link,
        "vendor_url": _vendor_url(invitation.supplier_id),
        "title": "Invitation sent",
    }
    response = render(request, "portal/invitation_created.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = suppliers.supplier_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = InvitationForm(request.POST, contacts=_contacts(request, supplier))
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation, link = services.invitation_create(
                actor=request.user,
                supplier=supplier,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                contact=data["contact"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _created(request, invitation, link)
    context = {
        "object": supplier,
        "title": f"Invite to the portal — {supplier}",
        **portal_tab_context(request, supplier, form),
    }
    return render(request, "portal/invitation_form.html", context, status=400)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk, action=Action.CHANGE)
    try:
        fresh, link = services.invitation_resend(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_vendor_url(invitation.supplier_id))
    return _created(request, fresh, link)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk, action=Action.CHANGE)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation of {invitation.email} no longer works.")
    return HttpResponseRedirect(_vendor_url(invitation.supplier_id))


# --- accepting an invitation and signing in by link (anyone holding the link) --------------------


def _invalid_link(request: HttpRequest) -> HttpResponse:
    context = {"message": services.INVALID_LINK, "title": "This link cannot be used"}
    return render(request, "portal/invalid_link.html", context, status=404)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token=token)
    if invitation is None:
        return _invalid_link(request)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = AcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                token=token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
            )
        except DomainError as error:
            if error.code == "invalid_link":
                return _invalid_link(request)
            apply_domain_error(form, error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, f"Welcome to Steward. Your user name is {user.username}.")
            return HttpResponseRedirect(reverse("home"))
    context = {"form": form, "invitation": invitation, "title": "Join the portal"}
    # The site-wide same-origin referrer policy keeps the link's token from other sites.
    return render(request, "portal/accept.html", context)


@never_cache
def signin_request(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.signin_link_request(email=form.cleaned_data["email"])
        sent = True  # the same answer whether or not the address has an account
    context = {"form": form, "sent": sent, "title": "Email me a sign-in link"}
    return render(request, "portal/signin_request.html", context)


@never_cache
def signin_redeem(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST signs in: mail scanners that open links do not use them up."""
    if request.method == "POST":
        try:
            user = services.signin_link_redeem(token=token)
        except DomainError:
            return _invalid_link(request)
        login(request, user, backend=BACKEND)
        return HttpResponseRedirect(reverse("home"))
    return render(request, "portal/signin_redeem.html", {"title": "Sign in"})


# --- the second factor -------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code asked for once per session after signing in, when the user turned it on."""
    if not services.has_second_factor(request.user):
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request), "title": "Enter your code"}
    return render(request, "portal/verify.html", context)


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself; nothing the user typed goes into it.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#212529"))  # noqa: S308


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator-app second factor on (scan, confirm) or off (with a code)."""
    if not principal_for(request.user).is_external:
        raise PermissionDenied("The portal's second factor is for portal users.")
    form = CodeForm(request.POST or None)
    enrolled = services.has_second_factor(request.user)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if enrolled:
                services.totp_disable(actor=request.user, code=code)
            else:
                device = services.totp_enrol_confirm(actor=request.user, code=code)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if enrolled:
                messages.success(request, "The second factor is off.")
            else:
                otp_login(request, device)  # this session has just proved the code
                messages.success(request, "The second factor is on: sign-ins now ask for a code.")
            return HttpResponseRedirect(reverse("portal:security"))
    context: dict[str, Any] = {"form": form, "enrolled": enrolled, "title": "Second factor"}
    if not enrolled:
        device = services.totp_enrol_start(actor=request.user)
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    response = render(request, "portal/security.html", context)
    response["Cache-Control"] = "no-store"
    return response
