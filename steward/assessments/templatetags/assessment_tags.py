"""Small filters of the assessments pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from steward.assessments.answer_values import display

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def answer_display(value: Any) -> str:
    return display(value)


@register.filter
def is_chosen(value: Any, choice: str) -> bool:
    """Was ``choice`` picked in a stored answer (a choice, a list of them, yes or no)?"""
    if isinstance(value, list):
        return choice in value
    return value == choice
