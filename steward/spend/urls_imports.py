"""Routes of the spend imports and the reference data that interprets them."""

from typing import Any

urlpatterns: list[Any] = []
