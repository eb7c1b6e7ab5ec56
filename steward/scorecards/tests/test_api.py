"""The scorecard API: reads scoped by the policy, writes through the services, errors named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.core.testing import api_client, api_errors, result_ids
from steward.parties.tests.cast import Cast
from steward.scorecards.choices import AppealStatus, PeriodStatus, PlanStatus
from steward.scorecards.models import (
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScoreAppeal,
    ScorecardTemplate,
    ScoreCorrection,
    TemplateVersion,
)
from steward.scorecards.tests.factories import (
    ImprovementPlanFactory,
    MeasurementFactory,
    SurveyFactory,
    SurveyResponseFactory,
    period_with_criteria,
    scored_card,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    period = period_with_criteria(template={"is_default": True}, closed=True)
    card_a = scored_card(
        period=period,
        relationship=cast.rel_a,
        scores={"delivery": Decimal(80), "relationship": Decimal(60)},
    )
    card_b = scored_card(period=period, relationship=cast.rel_b, scores={"delivery": Decimal(95)})
    return {"period": period, "card_a": card_a, "card_b": card_b}


def criterion(card: Any, code: str) -> Any:
    return card.period.version.criteria.get(code=code)


# --- cards -------------------------------------------------------------------------------------


def test_cards_list_is_scoped_and_filterable(cast: Cast, world: Any) -> None:
    url = reverse("scorecard-list")
    assert result_ids(api_client(cast.owner).get(url)) == [world["card_a"].pk]
    assert result_ids(api_client(cast.outsider).get(url)) == [world["card_b"].pk]
    admin = api_client(cast.admin)
    assert set(result_ids(admin.get(url))) == {world["card_a"].pk, world["card_b"].pk}
    by_rel = admin.get(url, {"relationship": cast.rel_b.pk})
    assert result_ids(by_rel) == [world["card_b"].pk]
    standing = admin.get(url, {"standing": world["card_a"].standing})
    assert world["card_a"].pk in result_ids(standing)


def test_card_detail_has_criteria_and_missing(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    body = api_client(cast.owner).get(reverse("scorecard-detail", args=[card.pk])).json()
    assert body["missing"] == ["quality"]
    assert Decimal(body["score"]) == card.score
    scored = {row["code"]: row["score"] for row in body["criteria"]}
    assert scored["quality"] is None
    assert Decimal(scored["delivery"]) == Decimal(80)


def test_outsider_gets_404_on_card_and_its_actions(cast: Cast, world: Any) -> None:
    client = api_client(cast.outsider)
    card = world["card_a"]
    assert client.get(reverse("scorecard-detail", args=[card.pk])).status_code == 404
    shared = client.post(
        reverse("scorecard-share", args=[card.pk]), {"shared": True}, format="json"
    )
    assert shared.status_code == 404
    card.refresh_from_db()
    assert not card.shared_with_portal


def test_portal_user_sees_only_shared_cards_of_their_organization(cast: Cast, world: Any) -> None:
    url = reverse("scorecard-list")
    assert result_ids(api_client(cast.portal_a).get(url)) == []
    api_client(cast.owner).post(
        reverse("scorecard-share", args=[world["card_a"].pk]), {"shared": True}, format="json"
    )
    assert result_ids(api_client(cast.portal_a).get(url)) == [world["card_a"].pk]
    assert result_ids(api_client(cast.portal_b).get(url)) == []


def test_read_only_reviewer_gets_403_on_share_and_correct(cast: Cast, world: Any) -> None:
    client = api_client(cast.reviewer)
    card = world["card_a"]
    assert client.get(reverse("scorecard-detail", args=[card.pk])).status_code == 200
    assert (
        client.post(
            reverse("scorecard-share", args=[card.pk]), {"shared": True}, format="json"
        ).status_code
        == 403
    )
    corrected = client.post(
        reverse("scorecard-correct", args=[card.pk]),
        {"criterion": criterion(card, "delivery").pk, "to_score": "90", "reason": "x"},
        format="json",
    )
    assert corrected.status_code == 403
    assert not ScoreCorrection.objects.exists()


def test_correct_bad_score_400_names_the_field(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    response = api_client(cast.owner).post(
        reverse("scorecard-correct", args=[card.pk]),
        {"criterion": criterion(card, "delivery").pk, "to_score": "101", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert [attr for attr, _ in api_errors(response)] == ["to_score"]
    assert not ScoreCorrection.objects.exists()


def test_correct_criterion_of_another_template_400(cast: Cast, world: Any) -> None:
    foreign = period_with_criteria().version.criteria.first()
    response = api_client(cast.owner).post(
        reverse("scorecard-correct", args=[world["card_a"].pk]),
        {"criterion": foreign.pk, "to_score": "90", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert api_errors(response) == [("criterion", "invalid")]


def test_correct_records_and_lists_the_correction(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    client = api_client(cast.owner)
    response = client.post(
        reverse("scorecard-correct", args=[card.pk]),
        {"criterion": criterion(card, "delivery").pk, "to_score": "100", "reason": "Forecast"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["card_from"]) == card.score
    listed = client.get(reverse("score-correction-list"), {"card": card.pk})
    assert result_ids(listed) == [response.json()["id"]]
    assert result_ids(api_client(cast.outsider).get(reverse("score-correction-list"))) == []


def test_criterion_scores_are_scoped(cast: Cast, world: Any) -> None:
    url = reverse("criterion-score-list")
    owner_ids = result_ids(api_client(cast.owner).get(url))
    assert owner_ids
    assert set(owner_ids) == set(world["card_a"].criteria.values_list("pk", flat=True))


# --- templates and periods ---------------------------------------------------------------------


def criteria(*weights: int) -> list[dict[str, Any]]:
    return [
        {
            "code": f"c{index}",
            "name": f"Criterion {index}",
            "category": "delivery",
            "weight": weight,
            "measure": "on_time_delivery_pct",
            "rule_kind": "linear",
            "rule": {"floor": "80", "target": "100"},
        }
        for index, weight in enumerate(weights)
    ]


def test_templates_read_by_insiders_written_by_admins(cast: Cast, world: Any) -> None:
    url = reverse("scorecard-template-list")
    template = world["period"].template
    assert template.pk in result_ids(api_client(cast.member).get(url))
    body = {
        "name": "New one",
        "side": "supply",
        "period_kind": "quarterly",
        "criteria": criteria(100),
    }
    assert api_client(cast.owner).post(url, body, format="json").status_code == 403
    assert not ScorecardTemplate.objects.filter(name="New one").exists()
    created = api_client(cast.admin).post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["versions"][0]["number"] == 1
    assert api_client(cast.portal_a).get(url).json()["results"] == []


def test_template_weights_400_name_criteria(cast: Cast) -> None:
    response = api_client(cast.admin).post(
        reverse("scorecard-template-list"),
        {"name": "Bad", "side": "supply", "period_kind": "quarterly", "criteria": criteria(50, 40)},
        format="json",
    )
    assert response.status_code == 400
    assert [attr for attr, _ in api_errors(response)] == ["criteria"]
    assert not ScorecardTemplate.objects.filter(name="Bad").exists()


def test_template_version_and_standings_actions(cast: Cast, world: Any) -> None:
    template = world["period"].template
    client = api_client(cast.admin)
    bad = client.post(
        reverse("scorecard-template-versions", args=[template.pk]),
        {
            "criteria": [*criteria(60), {**criteria(40)[0], "code": "c9", "rule": {"floor": "x"}}],
            "note": "n",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert api_errors(bad)[0][0] == "criteria"
    assert "Criterion 2" in bad.json()["errors"][0]["detail"]
    made = client.post(
        reverse("scorecard-template-versions", args=[template.pk]),
        {"criteria": criteria(100), "note": "one criterion"},
        format="json",
    )
    assert made.status_code == 201
    assert TemplateVersion.objects.filter(template=template).count() == 2
    gap = client.post(
        reverse("scorecard-template-standings", args=[template.pk]),
        {"rows": [{"name": "low", "lower": "5"}, {"name": "high", "lower": "50"}]},
        format="json",
    )
    assert gap.status_code == 400
    assert api_errors(gap)[0][0].startswith("standings")
    member = api_client(cast.member).post(
        reverse("scorecard-template-standings", args=[template.pk]),
        {"rows": [{"name": "all", "lower": "0"}]},
        format="json",
    )
    assert member.status_code == 403


def test_period_close_admin_only(cast: Cast) -> None:
    period = period_with_criteria(template={"is_default": True})
    url = reverse("scorecard-period-close", args=[period.pk])
    assert (
        api_client(cast.owner).get(reverse("scorecard-period-detail", args=[period.pk])).status_code
        == 200
    )
    assert api_client(cast.owner).post(url, {}, format="json").status_code == 403
    assert api_client(cast.portal_a).post(url, {}, format="json").status_code == 404
    closed = api_client(cast.admin).post(url, {}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == PeriodStatus.CLOSED


# --- measurements ------------------------------------------------------------------------------


def test_measurement_crud(cast: Cast) -> None:
    client = api_client(cast.owner)
    url = reverse("measurement-list")
    body = {
        "relationship": cast.rel_a.pk,
        "measure": "on_time_delivery_pct",
        "measured_on": "2024-02-01",
        "value": "97.5",
    }
    created = client.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["source"] == "api"
    duplicate = client.post(url, body, format="json")
    assert duplicate.status_code == 400
    assert api_errors(duplicate) == [("measured_on", "duplicate")]
    record = created.json()
    patched = client.patch(
        reverse("measurement-detail", args=[record["id"]]),
        {"value": "98", "version": record["version"]},
        format="json",
    )
    assert patched.status_code == 200
    assert Decimal(patched.json()["value"]) == Decimal(98)
    assert client.delete(reverse("measurement-detail", args=[record["id"]])).status_code == 204
    assert Measurement.objects.get().archived_at is not None


def test_measurement_bad_measure_400_nothing_written(cast: Cast) -> None:
    response = api_client(cast.owner).post(
        reverse("measurement-list"),
        {
            "relationship": cast.rel_a.pk,
            "measure": "survey",
            "measured_on": "2024-02-01",
            "value": "3",
        },
        format="json",
    )
    assert response.status_code == 400
    assert api_errors(response) == [("measure", "invalid")]
    assert not Measurement.objects.exists()


def test_measurement_scoping(cast: Cast) -> None:
    mine = MeasurementFactory(relationship=cast.rel_a)
    MeasurementFactory(relationship=cast.rel_b)
    assert result_ids(api_client(cast.owner).get(reverse("measurement-list"))) == [mine.pk]
    assert (
        api_client(cast.outsider).get(reverse("measurement-detail", args=[mine.pk])).status_code
        == 404
    )
    hidden = api_client(cast.outsider).post(
        reverse("measurement-list"),
        {
            "relationship": cast.rel_a.pk,
            "measure": "on_time_delivery_pct",
            "measured_on": "2024-03-01",
            "value": "1",
        },
        format="json",
    )
    assert hidden.status_code == 400
    assert [attr for attr, _ in api_errors(hidden)] == ["relationship"]
    reviewer = api_client(cast.reviewer).patch(
        reverse("measurement-detail", args=[mine.pk]),
        {"value": "1", "version": mine.version},
        format="json",
    )
    assert reviewer.status_code == 403


# --- surveys -----------------------------------------------------------------------------------


def test_survey_responses_mine_only_and_answer(cast: Cast) -> None:
    period = period_with_criteria()
    survey = SurveyFactory(period=period, relationship=cast.rel_a)
    mine = SurveyResponseFactory(survey=survey, respondent=cast.member)
    SurveyResponseFactory(survey=survey, respondent=cast.owner, criterion=mine.criterion)
    client = api_client(cast.member)
    assert result_ids(client.get(reverse("survey-response-list"))) == [mine.pk]
    url = reverse("survey-response-answer", args=[mine.pk])
    bad = client.post(url, {"rating": 9}, format="json")
    assert bad.status_code == 400
    assert [attr for attr, _ in api_errors(bad)] == ["rating"]
    good = client.post(url, {"rating": 2, "comment": "Late"}, format="json")
    assert good.status_code == 200
    assert good.json()["rating"] == 2
    other = api_client(cast.owner).post(url, {"rating": 5}, format="json")
    assert other.status_code == 404
    mine.refresh_from_db()
    assert mine.rating == 2


# --- improvement plans and targets -------------------------------------------------------------


def test_plan_create_update_close(cast: Cast, world: Any) -> None:
    client = api_client(cast.owner)
    url = reverse("improvement-plan-list")
    created = client.post(
        url,
        {"relationship": cast.rel_a.pk, "title": "Recover", "due_on": "2030-06-30"},
        format="json",
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    again = client.post(
        url,
        {"relationship": cast.rel_a.pk, "title": "Second", "due_on": "2030-06-30"},
        format="json",
    )
    assert again.status_code == 400
    assert api_errors(again) == [("relationship", "plan_open")]
    target = client.post(
        reverse("improvement-target-list"),
        {"plan": plan["id"], "label": "Overall", "target_score": "70", "due_on": "2030-06-30"},
        format="json",
    )
    assert target.status_code == 201, target.content
    met = client.post(
        reverse("improvement-target-met", args=[target.json()["id"]]), {}, format="json"
    )
    assert met.status_code == 200
    assert met.json()["met_on"] == timezone.localdate().isoformat()
    closed = client.post(
        reverse("improvement-plan-close", args=[plan["id"]]), {"status": "met"}, format="json"
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == PlanStatus.MET
    assert (
        api_client(cast.outsider)
        .get(reverse("improvement-plan-detail", args=[plan["id"]]))
        .status_code
        == 404
    )


def test_plan_close_unmet_without_reason_400(cast: Cast) -> None:
    plan = ImprovementPlanFactory(relationship=cast.rel_a, due_on=dt.date(2030, 1, 1))
    response = api_client(cast.owner).post(
        reverse("improvement-plan-close", args=[plan.pk]), {"status": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert api_errors(response) == [("reason", "required")]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.OPEN


def test_target_score_out_of_range_400(cast: Cast) -> None:
    plan = ImprovementPlanFactory(relationship=cast.rel_a, due_on=dt.date(2030, 1, 1))
    response = api_client(cast.owner).post(
        reverse("improvement-target-list"),
        {"plan": plan.pk, "label": "Overall", "target_score": "150"},
        format="json",
    )
    assert response.status_code == 400
    assert [attr for attr, _ in api_errors(response)] == ["target_score"]
    assert not ImprovementTarget.objects.exists()


def test_reviewer_may_not_create_plan(cast: Cast) -> None:
    response = api_client(cast.reviewer).post(
        reverse("improvement-plan-list"),
        {"relationship": cast.rel_a.pk, "title": "No", "due_on": "2030-06-30"},
        format="json",
    )
    assert response.status_code == 403
    assert not ImprovementPlan.objects.exists()


# --- appeals -----------------------------------------------------------------------------------


def test_portal_user_appeals_a_shared_card_and_owner_answers(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    url = reverse("score-appeal-list")
    body = {"card": card.pk, "kind": "appeal", "body": "February was your forecast change."}
    refused = api_client(cast.portal_a).post(url, body, format="json")
    assert refused.status_code == 400  # the card is not shared, so it is not there for them
    assert not ScoreAppeal.objects.exists()
    card.shared_with_portal = True
    card.save()
    raised = api_client(cast.portal_a).post(url, body, format="json")
    assert raised.status_code == 201, raised.content
    assert api_client(cast.portal_b).post(url, body, format="json").status_code == 400
    appeal_id = raised.json()["id"]
    answer_url = reverse("score-appeal-answer", args=[appeal_id])
    empty = api_client(cast.owner).post(answer_url, {"answer": ""}, format="json")
    assert empty.status_code == 400
    assert [attr for attr, _ in api_errors(empty)] == ["answer"]
    assert (
        api_client(cast.reviewer).post(answer_url, {"answer": "no"}, format="json").status_code
        == 403
    )
    answered = api_client(cast.owner).post(
        answer_url, {"answer": "Checked; it stays."}, format="json"
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == AppealStatus.ANSWERED
    assert result_ids(api_client(cast.outsider).get(url)) == []
