"""Forms of the evaluation and award pages: they parse what people typed; the services decide.

The award form's choices come from the comparison: a single award offers the vendors that bid
every line, a split award offers per line the vendors that bid it, each with its cost of
ownership and rank, flagged when abnormally low.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from steward.awards import evaluation as ev
from steward.awards.matrix import Comparison
from steward.core.forms import StewardForm
from steward.sourcing.choices import AwardRule
from steward.sourcing.models import EvaluationCriterion, EventInvitation

TEXT = forms.Textarea(attrs={"rows": 3})
SINGLE = "invitation"


def line_field(line_id: int) -> str:
    return f"line_{line_id}"


def criterion_field(criterion_id: int) -> str:
    return f"criterion_{criterion_id}"


def _choice(
    invitation: EventInvitation, tco: Decimal, rank: int | None, flags: tuple[ev.LowRule, ...]
) -> str:
    low = " · abnormally low" if flags else ""
    currency = invitation.event.currency
    return f"{invitation.supplier} — TCO {ev.money(tco)} {currency} (rank {rank}){low}"


class AwardForm(StewardForm):
    """Who gets which lines, why, and (for an abnormally low bid) why it is sound."""

    rationale = forms.CharField(widget=TEXT, help_text="Why these vendors: it goes on record.")
    low_bid_justification = forms.CharField(
        widget=TEXT,
        required=False,
        label="Justification of an abnormally low bid",
        help_text="Required when an awarded bid is flagged abnormally low.",
    )

    def __init__(self, *args: Any, comparison: Comparison, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        event = comparison.event
        self.split = event.award_rule == AwardRule.SPLIT
        fields: dict[str, forms.Field] = {}
        if self.split:
            for row in comparison.rows:
                choices = [
                    (str(c.invitation.pk), _choice(c.invitation, c.cost.tco, c.rank, c.flags))
                    for c in row.cells
                ]
                fields[line_field(row.line.pk)] = forms.ChoiceField(
                    label=f"Line {row.line.number}: {row.line.description}",
                    choices=[("", "—"), *choices],
                )
        else:
            complete = [t for t in comparison.totals if t.rank is not None]
            fields[SINGLE] = forms.ChoiceField(
                label="Vendor for every line",
                choices=[("", "—")]
                + [
                    (str(t.invitation.pk), _choice(t.invitation, t.tco, t.rank, ()))
                    for t in complete
                ],
            )
        self.fields = {**fields, **self.fields}
        self.style_fields()

    def allocations(self) -> EventInvitation | dict[int, EventInvitation]:
        """What the service takes: one invitation, or line id -> invitation."""
        invitations = self.comparison.sheet.invitations
        if not self.split:
            return invitations[int(self.cleaned_data[SINGLE])]
        return {
            row.line.pk: invitations[int(self.cleaned_data[line_field(row.line.pk)])]
            for row in self.comparison.rows
        }


class ScoreForm(StewardForm):
    """One invitee's values on every criterion of a weighted event."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 1}), required=False)

    def __init__(
        self,
        *args: Any,
        criteria: list[EvaluationCriterion],
        current: dict[int, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            fields[criterion_field(criterion.pk)] = forms.DecimalField(
                label=f"{criterion.name} (0 to {criterion.max_value})",
                min_value=Decimal(0),
                max_value=criterion.max_value,
                max_digits=5,
                decimal_places=4,
                required=False,
                initial=current.get(criterion.pk),
            )
        self.criteria = criteria
        self.fields = {**fields, **self.fields}
        self.style_fields()

    def values(self) -> list[tuple[EvaluationCriterion, Decimal]]:
        """The values given (a blank leaves the criterion as it is)."""
        chosen = [(c, self.cleaned_data.get(criterion_field(c.pk))) for c in self.criteria]
        return [(c, value) for c, value in chosen if value is not None]


class ReasonForm(StewardForm):
    reason = forms.CharField(widget=TEXT)
