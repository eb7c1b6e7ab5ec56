"""Routes of the spend analytics screens (all under /spend/)."""

from typing import Any

from django.urls import path

from steward.spend.views import analytics, analytics_cube, analytics_tables

urlpatterns: list[Any] = [
    path("spend/", analytics.spend_overview, name="overview"),
    path("spend/pareto/", analytics.spend_pareto, name="pareto"),
    path("spend/concentration/", analytics_tables.spend_concentration, name="concentration"),
    path("spend/maverick/", analytics_tables.spend_maverick, name="maverick"),
    path("spend/utilization/", analytics_tables.spend_utilization, name="utilization"),
    path("spend/price-variance/", analytics_tables.spend_price_variance, name="price-variance"),
    path("spend/cost-centers/", analytics_cube.spend_cost_centers, name="cost-centers"),
    path("spend/cube/", analytics_cube.spend_cube, name="cube"),
    path("spend/lines/", analytics_cube.spend_lines, name="lines"),
]
