"""Serializer fields for the supply side's structured text: the escalation ladder and the RACI.

Both are stored as JSON on the strategy. These fields check only the shape and types (so a
malformed body is a 400, never a server error) and report every problem on the field itself;
the rules between the parts (steps in order, one accountable function) are the service's.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.suppliers.choices import Raci

MAX_STEPS = 20
MAX_ACTIVITIES = 50
MAX_NAME = 120


@extend_schema_field(
    {
        "type": "array",
        "maxItems": MAX_STEPS,
        "items": {
            "type": "object",
            "properties": {
                "role": {"type": "string", "minLength": 1, "maxLength": MAX_NAME},
                "person": {
                    "type": "integer",
                    "nullable": True,
                    "description": "User id of the person in that role, if named.",
                },
                "after_days": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 3650,
                    "description": "Days after the issue is raised; not less than the step before.",
                },
            },
            "required": ["role"],
        },
        "description": "Escalation steps in order.",
    }
)
class EscalationLadderField(serializers.Field):
    """Steps ``{"role", "person", "after_days"}``; ``person`` is a user the client may see.

    Other keys in a step are dropped.
    """

    default_error_messages = {
        "invalid": (
            'Send a list of steps, each like {{"role": "Head of procurement", "person": null, '
            '"after_days": 5}}.'
        ),
        "unknown_person": "Step {number}: there is no such person.",
    }

    def __init__(self, *, people: Any, **kwargs: Any) -> None:
        # ``people`` receives the requesting user and returns the users they may name.
        self.people = people
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if not isinstance(data, list) or len(data) > MAX_STEPS:
            self.fail("invalid")
        steps = [self._step(number, step) for number, step in enumerate(data, start=1)]
        named = {step["person"] for step in steps if step["person"] is not None}
        if named:
            request = self.context.get("request")
            visible = set(
                self.people(getattr(request, "user", None))
                .filter(pk__in=named)
                .values_list("pk", flat=True)
            )
            for number, step in enumerate(steps, start=1):
                if step["person"] is not None and step["person"] not in visible:
                    self.fail("unknown_person", number=number)
        return steps

    def _step(self, number: int, step: Any) -> dict[str, Any]:
        if not isinstance(step, dict):
            self.fail("invalid")
        role, person, after = step.get("role"), step.get("person"), step.get("after_days", 0)
        if not isinstance(role, str) or not role.strip() or len(role) > MAX_NAME:
            self.fail("invalid")
        for value in (person, after):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                self.fail("invalid")
        if after is None or not 0 <= after <= 3650 or (person is not None and person < 1):
            self.fail("invalid")
        return {"role": role.strip(), "person": person, "after_days": after}

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(
    {
        "type": "object",
        "maxProperties": MAX_ACTIVITIES,
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": list(Raci.values)},
        },
        "description": (
            'Per activity, each function\'s part (R, A, C or I), e.g. {"Contract renewal": '
            '{"legal": "A", "finance": "C"}}; at most one function is accountable.'
        ),
    }
)
class RaciField(serializers.Field):
    default_error_messages = {
        "invalid": (
            "Send a table of activities and functions, each part R, A, C or I, e.g. "
            '{{"Contract renewal": {{"legal": "A"}}}}.'
        )
    }

    def to_internal_value(self, data: Any) -> dict[str, dict[str, str]]:
        if not isinstance(data, dict) or len(data) > MAX_ACTIVITIES:
            self.fail("invalid")
        table: dict[str, dict[str, str]] = {}
        for activity, parts in data.items():
            if not isinstance(parts, dict) or not str(activity).strip():
                self.fail("invalid")
            if len(str(activity)) > MAX_NAME or any(len(str(f)) > MAX_NAME for f in parts):
                self.fail("invalid")
            if not all(isinstance(part, str) and part in Raci.values for part in parts.values()):
                self.fail("invalid")
            table[str(activity).strip()] = {str(f): part for f, part in parts.items()}
        return table

    def to_representation(self, value: Any) -> Any:
        return value
