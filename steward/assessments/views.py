"""Pages of assessments: the list, a new assessment, the review screen, the library, evidence
downloads, and the portal's "my assessments" and answer form.

Views parse, call one selector or service and render. Refusals of a service come back as a
message on the page; rows the user may not see answer 404 (``get_for_user``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from steward.assessments import answer_values, selectors, services
from steward.assessments.choices import AnswerType, Verdict
from steward.assessments.models import ASSESSMENT_FUNCTIONS, Answer, Assessment, Question
from steward.assessments.services.assessments import may_review
from steward.core.access import Action, can_create, principal_for
from steward.core.errors import DomainError
from steward.core.ui import (
    ListPage,
    apply_domain_error,
    history_context,
    inside_only,
    portal_only,
    render_page,
)
from steward.core.uploads import stored_file_response
from steward.suppliers.models import Supplier

# --- internal pages ----------------------------------------------------------------------------


class AssessmentListPage(ListPage):
    template_name = "assessments/assessment_list.html"
    filterset_selector = selectors.assessment_filterset
    title = "Security assessments"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {
            "today": timezone.localdate(),
            "may_create": principal_for(self.request.user).may_write,
        }


class AssessmentForm(forms.Form):
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.none(), label="Vendor")
    template_version = forms.ModelChoiceField(
        queryset=selectors.TemplateVersion.objects.none(), label="Questionnaire"
    )
    due_on = forms.DateField(
        label="Due on", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    send = forms.BooleanField(required=False, label="Send to the vendor now", initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # IT security assesses every vendor it reads; others, the vendors they may change.
        works_all = principal_for(user).function in ASSESSMENT_FUNCTIONS
        suppliers = Supplier.objects.restrict(
            user, Action.VIEW if works_all else Action.CHANGE
        ).active()
        self.fields["supplier"].queryset = suppliers.select_related(  # type: ignore[attr-defined]
            "relationship__organization"
        ).order_by("relationship__organization__display_name")
        self.fields["template_version"].queryset = selectors.published_versions(user=user)  # type: ignore[attr-defined]


@login_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    inside_only(request)
    user = request.user
    if not principal_for(user).may_write:
        raise PermissionDenied("You may not create assessments.")
    form = AssessmentForm(request.POST or None, user=user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                actor=user,
                supplier=data["supplier"],
                template_version=data["template_version"],
                due_on=data["due_on"],
                note=data["note"],
            )
            if data["send"]:
                assessment = services.assessment_send(actor=user, assessment=assessment)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Assessment sent." if data["send"] else "Draft saved.")
            return HttpResponseRedirect(assessment.get_absolute_url())
    return render_page(request, "assessments/assessment_form.html", {"form": form})


def _detail_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    user = request.user
    result = services.running_score(assessment)
    sheet = selectors.assessment_sheet(assessment)
    return {
        "assessment": assessment,
        "sheet": sheet,
        "score": result,
        "section_scores": {s.section.pk: result.sections.get(s.section.pk) for s in sheet},
        "may_review": may_review(user) and assessment.status in ("submitted", "in_review"),
        "may_change": can_create(user, Assessment, parent=assessment.supplier)
        and assessment.is_open,
        "problems": services.submit_problems(assessment) if assessment.is_open_to_vendor else [],
        "today": timezone.localdate(),
        "verdicts": [v for v in Verdict.choices if v[0] != Verdict.PENDING],
        **history_context(request, assessment),
    }


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review screen: every answer with its evidence and verdict, and the running score."""
    inside_only(request)
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    return render_page(
        request, "assessments/assessment_detail.html", _detail_context(request, assessment)
    )


def _run(request: HttpRequest, call: Any, success: str) -> None:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def assessment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    inside_only(request)
    user = request.user
    assessment = selectors.assessment_get(user=user, pk=pk)
    note = request.POST.get("note", "")
    due = request.POST.get("due_on") or ""
    calls = {
        "send": (
            lambda: services.assessment_send(
                actor=user,
                assessment=assessment,
                due_on=dt.date.fromisoformat(due) if due else None,
            ),
            "Sent to the vendor.",
        ),
        "clarify": (
            lambda: services.assessment_request_clarification(actor=user, assessment=assessment),
            "Sent back to the vendor for clarification.",
        ),
        "complete": (
            lambda: services.assessment_complete(actor=user, assessment=assessment),
            "Assessment completed; its gaps are findings now.",
        ),
        "cancel": (
            lambda: services.assessment_cancel(actor=user, assessment=assessment, note=note),
            "Assessment cancelled.",
        ),
    }
    if action not in calls:
        raise Http404
    try:
        call, success = calls[action]
        _run(request, call, success)
    except ValueError:
        messages.error(request, f"“{due}” is not a date.")
    return HttpResponseRedirect(assessment.get_absolute_url())


@login_required
@require_POST
def answer_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One verdict; htmx swaps the answer's row, a plain form returns to the review screen."""
    inside_only(request)
    answer = selectors.answer_get(user=request.user, pk=pk)
    error = ""
    try:
        answer = services.answer_review(
            actor=request.user,
            answer=answer,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as refused:
        error = refused.message
    assessment = selectors.assessment_get(user=request.user, pk=answer.assessment_id)
    if getattr(request, "htmx", False):
        context = _detail_context(request, assessment)
        context["review_error"] = {answer.pk: error} if error else {}
        return render_page(request, "assessments/assessment_detail.html", context, partial="sheet")
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{answer.question.ref}: {answer.get_verdict_display()}.")
    return HttpResponseRedirect(assessment.get_absolute_url() + f"#answer-{answer.pk}")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to an evidence file: through the policy (404 for anyone else's)."""
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return stored_file_response(evidence)


class TemplateListPage(ListPage):
    template_name = "assessments/template_list.html"
    filterset_selector = selectors.template_filterset
    title = "Questionnaire templates"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        inside_only(request)
        return super().get(request, *args, **kwargs)


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    template = selectors.template_get(user=request.user, pk=pk)
    context = {
        "template": template,
        "versions": template.versions.order_by("-number"),
        **history_context(request, template),
    }
    return render_page(request, "assessments/template_detail.html", context)


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inside_only(request)
    version = selectors.version_get(user=request.user, pk=pk)
    sections = version.sections.filter(archived_at__isnull=True).prefetch_related("questions")
    return render_page(
        request,
        "assessments/version_detail.html",
        {"version": version, "sections": sections.order_by("order", "pk")},
    )


# --- the portal --------------------------------------------------------------------------------


@login_required
def portal_list(request: HttpRequest) -> HttpResponse:
    portal_only(request)
    rows = selectors.assessment_list(user=request.user).filter(archived_at__isnull=True)
    return render_page(
        request,
        "assessments/portal/list.html",
        {"rows": rows.order_by("-sent_at", "-pk"), "today": timezone.localdate()},
    )


def _posted_value(request: HttpRequest, question: Question) -> Any:
    name = f"q-{question.pk}"
    if question.answer_type == AnswerType.MULTIPLE:
        return request.POST.getlist(name)
    return request.POST.get(name, "")


def _save_answers(
    request: HttpRequest, assessment: Assessment, questions: list[Question]
) -> dict[int, str]:
    """Save what changed, question by question; return the refusals by question id."""
    user = request.user
    current = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    errors: dict[int, str] = {}
    for question in questions:
        value = _posted_value(request, question)
        comment = request.POST.get(f"c-{question.pk}", "").strip()
        upload = request.FILES.get(f"f-{question.pk}")
        existing = current.get(question.pk)
        try:
            parsed = (
                answer_values.parse_value(question.answer_type, question.choices, value)
                if value not in ("", [])
                else None
            )
        except answer_values.ValueRefusedError:
            parsed = object()  # a refused value: the service says why
        unchanged = (
            existing is not None and existing.value == parsed and existing.comment == comment
        )
        blank_and_new = existing is None and parsed is None and not comment
        try:
            if not (unchanged or blank_and_new):
                services.answer_save(
                    actor=user,
                    assessment=assessment,
                    question=question,
                    value=value,
                    comment=comment,
                )
            if upload is not None:
                services.evidence_add(
                    actor=user, assessment=assessment, question=question, upload=upload
                )
        except DomainError as error:
            errors[question.pk] = error.message
    return errors


@login_required
def portal_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The vendor's answer form: save as often as needed, submit when complete."""
    portal_only(request)
    user = request.user
    assessment = selectors.assessment_get(user=user, pk=pk)
    errors: dict[int, str] = {}
    if request.method == "POST":
        questions = [row.question for s in selectors.assessment_sheet(assessment) for row in s.rows]
        try:
            errors = _save_answers(request, assessment, questions)
            if not errors and request.POST.get("submit"):
                services.assessment_submit(actor=user, assessment=assessment)
                messages.success(request, "Submitted. IT security will review your answers.")
                return HttpResponseRedirect(assessment.portal_url())
        except DomainError as error:
            messages.error(request, error.message)
        if errors:
            messages.error(request, "Some answers were not saved; see the questions marked.")
        elif not request.POST.get("submit"):
            messages.success(request, "Answers saved.")
            return HttpResponseRedirect(assessment.portal_url())
        assessment = selectors.assessment_get(user=user, pk=pk)
    sheet = selectors.assessment_sheet(assessment)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "errors": errors,
        "posted": request.POST if errors else None,
        "problems": services.submit_problems(assessment) if assessment.is_open_to_vendor else [],
        "today": timezone.localdate(),
        "editable_verdicts": (Verdict.PENDING, Verdict.CLARIFICATION),
    }
    return render_page(
        request,
        "assessments/portal/assessment.html",
        context,
        status=400 if errors else 200,
    )
