"""The Jinja2 environment for the few hot fragments (see TEMPLATES in settings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from jinja2 import Environment


def local_date(value: dt.datetime | dt.date | None) -> str:
    """2026-11-25, in the server's time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - the settings turn autoescape on
    env.filters["local_date"] = local_date
    return env
