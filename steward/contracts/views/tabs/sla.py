"""Service levels: attainment, breaches and credits: the contract page's "slas" tab.

Each service level gets a chart of its periods' values against the target, drawn by
``steward.core.charts`` (the contract page is a chart page, so the chart also draws when htmx
swaps the tab in); the table beside it gives the same periods as text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
from django.http import HttpRequest

from steward.contracts import selectors_sla
from steward.contracts.forms.sla import MeasurementForm, PeriodEvaluateForm
from steward.contracts.models import Contract
from steward.contracts.models.sla import (
    CreditStatus,
    ServiceLevel,
    SlaMeasurement,
    SlaPeriodResult,
)
from steward.contracts.selectors_sla import ServiceLevelOverview
from steward.core.access import can_create
from steward.core.charts import base_layout, chart_context, plain_text

MET_COLOUR = "#0b6e99"
BREACHED_COLOUR = "#c0392b"
TARGET_COLOUR = "#d9822b"
# The statuses the ledger totals, in the order it shows them.
LEDGER_STATUSES = (
    CreditStatus.OWED,
    CreditStatus.CLAIMED,
    CreditStatus.RECEIVED,
    CreditStatus.WAIVED,
)


def number_text(number: Decimal | None) -> str:
    """A stored figure without trailing zeros and never in exponent form; "—" for none."""
    if number is None:
        return "—"
    return format(number.normalize(), "f")


def _with_texts(results: list[SlaPeriodResult]) -> list[SlaPeriodResult]:
    for result in results:
        result.value_text = number_text(result.value)  # type: ignore[attr-defined]
        result.shortfall_text = number_text(result.shortfall)  # type: ignore[attr-defined]
    return results


def tab_context(
    request: HttpRequest, contract: Contract, context: dict[str, Any], forms: dict[str, Any]
) -> None:
    """Add what the tab shows to context; forms carry bound forms with errors."""
    user = request.user
    overview = selectors_sla.sla_overview(user, contract)
    can_change = bool(context.get("can_change"))
    rows = []
    for item in overview:
        bound = forms.get("evaluate_form") if forms.get("level_pk") == item.level.pk else None
        rows.append(
            {
                "level": item.level,
                "recent": _with_texts(item.recent),
                "target_text": number_text(item.level.target),
                "cap_text": number_text(item.level.cap_percent),
                "tiers": item.level.credit_tiers,
                "chart": attainment_chart(item) if item.periods else None,
                "evaluate_form": (bound or PeriodEvaluateForm(prefix_pk=item.level.pk))
                if can_change
                else None,
            }
        )
    ledger = selectors_sla.credits_ledger(user, contract)
    currencies = sorted({c for totals in ledger.totals.values() for c in totals})
    context.update(
        {
            "sla_rows": rows,
            "sla_breaches": [
                (breach, _with_texts([breach.period_result])[0])
                for breach in selectors_sla.breaches(user, contract)
            ],
            "ledger": ledger,
            "ledger_totals": [
                {
                    "currency": currency,
                    "amounts": [ledger.total(status, currency) for status in LEDGER_STATUSES],
                }
                for currency in currencies
            ],
            "ledger_statuses": [CreditStatus(status).label for status in LEDGER_STATUSES],
            "credit_form": forms.get("credit_form"),
            "credit_pk": forms.get("credit_pk"),
            "can_add_level": can_change and can_create(user, ServiceLevel, parent=contract),
        }
    )
    levels = [item.level for item in overview if item.level.active]
    if can_change and levels and can_create(user, SlaMeasurement, parent=levels[0]):
        context["measurement_form"] = forms.get("measurement_form") or MeasurementForm(
            levels=selectors_sla.service_levels(user, contract).filter(active=True)
        )


def attainment_chart(item: ServiceLevelOverview) -> dict[str, Any]:
    """The chart of one service level: each period's value, the target as a line."""
    return chart_context(
        attainment_figure(item),
        chart_id=f"sla-chart-{item.level.pk}",
        label=f"{item.level.name}: each period's value against the target",
        description="The table beside the chart lists the latest periods.",
    )


def attainment_figure(item: ServiceLevelOverview) -> go.Figure:
    """Periods across, the metric up; a breached period is drawn in red, no data is a gap."""
    level = item.level
    periods = item.periods
    x = [result.period_start.isoformat() for result in periods]
    unit = plain_text(level.unit)
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            name=plain_text(level.name),
            x=x,
            y=[None if result.value is None else float(result.value) for result in periods],
            mode="lines+markers",
            connectgaps=False,
            line={"color": MET_COLOUR},
            marker={
                "size": 9,
                "color": [BREACHED_COLOUR if r.breached else MET_COLOUR for r in periods],
            },
            customdata=[
                [
                    "no data" if r.attainment is None else f"{r.attainment} %",
                    "breached" if r.breached else ("no data" if r.no_data else "met"),
                ]
                for r in periods
            ],
            hovertemplate=(
                "%{x|%b %Y}: %{y} " + unit + "<br>attainment %{customdata[0]}"
                "<br>%{customdata[1]}<extra></extra>"
            ),
        )
    )
    figure.add_trace(
        go.Scatter(
            name=f"Target ({level.get_direction_display().lower()} {number_text(level.target)})",
            x=x,
            y=[float(level.target)] * len(periods),
            mode="lines",
            line={"color": TARGET_COLOUR, "dash": "dash"},
            hoverinfo="skip",
        )
    )
    figure.update_layout(**base_layout(height=260))
    figure.update_xaxes(type="date", tickformat="%b %Y", showgrid=False)
    figure.update_yaxes(title={"text": unit}, gridcolor="#e3e6ea")
    return figure
