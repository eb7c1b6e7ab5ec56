"""The OpenAPI schema at /api/schema/ and the docs at /api/docs/."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

# Every write that takes the version a client read can be refused as stale (409); updates and
# reassignments must name one (428). Each record type of the API has these operations.
RECORDS = (
    "organizations",
    "sites",
    "contacts",
    "relationships",
    "relationship-members",
    "vendors",
    "categories",
    "strategy-kpis",
    "negotiation-levers",
    "initiatives",
    "milestones",
    "activities",
)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    GENERATOR_STATS.reset()
    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    assert not warnings, f"drf-spectacular warned: {warnings}"
    assert not errors, f"drf-spectacular errors: {errors}"
    return generated


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_the_schema_is_valid_openapi_3_without_generator_warnings(schema: dict[str, Any]) -> None:
    # validate_schema raises on any violation of the OpenAPI 3 specification
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_every_operation_has_a_unique_id_and_a_tag(schema: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids))
    assert "organizations_list" in ids
    assert all(operation.get("tags") for _, _, operation in operations(schema))


@pytest.mark.parametrize("record", RECORDS)
def test_version_conflicts_are_documented(schema: dict[str, Any], record: str) -> None:
    item = schema["paths"][f"/api/v1/{record}/{{id}}/"]
    for method in ("put", "patch"):
        responses = item[method]["responses"]
        assert {"200", "400", "401", "403", "404", "409", "428"} <= set(responses), method
        assert responses["200"]["headers"]["ETag"]
        assert "If-Match" in [p["name"] for p in item[method]["parameters"]]
    assert {"204", "403", "404", "409"} <= set(item["delete"]["responses"])
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
    restore = schema["paths"][f"/api/v1/{record}/{{id}}/restore/"]["post"]["responses"]
    assert {"200", "403", "404", "409"} <= set(restore)
    history = schema["paths"][f"/api/v1/{record}/{{id}}/history/"]["get"]
    assert {"200", "403", "404"} <= set(history["responses"])
    assert {"page", "page_size"} <= {p["name"] for p in history["parameters"]}


def test_reassignment_and_domain_error_codes_are_documented(schema: dict[str, Any]) -> None:
    for record in ("organizations", "relationships"):
        responses = schema["paths"][f"/api/v1/{record}/{{id}}/reassign/"]["post"]["responses"]
        assert {"200", "400", "403", "404", "409", "428"} <= set(responses)
    components = schema["components"]["schemas"]
    legal_name = components["OrganizationsCreateLegalNameErrorComponent"]["properties"]["code"]
    assert {"duplicate", "invalid", "blank"} <= set(legal_name["enum"])
    conflict = components["ErrorResponse409"]["properties"]["errors"]["items"]
    assert conflict["$ref"].endswith("/Error409")

    def codes(component: str) -> list[str]:
        reference = components[component]["properties"]["code"]["$ref"]
        return list(components[reference.rsplit("/", 1)[1]]["enum"])

    assert codes("Error409") == ["stale_version"]
    assert codes("Error428") == ["version_required"]


def test_vendor_actions_and_the_policy_document_their_refusals(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    transition = paths["/api/v1/vendors/{id}/transition/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(transition)
    override = paths["/api/v1/vendors/{id}/segment-override/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409", "428"} <= set(override)
    policy = paths["/api/v1/segmentation-policy/"]
    assert {"get", "patch"} <= set(policy)
    assert not {"post", "put", "delete"} & set(policy)
    assert {"200", "400", "403", "409", "428"} <= set(policy["patch"]["responses"])
    components = schema["components"]["schemas"]
    to_stage = components["VendorsTransitionCreateToStageErrorComponent"]["properties"]["code"]
    assert {"invalid_transition", "checklist_incomplete"} <= set(to_stage["enum"])
    weights = components["SegmentationPolicyPartialUpdateWeightsErrorComponent"]
    assert weights["properties"]["code"]["enum"] == ["weights"]
    # read-only records answer reads only
    for path in ("/api/v1/lifecycle-transitions/{id}/", "/api/v1/segment-changes/{id}/"):
        assert set(paths[path]) & {"put", "patch", "delete", "post"} == set()


def test_list_filters_come_from_the_filterset(schema: dict[str, Any]) -> None:
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "country", "industry", "tag", "side", "ordering", "archived", "page"} <= parameters
    vendors = {p["name"] for p in schema["paths"]["/api/v1/vendors/"]["get"]["parameters"]}
    assert {
        "q",
        "stage",
        "segment",
        "relationship_type",
        "tier",
        "owner",
        "category",
        "overridden",
        "mismatch",
        "stalled",
        "lapsed_prequalification",
        "ordering",
    } <= vendors


def test_the_schema_is_served(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    validate_schema(response.json())


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"] or "")
        if tag == "link" and values.get("rel") in ("stylesheet", "icon") and values.get("href"):
            self.assets.append(values["href"] or "")


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_the_docs_load_their_scripts_and_styles_from_our_own_static_files() -> None:
    client = Client()  # a new client builds its middleware with the settings above

    # when the docs page is opened
    page = client.get("/api/docs/")
    assert page.status_code == 200
    collector = _AssetCollector()
    collector.feed(page.content.decode())

    # then it loads Swagger UI's script and stylesheet, and an init script of its own
    assets = collector.assets
    assert any(asset.endswith(".js") for asset in assets)
    assert any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        if asset.startswith("/api/docs/"):
            script = client.get(asset)
            assert script.status_code == 200
            assert "javascript" in script["Content-Type"]
            continue
        # every other asset is one of our static files (installed packages), never a CDN
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])
    assert not [asset for asset in assets if re.match(r"^(https?:)?//", asset)]
