"""Pages of 50 by default; ``page_size`` asks for up to 200 (more is capped at 200)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StewardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        # DRF quietly falls back to the default for a page size it cannot read; a client that
        # asked for something else deserves to hear that it did not get it.
        values = [value for value in request.query_params.getlist("page_size") if value != ""]
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or int(values[0]) < 1:
            raise serializers.ValidationError(
                {
                    "page_size": [
                        exceptions.ErrorDetail(
                            f"Ask for a whole number of rows from 1 to {self.max_page_size}.",
                            code="invalid",
                        )
                    ]
                }
            )
        return min(int(values[0]), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            # An empty value means the default, as DRF has it.
            parameter["allowEmptyValue"] = True
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page: {self.page_size} by default, at most {self.max_page_size}."
                )
        return parameters
