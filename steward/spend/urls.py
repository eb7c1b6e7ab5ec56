"""Routes of the spend pages: the analytics screens, and the imports with their reference data."""

from steward.spend.urls_analytics import urlpatterns as analytics_patterns
from steward.spend.urls_imports import urlpatterns as import_patterns

app_name = "spend"

urlpatterns = [*analytics_patterns, *import_patterns]
