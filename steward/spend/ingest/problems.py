"""What is wrong with a file: problems naming the row (the header is row 1) and the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A refused import keeps this many problems (and says how many more there were).
KEPT_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    field: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = f"row {self.row}, {self.field}" if self.row is not None else self.field
        return f"{where}: {self.message}"


class FileRefused(Exception):  # noqa: N818 - a refusal, not a failure of Steward
    """The file cannot be read at all (empty, not UTF-8, damaged, columns wrong)."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        super().__init__("; ".join(str(problem) for problem in problems[:3]))
        self.problems = problems
        self.total = len(problems) if total is None else total


def refuse(message: str, *, row: int | None = None, field: str = "file") -> FileRefused:
    return FileRefused([Problem(row=row, field=field, message=message)])


def kept(problems: list[Problem], total: int | None = None) -> list[dict[str, Any]]:
    """The first KEPT_PROBLEMS problems as JSON, with a last entry counting the rest."""
    total = len(problems) if total is None else total
    shown = [problem.as_json() for problem in problems[:KEPT_PROBLEMS]]
    if total > len(shown):
        rest = total - len(shown)
        shown.append(
            Problem(
                row=None,
                field="file",
                message=f"… and {rest:,} more problem{'s' if rest != 1 else ''} not listed.",
            ).as_json()
        )
    return shown
