"""Routes of the spend analytics screens."""

from typing import Any

urlpatterns: list[Any] = []
