"""What cards are scored from, entered by people: "My surveys" (rate 1-5 with a comment) and a
relationship's recorded measurements (list, add, archive)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from steward.core.access import Action, can_create
from steward.core.errors import DomainError
from steward.core.ui import apply_domain_error, paginate, run_form_service
from steward.core.uploads import ALLOWED_TYPES, check_upload
from steward.parties import selectors as parties_selectors
from steward.scorecards import selectors
from steward.scorecards.forms.inputs import (
    MeasurementForm,
    MeasurementImportForm,
    SurveyAnswerForm,
    recorded_measure_choices,
)
from steward.scorecards.models import Measurement

# --- my surveys --------------------------------------------------------------------------------


def surveys_context(request: HttpRequest, bound: dict[int, Any] | None = None) -> dict[str, Any]:
    responses = list(selectors.my_open_responses(user=request.user)[:200])
    bound = bound or {}
    groups = []
    for survey, rows in groupby(responses, key=lambda r: r.survey):
        groups.append(
            {
                "survey": survey,
                "items": [
                    {
                        "response": row,
                        "form": bound.get(row.pk)
                        or SurveyAnswerForm(prefix=f"r{row.pk}", initial={"comment": row.comment}),
                    }
                    for row in rows
                ],
            }
        )
    return {"title": "My surveys", "groups": groups, "count": len(responses)}


@login_required
@require_GET
def my_surveys(request: HttpRequest) -> HttpResponse:
    return render(request, "scorecards/my_surveys.html", surveys_context(request))


@login_required
@require_POST
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services.surveys import survey_answer as answer

    response = selectors.response_get(user=request.user, pk=pk)
    form = SurveyAnswerForm(request.POST, prefix=f"r{response.pk}")
    if form.is_valid():
        result = run_form_service(
            request,
            form,
            lambda: answer(
                actor=request.user,
                response=response,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            ),
            success_message="Thank you, your rating is recorded.",
            success_url=lambda _: reverse("scorecards:my-surveys"),
        )
        if result is not None:
            return result
    context = surveys_context(request, bound={response.pk: form})
    return render(request, "scorecards/my_surveys.html", context)


# --- measurements ------------------------------------------------------------------------------


def _measurements_page(request: HttpRequest, relationship: Any, form: Any = None) -> HttpResponse:
    user = request.user
    may_add = not relationship.is_archived and can_create(user, Measurement, parent=relationship)
    context = {
        "title": f"Measurements — {relationship.organization}",
        "relationship": relationship,
        "page": paginate(request, selectors.measurement_list(user=user, relationship=relationship)),
        "may_add": may_add,
        "form": form or (MeasurementForm(side=relationship.side) if may_add else None),
    }
    return render(request, "scorecards/measurements.html", context)


@login_required
def measurements(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services.measurements import measurement_record

    user = request.user
    if request.method != "POST":
        relationship = parties_selectors.relationship_get(user=user, pk=pk)
        return _measurements_page(request, relationship)
    relationship = parties_selectors.relationship_get(user=user, pk=pk, action=Action.CHANGE)
    form = MeasurementForm(request.POST, side=relationship.side)
    if form.is_valid():
        data = form.cleaned_data
        result = run_form_service(
            request,
            form,
            lambda: measurement_record(
                actor=user,
                relationship=relationship,
                measure=data["measure"],
                measured_on=data["measured_on"],
                value=data["value"],
                note=data["note"],
            ),
            success_message="Measurement recorded.",
            success_url=lambda _: reverse("scorecards:measurements", args=[relationship.pk]),
        )
        if result is not None:
            return result
    return _measurements_page(request, relationship, form)


@login_required
@require_POST
def measurement_archive(request: HttpRequest, pk: int) -> HttpResponse:
    from steward.scorecards.services.measurements import measurement_archive as archive

    measurement = selectors.measurement_get(user=request.user, pk=pk, action=Action.DELETE)
    try:
        archive(actor=request.user, measurement=measurement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Measurement archived; it no longer counts.")
    return HttpResponseRedirect(
        reverse("scorecards:measurements", args=[measurement.relationship_id])
    )


# --- measurement import ------------------------------------------------------------------------

IMPORT_TYPES = {ext: ALLOWED_TYPES[ext] for ext in (".csv", ".xlsx")}
# The example the import page shows (values per row), for the first measures of the side.
IMPORT_EXAMPLE_VALUES = (("2026-03-31", "96.5", "March, from our log"), ("2026-03-31", "0.8", ""))


@login_required
def measurement_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a CSV or XLSX file of a relationship's measurements: all rows or none."""
    from steward.scorecards.measurement_import import (
        COLUMNS,
        ImportRefused,
        measurements_import,
    )

    user = request.user
    relationship = parties_selectors.relationship_get(user=user, pk=pk, action=Action.CHANGE)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed=IMPORT_TYPES)
            result = measurements_import(
                actor=user, relationship=relationship, file=upload, filename=upload.name or ""
            )
        except ImportRefused as refused:
            form.add_error("file", refused.message)
            row_errors = refused.errors
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Imported: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return HttpResponseRedirect(reverse("scorecards:measurements", args=[relationship.pk]))
    measures = recorded_measure_choices(relationship.side)
    context = {
        "title": f"Import measurements — {relationship.organization}",
        "relationship": relationship,
        "form": form,
        "measures": measures,
        "columns": COLUMNS,
        "example": [
            (key, *values)
            for (key, _), values in zip(measures, IMPORT_EXAMPLE_VALUES, strict=False)
        ],
        "row_errors": row_errors,
    }
    return render(request, "scorecards/measurement_import.html", context)
