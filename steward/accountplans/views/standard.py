"""The plan standard's page: every inside user reads it, administrators change it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from steward.accountplans import selectors, services
from steward.accountplans.forms import StandardForm
from steward.core.access import Action, allows
from steward.core.ui import history_context, inside_only, render_page, run_form_service


@login_required
def standard_detail(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    user = request.user
    standard = selectors.standard_get_for_user(user=user)
    can_change = allows(user, Action.CHANGE, standard)
    form = StandardForm(request.POST or None, instance=standard) if can_change else None
    if request.method == "POST":
        standard = selectors.standard_get_for_user(user=user, action=Action.CHANGE)
        assert form is not None
        if form.is_valid():
            response = run_form_service(
                request,
                form,
                lambda: services.standard_update(
                    actor=user,
                    standard=standard,
                    expected_version=form.cleaned_data.get("version") or 0,
                    **form.changes(),
                ),
                success_message="The standard was saved.",
            )
            if response is not None:
                return response
    context = {
        "standard": standard,
        "rules": selectors.rules_of(standard),
        "form": form,
        "can_change": can_change,
        **history_context(request, standard),
    }
    return render_page(request, "accountplans/standard.html", context)
