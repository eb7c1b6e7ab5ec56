"""The main menu as people see it: a menu per side of the business, nothing internal for
portal users."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.testing import web_client
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_the_bar_shows_a_menu_per_side_and_lone_entries_as_links(cast: Cast) -> None:
    response = web_client(cast.owner).get(reverse("home"))
    html = response.content.decode()
    sections = response.context["nav_sections"]
    assert {section.key for section in sections} >= {"supply", "shared"}
    for section in sections:
        if len(section.entries) > 1:
            assert f'id="nav-{section.key}"' in html
        for entry in section.entries:
            assert f'href="{entry.url()}"' in html
    # administration stays in the user menu
    assert all(section.key != "admin" for section in sections)


def test_portal_users_get_no_internal_menus(cast: Cast) -> None:
    response = web_client(cast.portal_a).get(reverse("home"))
    assert all(
        entry.visible(response.context["principal"])
        for section in response.context["nav_sections"]
        for entry in section.entries
    )
    assert 'id="nav-supply"' not in response.content.decode()
