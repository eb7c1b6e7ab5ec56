"""Sections that the apps above sourcing add to an event's page (bids, evaluation, award), so
the sourcing app never imports what sits above it. The pattern of the vendor tabs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (request, event) -> the template's context; return None to leave the section out.
SectionContext = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class EventSection:
    name: str
    title: str
    template: str
    context: SectionContext
    order: int = 100


_SECTIONS: dict[str, EventSection] = {}


def register_event_section(section: EventSection) -> None:
    _SECTIONS[section.name] = section


def event_sections() -> list[EventSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))
