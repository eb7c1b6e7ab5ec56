"""Templates through their services: criteria validated with errors that name the row and field,
versions that apply from the next period, standings, the shipped defaults, and who may change
them."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from steward.core.errors import DomainError
from steward.parties.tests.factories import RelationshipFactory
from steward.scorecards.models import ScorecardCriterion, ScorecardTemplate, TemplateVersion
from steward.scorecards.scoring import Bands, Direction, Formula, Linear
from steward.scorecards.services.periods import period_open
from steward.scorecards.services.templates import (
    next_period_start,
    rule_of,
    standings_of,
    template_standings_set,
    template_update,
    template_version_create,
    templates_ensure_defaults,
    version_in_force,
)
from steward.scorecards.standings import Consequence, default_standings
from steward.scorecards.tests.engine_world import CRITERIA, admin_user, make_template

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def admin() -> Any:
    return admin_user()


def criteria(**changes: Any) -> list[dict[str, Any]]:
    """The standard criteria with ``changes`` applied to rows: ``{"1.weight": 20}``."""
    rows = copy.deepcopy(CRITERIA)
    for path, value in changes.items():
        index, _, name = path.partition("__")
        rows[int(index.removeprefix("row"))][name] = value
    return rows


def refused(admin: Any, rows: list[dict[str, Any]], **fields: Any) -> DomainError:
    with pytest.raises(DomainError) as error:
        make_template(admin, criteria=rows, **fields)
    assert not ScorecardTemplate.objects.exists()  # nothing partial is written
    return error.value


# --- creating ------------------------------------------------------------------------------------


def test_a_template_is_created_with_version_1_and_the_default_standings(admin: Any) -> None:
    template = make_template(admin)
    version = template.versions.get()
    assert (version.number, version.effective_from, version.created_by) == (
        1,
        dt.date(2000, 1, 1),
        admin,
    )
    rows = list(version.criteria.order_by("position"))
    assert [(c.code, c.weight, c.position) for c in rows] == [
        ("delivery", 40, 0),
        ("quality", 30, 1),
        ("relationship", 30, 2),
    ]
    # Rules are stored with numbers as text and the measure's direction written out
    assert rows[1].rule == {"floor": "5", "target": "0", "direction": "lower_is_better"}
    assert standings_of(template) == default_standings()
    assert template.history.count() == 1


def test_weights_must_sum_to_100(admin: Any) -> None:
    error = refused(admin, criteria(row0__weight=30))
    assert error.field == "criteria"
    assert error.code == "weights_total"
    assert "90" in error.message


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"row1__code": "delivery"}, "criteria[1].code", "duplicate"),
        ({"row1__code": "Not a slug"}, "criteria[1].code", "invalid"),
        ({"row0__name": " "}, "criteria[0].name", "invalid"),
        ({"row0__category": "nonsense"}, "criteria[0].category", "invalid"),
        ({"row0__weight": 0}, "criteria[0].weight", "invalid"),
        ({"row0__weight": "ten"}, "criteria[0].weight", "invalid"),
        ({"row2__measure": "telepathy"}, "criteria[2].measure", "measure_unknown"),
        ({"row2__measure": "csat"}, "criteria[2].measure", "measure_side"),
        ({"row0__rule_kind": "magic"}, "criteria[0].rule_kind", "invalid"),
        ({"row0__rule": {"floor": "100", "target": "80"}}, "criteria[0].rule", "rule_invalid"),
        ({"row0__rule": {"floor": "x", "target": "80"}}, "criteria[0].rule", "rule_invalid"),
        ({"row0__rule": {"target": "80"}}, "criteria[0].rule", "rule_invalid"),
        (
            {"row1__rule": {"floor": "5", "target": "0", "direction": "higher_is_better"}},
            "criteria[1].rule",
            "rule_invalid",
        ),
        (
            {"row0__rule_kind": "bands", "row0__rule": {"bands": [["95", "100"], ["90", "50"]]}},
            "criteria[0].rule",
            "rule_invalid",
        ),
        (
            {"row0__rule_kind": "bands", "row0__rule": {"bands": []}},
            "criteria[0].rule",
            "rule_invalid",
        ),
    ],
)
def test_a_bad_criterion_is_refused_naming_its_row_and_field(
    admin: Any, changes: dict[str, Any], field: str, code: str
) -> None:
    error = refused(admin, criteria(**changes))
    assert (error.field, error.code) == (field, code)


@pytest.mark.parametrize(
    "rule",
    [
        {"expression": "__import__('os')", "variables": {"otd": "on_time_delivery_pct"}},
        {"expression": "otd +", "variables": {"otd": "on_time_delivery_pct"}},
        {"expression": "otd * missing", "variables": {"otd": "on_time_delivery_pct"}},
        {"expression": "otd", "variables": {"otd": "no_such_measure"}},
        {"expression": "otd", "variables": {"otd": "survey"}},
        {"expression": "otd", "variables": {}},
    ],
)
def test_a_bad_formula_is_refused_naming_the_row_and_rule(admin: Any, rule: dict[str, Any]) -> None:
    rows = criteria(row2__rule_kind="formula", row2__rule=rule)
    error = refused(admin, rows)
    assert error.field == "criteria[2].rule"


def test_a_formula_maps_its_variables_to_measures(admin: Any) -> None:
    rule = {
        "expression": "min(otd, 100 - 10 * defects)",
        "variables": {"otd": "on_time_delivery_pct", "defects": "defect_rate_pct"},
    }
    template = make_template(admin, criteria=criteria(row2__rule_kind="formula", row2__rule=rule))
    row = ScorecardCriterion.objects.get(version__template=template, code="relationship")
    assert row.measure == ""
    parsed = rule_of(row)
    assert isinstance(parsed, Formula)
    assert parsed.score({"otd": D("97"), "defects": D("1")}) == D("90")


def test_rules_of_every_kind_parse_from_their_stored_form(admin: Any) -> None:
    rows = criteria(
        row1__rule_kind="bands",
        row1__rule={"bands": [{"threshold": "1", "score": "100"}, ["3", "50"]]},
    )
    template = make_template(admin, criteria=rows)
    stored = {c.code: c for c in ScorecardCriterion.objects.filter(version__template=template)}
    assert rule_of(stored["delivery"]) == Linear(D(80), D(100), Direction.HIGHER_IS_BETTER)
    bands = rule_of(stored["quality"])
    assert isinstance(bands, Bands)
    assert bands.direction is Direction.LOWER_IS_BETTER
    assert bands.score(D("2")) == D("50")
    # Band edges: lower is better, so a band is reached at or below its threshold
    assert bands.score(D("1")) == D("100")
    assert bands.score(D("1.01")) == D("50")
    assert bands.score(D("3")) == D("50")
    assert bands.score(D("3.01")) == D("0")
    assert stored["quality"].rule["bands"] == [
        {"threshold": "1", "score": "100"},
        {"threshold": "3", "score": "50"},
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"side": "sideways"}, "side"),
        ({"period_kind": "weekly"}, "period_kind"),
    ],
)
def test_bad_template_fields_are_refused(admin: Any, fields: dict[str, Any], field: str) -> None:
    assert refused(admin, criteria(), **fields).field == field


def test_names_are_unique_and_a_side_has_one_default(admin: Any) -> None:
    make_template(admin)
    with pytest.raises(DomainError) as error:
        make_template(admin, is_default=False)
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        make_template(admin, name="Second")
    assert (error.value.field, error.value.code) == ("is_default", "duplicate")
    assert ScorecardTemplate.objects.count() == 1


def test_bad_standings_are_refused_naming_the_row(admin: Any) -> None:
    rows = [{"name": "poor", "lower": "0"}, {"name": "good", "lower": "0"}]
    assert refused(admin, criteria(), standings_rows=rows).field == "standings[1].lower"
    rows = [{"name": "good", "lower": "10"}]
    assert refused(admin, criteria(), standings_rows=rows).field == "standings[0].lower"


def test_only_an_administrator_creates_or_changes_a_template(admin: Any) -> None:
    owner = RelationshipFactory().owner
    with pytest.raises(PermissionDenied):
        make_template(owner)
    template = make_template(admin)
    with pytest.raises(PermissionDenied):
        template_update(actor=owner, template=template, expected_version=template.version, name="x")
    with pytest.raises(PermissionDenied):
        template_version_create(actor=owner, template=template, criteria=CRITERIA, note="x")
    with pytest.raises(PermissionDenied):
        template_standings_set(actor=owner, template=template, rows=[{"name": "all", "lower": 0}])


# --- versions ------------------------------------------------------------------------------------


def test_a_new_version_applies_from_the_next_period(admin: Any) -> None:
    template = make_template(admin)
    today = dt.date(2024, 2, 10)
    version = template_version_create(
        actor=admin,
        template=template,
        criteria=criteria(row0__weight=50, row1__weight=20),
        note="Delivery matters more",
        today=today,
    )
    assert (version.number, version.effective_from) == (2, dt.date(2024, 4, 1))
    assert next_period_start("monthly", today) == dt.date(2024, 3, 1)
    assert version_in_force(template, dt.date(2024, 1, 1)).number == 1
    assert version_in_force(template, dt.date(2024, 4, 1)).number == 2
    assert period_open(template=template, starts_on=dt.date(2024, 1, 1)).version.number == 1
    assert period_open(template=template, starts_on=dt.date(2024, 4, 1)).version.number == 2


def test_a_pending_version_is_replaced_until_a_period_uses_it(admin: Any) -> None:
    template = make_template(admin)
    today = dt.date(2024, 2, 10)
    first = template_version_create(
        actor=admin, template=template, criteria=CRITERIA, note="one", today=today
    )
    second = template_version_create(
        actor=admin,
        template=template,
        criteria=criteria(row0__weight=50, row1__weight=20),
        note="two",
        today=today,
    )
    assert second.pk == first.pk
    assert second.criteria.get(code="delivery").weight == 50
    period_open(template=template, starts_on=dt.date(2024, 4, 1))
    with pytest.raises(DomainError) as error:
        template_version_create(
            actor=admin, template=template, criteria=CRITERIA, note="three", today=today
        )
    assert error.value.code == "version_in_use"
    assert second.criteria.get(code="delivery").weight == 50
    assert TemplateVersion.objects.filter(template=template).count() == 2


def test_a_bad_version_writes_nothing(admin: Any) -> None:
    template = make_template(admin)
    with pytest.raises(DomainError) as error:
        template_version_create(
            actor=admin, template=template, criteria=criteria(row0__weight=99), note="x"
        )
    assert error.value.field == "criteria"
    assert template.versions.count() == 1


# --- updates and standings -----------------------------------------------------------------------


def test_update_renames_and_refuses_a_period_kind_change_once_periods_exist(admin: Any) -> None:
    template = make_template(admin)
    template = template_update(
        actor=admin, template=template, expected_version=template.version, name="Suppliers"
    )
    assert template.name == "Suppliers"
    period_open(template=template, starts_on=dt.date(2024, 1, 1))
    with pytest.raises(DomainError) as error:
        template_update(
            actor=admin,
            template=template,
            expected_version=template.version,
            period_kind="monthly",
        )
    assert error.value.field == "period_kind"
    with pytest.raises(DomainError):
        template_update(
            actor=admin, template=template, expected_version=template.version, side="demand"
        )


def test_standings_are_replaced_as_a_whole(admin: Any) -> None:
    template = make_template(admin)
    rows = [
        {"name": "failing", "lower": "0", "consequences": ["require_improvement_plan"]},
        {"name": "passing", "lower": 60.5},
    ]
    template = template_standings_set(actor=admin, template=template, rows=rows)
    standings = standings_of(template)
    assert [band.name for band in standings.bands] == ["failing", "passing"]
    assert standings.classify(D("60.49")).consequences == {Consequence.REQUIRE_IMPROVEMENT_PLAN}
    assert template.standings[1]["lower"] == "60.5"
    with pytest.raises(DomainError) as error:
        template_standings_set(
            actor=admin, template=template, rows=[{"name": "x", "lower": 0, "consequences": ["y"]}]
        )
    assert error.value.field == "standings[0].consequences"


# --- the shipped templates -----------------------------------------------------------------------


def test_the_default_templates_are_seeded_once() -> None:
    created = templates_ensure_defaults()
    assert [t.name for t in created] == ["Vendor performance", "Customer health"]
    assert templates_ensure_defaults() == []
    vendor = ScorecardTemplate.objects.get(name="Vendor performance")
    assert (vendor.side, vendor.period_kind, vendor.is_default) == ("supply", "quarterly", True)
    version = vendor.versions.get()
    assert version.created_by is None
    rows = list(version.criteria.all())
    assert len(rows) == 8
    assert sum(row.weight for row in rows) == 100
    assert {row.category for row in rows} >= {
        "quality",
        "delivery",
        "cost",
        "responsiveness",
        "innovation",
        "compliance_risk",
        "relationship",
    }
    assert [row.code for row in rows if row.measure == "survey"] == ["innovation"]
    health = ScorecardTemplate.objects.get(name="Customer health")
    assert health.side == "demand"
    assert sum(row.weight for row in health.versions.get().criteria.all()) == 100


def test_a_side_with_a_default_already_keeps_it(admin: Any) -> None:
    mine = make_template(admin, name="Ours")
    templates_ensure_defaults()
    assert not ScorecardTemplate.objects.get(name="Vendor performance").is_default
    mine.refresh_from_db()
    assert mine.is_default
