"""Signing in through the login form, and checking that a URL answers with real rows."""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


def login(base: str, username: str, password: str) -> str:
    """Sign in through the login form and return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login/", timeout=10) as response:
        form = response.read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if found is None:
        raise RuntimeError("the login page has no CSRF token")
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": found.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
    )
    with opener.open(request, timeout=10):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} did not start a session")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def check(url: str, headers: dict[str, str], kind: str, names: list[str]) -> str:
    """Fetch once: 200 and real rows, or raise. Returns what was found, for the report."""
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{url} answered {error.code}") from error
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    if kind == "health":
        return "ok"
    if kind == "html":
        shown = sum(1 for name in names if html.escape(name) in body)
        if shown < 10:
            raise RuntimeError(f"{url} shows {shown} of the first 50 organizations")
        return f"{shown} of the first 50 organizations shown, {len(body) // 1024} KiB"
    data = json.loads(body)
    rows = data.get("results", data) if isinstance(data, dict) else data
    if not isinstance(rows, list) or len(rows) < 10 or "display_name" not in rows[0]:
        raise RuntimeError(f"{url} returned no organization rows")
    return f"{len(rows)} rows, {len(body) // 1024} KiB"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
