"""Buttons that upper apps add to an open whitespace cell (the pipeline adds "Open an
opportunity"), so the accounts app never imports what sits above it.

An action is a POST to ``url_name`` with the cell's primary key as its only argument.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CellAction:
    label: str
    url_name: str


_ACTIONS: dict[str, CellAction] = {}


def register_cell_action(action: CellAction) -> None:
    _ACTIONS[action.url_name] = action


def cell_actions() -> list[CellAction]:
    return list(_ACTIONS.values())
