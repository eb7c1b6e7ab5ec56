"""The main menu: a menu per side of the business, entries the user may see, the active one."""

from __future__ import annotations

from steward.core.context_processors import SECTION_LABELS, _sections
from steward.core.registry import NavEntry


def _entry(label: str, section: str) -> NavEntry:
    return NavEntry(label, f"x:{label.lower()}", section)


def test_sections_keep_the_menu_order_and_mark_the_active_one() -> None:
    entries = [
        _entry("Vendors", "supply"),
        _entry("Spend", "supply"),
        _entry("Accounts", "demand"),
        _entry("Issues", "shared"),
    ]
    sections = _sections(entries, active="x:spend")
    assert [section.key for section in sections] == list(SECTION_LABELS)
    assert [entry.label for entry in sections[0].entries] == ["Vendors", "Spend"]
    assert [section.active for section in sections] == [True, False, False]


def test_a_side_with_nothing_visible_has_no_menu() -> None:
    sections = _sections([_entry("Issues", "shared")], active="")
    assert [section.key for section in sections] == ["shared"]
    assert not sections[0].active
