"""The scorecard pages: what they show, to whom, and how their forms answer bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast
from steward.scorecards.choices import AppealStatus, PeriodStatus, PlanStatus
from steward.scorecards.models import (
    ImprovementPlan,
    ImprovementTarget,
    Measurement,
    ScorecardTemplate,
    ScoreCorrection,
    SurveyResponse,
    TemplateVersion,
)
from steward.scorecards.tests.factories import (
    MeasurementFactory,
    ScoreAppealFactory,
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


def scorecard_url(cast: Cast) -> str:
    return reverse("scorecards:relationship-scorecard", args=[cast.rel_a.pk])


def criterion(card: Any, code: str) -> Any:
    return card.period.version.criteria.get(code=code)


# --- the scorecard page ------------------------------------------------------------------------


def test_owner_sees_card_with_scores_weights_and_missing_criteria(cast: Cast, world: Any) -> None:
    # given a card with delivery and the survey scored and no data on quality
    # when the owner opens the relationship's scorecard
    response = web_client(cast.owner).get(scorecard_url(cast))
    # then the overall score, the criteria and the missing one are shown
    assert response.status_code == 200
    body = response.content.decode()
    assert str(world["card_a"].score) in body
    assert "No data this period for: Defect rate" in body
    assert "On-time delivery" in body
    assert (
        reverse(
            "scorecards:card-evidence",
            args=[world["card_a"].pk, criterion(world["card_a"], "quality").pk],
        )
        in body
    )
    assert 'data-chart="scorecard-trend-data"' in body


def test_outsider_gets_404_on_scorecard_and_evidence(cast: Cast, world: Any) -> None:
    client = web_client(cast.outsider)
    card = world["card_a"]
    assert client.get(scorecard_url(cast)).status_code == 404
    evidence = reverse("scorecards:card-evidence", args=[card.pk, criterion(card, "delivery").pk])
    assert client.get(evidence).status_code == 404
    assert client.get(reverse("scorecards:card-detail", args=[card.pk])).status_code == 404


def test_card_of_another_relationship_is_not_shown_on_this_page(cast: Cast, world: Any) -> None:
    response = web_client(cast.admin).get(scorecard_url(cast), {"card": world["card_b"].pk})
    assert response.status_code == 404


def test_relationship_without_cards_says_so(cast: Cast) -> None:
    response = web_client(cast.owner).get(scorecard_url(cast))
    assert response.status_code == 200
    assert "No scorecard yet." in response.content.decode()


def test_card_detail_redirects_to_the_scorecard_page(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    response = web_client(cast.owner).get(reverse("scorecards:card-detail", args=[card.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?card={card.pk}")


# --- evidence ----------------------------------------------------------------------------------


def test_evidence_lists_the_measurements_of_the_period_only(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    MeasurementFactory(
        relationship=cast.rel_a, measured_on=dt.date(2024, 2, 1), value=Decimal("91.5")
    )
    MeasurementFactory(
        relationship=cast.rel_a, measured_on=dt.date(2024, 5, 1), value=Decimal("42")
    )
    url = reverse("scorecards:card-evidence", args=[card.pk, criterion(card, "delivery").pk])
    body = web_client(cast.owner).get(url).content.decode()
    assert "91.5" in body
    assert ">42<" not in body


def test_evidence_names_respondents_to_insiders_only(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    survey = SurveyFactory(period=world["period"], relationship=cast.rel_a)
    SurveyResponseFactory(
        survey=survey,
        criterion=criterion(card, "relationship"),
        respondent=cast.member,
        rating=3,
        comment="Slow to answer in March",
        answered_at=timezone.now(),
    )
    url = reverse("scorecards:card-evidence", args=[card.pk, criterion(card, "relationship").pk])
    body = web_client(cast.owner).get(url).content.decode()
    assert "Slow to answer in March" in body
    assert cast.member.get_full_name() in body
    # a portal user of the vendor sees the shared card's comments, not who wrote them
    card.shared_with_portal = True
    card.save()
    portal_body = web_client(cast.portal_a).get(url)
    assert portal_body.status_code == 200
    text = portal_body.content.decode()
    assert "Slow to answer in March" in text
    assert cast.member.get_full_name() not in text


def test_evidence_of_a_criterion_of_another_version_is_404(cast: Cast, world: Any) -> None:
    other = period_with_criteria()
    foreign = other.version.criteria.first()
    url = reverse("scorecards:card-evidence", args=[world["card_a"].pk, foreign.pk])
    assert web_client(cast.owner).get(url).status_code == 404


# --- actions on a card -------------------------------------------------------------------------


def test_correction_with_a_score_above_100_names_the_field(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    url = reverse("scorecards:card-correct", args=[card.pk])
    response = web_client(cast.owner).post(
        url,
        {"criterion": criterion(card, "delivery").pk, "to_score": "150", "reason": "x"},
    )
    assert response.status_code == 200
    assert 'id="id_to_score_error"' in response.content.decode()
    assert not ScoreCorrection.objects.exists()


def test_correction_without_reason_names_the_field(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    response = web_client(cast.owner).post(
        reverse("scorecards:card-correct", args=[card.pk]),
        {"criterion": criterion(card, "delivery").pk, "to_score": "90", "reason": ""},
    )
    assert 'id="id_reason_error"' in response.content.decode()
    assert not ScoreCorrection.objects.exists()


def test_owner_corrects_a_criterion_and_the_card_changes(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    before = card.score
    response = web_client(cast.owner).post(
        reverse("scorecards:card-correct", args=[card.pk]),
        {
            "criterion": criterion(card, "delivery").pk,
            "to_score": "100",
            "reason": "Late deliveries were our forecast change",
        },
    )
    assert response.status_code == 302
    correction = ScoreCorrection.objects.get(card=card)
    assert correction.card_from == before
    card.refresh_from_db()
    assert card.corrected
    assert card.score > before


def test_read_only_reviewer_may_not_correct_share_or_answer(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    client = web_client(cast.reviewer)
    assert client.get(scorecard_url(cast)).status_code == 200
    correct = client.post(
        reverse("scorecards:card-correct", args=[card.pk]),
        {"criterion": criterion(card, "delivery").pk, "to_score": "90", "reason": "x"},
    )
    assert correct.status_code == 403
    assert (
        client.post(reverse("scorecards:card-share", args=[card.pk]), {"shared": "on"}).status_code
        == 403
    )
    appeal = ScoreAppealFactory(card=card, raised_by=cast.portal_a)
    answer = client.post(reverse("scorecards:appeal-answer", args=[appeal.pk]), {"answer": "no"})
    assert answer.status_code == 403
    card.refresh_from_db()
    assert not card.shared_with_portal
    assert not ScoreCorrection.objects.exists()


def test_owner_shares_and_unshares_the_card(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    client = web_client(cast.owner)
    assert (
        client.post(reverse("scorecards:card-share", args=[card.pk]), {"shared": "on"}).status_code
        == 302
    )
    card.refresh_from_db()
    assert card.shared_with_portal
    client.post(reverse("scorecards:card-share", args=[card.pk]), {})
    card.refresh_from_db()
    assert not card.shared_with_portal


def test_appeal_answer_needs_an_answer(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    appeal = ScoreAppealFactory(card=card, raised_by=cast.portal_a)
    client = web_client(cast.owner)
    bad = client.post(reverse("scorecards:appeal-answer", args=[appeal.pk]), {"answer": ""})
    assert bad.status_code == 200
    assert 'id="id_answer_error"' in bad.content.decode()
    good = client.post(
        reverse("scorecards:appeal-answer", args=[appeal.pk]), {"answer": "We checked; it stays."}
    )
    assert good.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWERED


def test_member_raises_a_comment(cast: Cast, world: Any) -> None:
    card = world["card_a"]
    client = web_client(cast.member)
    bad = client.post(
        reverse("scorecards:appeal-raise", args=[card.pk]), {"kind": "comment", "body": ""}
    )
    assert 'id="id_body_error"' in bad.content.decode()
    good = client.post(
        reverse("scorecards:appeal-raise", args=[card.pk]),
        {"kind": "comment", "body": "Quality had no data: the QA feed broke."},
    )
    assert good.status_code == 302
    assert card.appeals.count() == 1


# --- improvement plans -------------------------------------------------------------------------


def test_owner_starts_a_plan_and_adds_a_target(cast: Cast, world: Any) -> None:
    client = web_client(cast.owner)
    bad = client.post(
        reverse("scorecards:plan-create", args=[cast.rel_a.pk]),
        {"title": "", "due_on": "2024-09-30"},
    )
    assert 'id="id_title_error"' in bad.content.decode()
    assert not ImprovementPlan.objects.exists()
    created = client.post(
        reverse("scorecards:plan-create", args=[cast.rel_a.pk]),
        {"title": "Back to good", "due_on": "2030-09-30"},
    )
    assert created.status_code == 302
    plan = ImprovementPlan.objects.get()
    too_high = client.post(
        reverse("scorecards:target-add", args=[plan.pk]),
        {"label": "Overall", "target_score": "200", "due_on": "2030-09-30"},
    )
    assert 'id="id_target_score_error"' in too_high.content.decode()
    assert not ImprovementTarget.objects.exists()
    added = client.post(
        reverse("scorecards:target-add", args=[plan.pk]),
        {
            "criterion_code": "delivery",
            "label": "Delivery",
            "target_score": "80",
            "due_on": "2030-09-30",
        },
    )
    assert added.status_code == 302
    target = ImprovementTarget.objects.get()
    assert client.post(reverse("scorecards:target-met", args=[target.pk]), {}).status_code == 302
    target.refresh_from_db()
    assert target.met_on == timezone.localdate()
    page = client.get(scorecard_url(cast)).content.decode()
    assert "Back to good" in page


def test_reviewer_may_not_start_a_plan(cast: Cast, world: Any) -> None:
    response = web_client(cast.reviewer).post(
        reverse("scorecards:plan-create", args=[cast.rel_a.pk]),
        {"title": "Mine", "due_on": "2030-09-30"},
    )
    assert response.status_code == 403
    assert not ImprovementPlan.objects.exists()


def test_plan_close_without_targets_met_needs_a_reason(cast: Cast, world: Any) -> None:
    from steward.scorecards.tests.factories import ImprovementPlanFactory

    plan = ImprovementPlanFactory(relationship=cast.rel_a, due_on=dt.date(2030, 1, 1))
    url = reverse("scorecards:plan-close", args=[plan.pk])
    client = web_client(cast.owner)
    refused = client.post(url, {"status": "closed", "version": plan.version})
    assert refused.status_code == 200
    assert 'id="id_reason_error"' in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.OPEN
    closed = client.post(
        url, {"status": "closed", "reason": "Vendor exited", "version": plan.version}
    )
    assert closed.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


# --- heat map and ranking ----------------------------------------------------------------------


def test_heat_map_shows_only_visible_relationships(cast: Cast, world: Any) -> None:
    url = reverse("scorecards:heatmap")
    response = web_client(cast.owner).get(url, {"period": world["period"].pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aurora Metals" in body
    assert "Borealis Logistics" not in body
    admin = (
        web_client(cast.admin).get(url, {"template": world["period"].template_id}).content.decode()
    )
    assert "Aurora Metals" in admin
    assert "Borealis Logistics" in admin


def test_heat_map_filters_by_standing(cast: Cast, world: Any) -> None:
    wanted = world["card_b"].standing
    response = web_client(cast.admin).get(
        reverse("scorecards:heatmap"), {"period": world["period"].pk, "standing": wanted}
    )
    body = response.content.decode()
    assert "Borealis Logistics" in body
    if world["card_a"].standing != wanted:
        assert "Aurora Metals" not in body


def test_heat_map_exports_csv(cast: Cast, world: Any) -> None:
    response = web_client(cast.owner).get(
        reverse("scorecards:heatmap"), {"period": world["period"].pk, "export": "csv"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "On-time delivery" in text
    assert "Aurora Metals" in text
    assert "Borealis Logistics" not in text


def test_heat_map_xlsx_export(cast: Cast, world: Any) -> None:
    response = web_client(cast.admin).get(
        reverse("scorecards:heatmap"), {"period": world["period"].pk, "export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_heat_map_unknown_period_is_404(cast: Cast, world: Any) -> None:
    response = web_client(cast.owner).get(reverse("scorecards:heatmap"), {"period": "999999"})
    assert response.status_code == 404


def test_ranking_orders_by_score(cast: Cast, world: Any) -> None:
    response = web_client(cast.admin).get(
        reverse("scorecards:ranking"), {"period": world["period"].pk}
    )
    body = response.content.decode()
    assert body.index("Borealis Logistics") < body.index("Aurora Metals")


# --- templates and periods ---------------------------------------------------------------------


def criteria_post(rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{index}-{key}"] = value
    return data


def row(code: str, weight: int, rule: str = '{"floor": "80", "target": "100"}') -> dict[str, Any]:
    return {
        "code": code,
        "name": code.title(),
        "category": "delivery",
        "weight": str(weight),
        "measure": "on_time_delivery_pct",
        "rule_kind": "linear",
        "rule": rule,
    }


def test_templates_list_for_everyone_inside_create_for_admins(cast: Cast, world: Any) -> None:
    owner = web_client(cast.owner)
    listing = owner.get(reverse("scorecards:template-list"))
    assert listing.status_code == 200
    assert world["period"].template.name in listing.content.decode()
    assert "New template" not in listing.content.decode()
    assert owner.get(reverse("scorecards:template-create")).status_code == 403
    detail = owner.get(reverse("scorecards:template-detail", args=[world["period"].template_id]))
    assert detail.status_code == 200
    assert "New version" not in detail.content.decode()
    assert (
        owner.get(
            reverse("scorecards:version-create", args=[world["period"].template_id])
        ).status_code
        == 403
    )


def test_admin_creates_a_template(cast: Cast) -> None:
    data = criteria_post(
        [row("delivery", 60), row("speed", 40)],
        name="Logistics scorecard",
        side="supply",
        period_kind="quarterly",
    )
    response = web_client(cast.admin).post(reverse("scorecards:template-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ScorecardTemplate.objects.get(name="Logistics scorecard")
    assert template.versions.get().criteria.count() == 2


def test_template_weights_not_summing_to_100_are_refused(cast: Cast) -> None:
    data = criteria_post(
        [row("delivery", 60), row("speed", 30)], name="Bad", side="supply", period_kind="quarterly"
    )
    response = web_client(cast.admin).post(reverse("scorecards:template-create"), data)
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not ScorecardTemplate.objects.filter(name="Bad").exists()


def test_new_version_bad_rule_names_the_row(cast: Cast, world: Any) -> None:
    template = world["period"].template
    data = criteria_post(
        [row("delivery", 60), row("speed", 40, rule='{"floor": "100", "target": "80"}')],
        note="Speed counts now",
    )
    response = web_client(cast.admin).post(
        reverse("scorecards:version-create", args=[template.pk]), data
    )
    assert response.status_code == 200
    assert "Criterion 2" in response.content.decode()
    assert TemplateVersion.objects.filter(template=template).count() == 1
    not_json = criteria_post([row("delivery", 100, rule="{floor")], note="x")
    response = web_client(cast.admin).post(
        reverse("scorecards:version-create", args=[template.pk]), not_json
    )
    assert "Row 1, rule: The rule is not valid JSON" in response.content.decode()


def test_new_version_is_saved(cast: Cast, world: Any) -> None:
    template = world["period"].template
    data = criteria_post([row("delivery", 100)], note="Delivery only")
    response = web_client(cast.admin).post(
        reverse("scorecards:version-create", args=[template.pk]), data
    )
    assert response.status_code == 302
    assert TemplateVersion.objects.filter(template=template).count() == 2


def standings_post(rows: list[tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "standings-TOTAL_FORMS": str(len(rows)),
        "standings-INITIAL_FORMS": "0",
        "standings-MIN_NUM_FORMS": "1",
        "standings-MAX_NUM_FORMS": "1000",
    }
    for index, (name, lower) in enumerate(rows):
        data[f"standings-{index}-name"] = name
        data[f"standings-{index}-lower"] = lower
    return data


def test_standings_that_do_not_start_at_zero_are_refused(cast: Cast, world: Any) -> None:
    template = world["period"].template
    before = template.standings
    response = web_client(cast.admin).post(
        reverse("scorecards:standings-edit", args=[template.pk]),
        standings_post([("low", "10"), ("high", "60")]),
    )
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    template.refresh_from_db()
    assert template.standings == before


def test_standings_saved(cast: Cast, world: Any) -> None:
    template = world["period"].template
    response = web_client(cast.admin).post(
        reverse("scorecards:standings-edit", args=[template.pk]),
        standings_post([("low", "0"), ("high", "60")]),
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert [r["name"] for r in template.standings] == ["low", "high"]


def test_what_if_compares_recorded_and_new_scores(cast: Cast, world: Any) -> None:
    template = world["period"].template
    version = template.versions.get()
    response = web_client(cast.admin).get(
        reverse("scorecards:what-if", args=[template.pk]),
        {"version": version.pk, "periods": [world["period"].pk]},
    )
    assert response.status_code == 200
    assert 'data-testid="what-if"' in response.content.decode()


def test_period_pages_and_close(cast: Cast) -> None:
    period = period_with_criteria(template={"is_default": True})
    scored_card(period=period, relationship=cast.rel_a, scores={"delivery": Decimal(50)})
    owner = web_client(cast.owner)
    listing = owner.get(reverse("scorecards:period-list"), {"template": period.template_id})
    assert period.label in listing.content.decode()
    detail = owner.get(reverse("scorecards:period-detail", args=[period.pk]), {"q": "Aurora"})
    assert "Aurora Metals" in detail.content.decode()
    assert "Close period now" not in detail.content.decode()
    assert owner.post(reverse("scorecards:period-close", args=[period.pk])).status_code == 403
    admin = web_client(cast.admin)
    assert (
        "Close period now"
        in admin.get(reverse("scorecards:period-detail", args=[period.pk])).content.decode()
    )
    assert admin.post(reverse("scorecards:period-close", args=[period.pk])).status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


# --- surveys and measurements ------------------------------------------------------------------


def test_my_surveys_answer(cast: Cast) -> None:
    period = period_with_criteria()
    survey = SurveyFactory(period=period, relationship=cast.rel_a)
    response_row = SurveyResponseFactory(survey=survey, respondent=cast.member)
    client = web_client(cast.member)
    page = client.get(reverse("scorecards:my-surveys"))
    assert "Aurora Metals" in page.content.decode()
    url = reverse("scorecards:survey-answer", args=[response_row.pk])
    bad = client.post(url, {f"r{response_row.pk}-rating": "7"})
    assert f'id="id_r{response_row.pk}-rating_error"' in bad.content.decode()
    good = client.post(
        url, {f"r{response_row.pk}-rating": "4", f"r{response_row.pk}-comment": "Fine"}
    )
    assert good.status_code == 302
    response_row.refresh_from_db()
    assert response_row.rating == 4
    assert response_row.comment == "Fine"
    # someone else's response is not there for them
    assert web_client(cast.owner).post(url, {f"r{response_row.pk}-rating": "1"}).status_code == 404
    assert SurveyResponse.objects.get(pk=response_row.pk).rating == 4


def test_measurements_add_refuse_and_archive(cast: Cast) -> None:
    url = reverse("scorecards:measurements", args=[cast.rel_a.pk])
    client = web_client(cast.owner)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"measure": "", "measured_on": "2024-02-01", "value": "97"})
    assert 'id="id_measure_error"' in bad.content.decode()
    not_number = client.post(
        url, {"measure": "on_time_delivery_pct", "measured_on": "2024-02-01", "value": "many"}
    )
    assert 'id="id_value_error"' in not_number.content.decode()
    assert not Measurement.objects.exists()
    good = client.post(
        url, {"measure": "on_time_delivery_pct", "measured_on": "2024-02-01", "value": "97"}
    )
    assert good.status_code == 302
    twice = client.post(
        url, {"measure": "on_time_delivery_pct", "measured_on": "2024-02-01", "value": "98"}
    )
    assert 'id="id_measured_on_error"' in twice.content.decode()
    measurement = Measurement.objects.get()
    archive = client.post(reverse("scorecards:measurement-archive", args=[measurement.pk]))
    assert archive.status_code == 302
    measurement.refresh_from_db()
    assert measurement.archived_at is not None


def test_measurements_outsider_404_reviewer_403(cast: Cast) -> None:
    url = reverse("scorecards:measurements", args=[cast.rel_a.pk])
    assert web_client(cast.outsider).get(url).status_code == 404
    reviewer = web_client(cast.reviewer)
    assert reviewer.get(url).status_code == 200
    posted = reviewer.post(
        url, {"measure": "on_time_delivery_pct", "measured_on": "2024-02-01", "value": "97"}
    )
    assert posted.status_code == 403
    assert not Measurement.objects.exists()


def test_a_portal_user_sees_a_shared_card_and_appeals_it_on_the_card_page(cast: Cast) -> None:
    from steward.scorecards.models import ScoreAppeal
    from steward.scorecards.tests.factories import period_with_criteria, scored_card

    card = scored_card(
        period=period_with_criteria(closed=True),
        relationship=cast.rel_a,
        scores={"delivery": Decimal(40), "quality": Decimal(50)},
        shared_with_portal=True,
    )
    url = reverse("scorecards:card-detail", args=[card.pk])
    client = web_client(cast.portal_a)

    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert str(card.score) in text
    assert "Improvement plans" not in text
    assert reverse("scorecards:measurements", args=[cast.rel_a.pk]) not in text
    answered = client.post(
        reverse("scorecards:appeal-raise", args=[card.pk]),
        {"kind": "appeal", "body": "Two late deliveries were our carrier's strike."},
    )
    assert answered.status_code == 302
    assert answered["Location"] == url
    assert ScoreAppeal.objects.filter(card=card, raised_by=cast.portal_a).exists()
    # Another vendor's portal user, and an unshared card, stay out of sight
    assert web_client(cast.portal_b).get(url).status_code == 404
    card.shared_with_portal = False
    card.save(update_fields=["shared_with_portal"])
    assert client.get(url).status_code == 404
