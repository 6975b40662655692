"""The browser tests' own tools, on pages of known content: Debian's Chromium starts, axe-core
passes an accessible page and names the rules a broken one breaks, screenshots are written."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.pages.browser import SCREENSHOTS, assert_accessible, axe_violations, screenshot

ACCESSIBLE = """<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Infrastruktur for sidetestene</title></head>
<body>
  <main>
    <h1>Søk i katalogen</h1>
    <form>
      <label for="q">Søkeord</label>
      <input id="q" name="q" type="search">
      <button type="submit">Søk</button>
    </form>
  </main>
</body>
</html>"""

# image-alt is critical and color-contrast (#aaa on #fff is 2.3:1) serious in axe-core.
BROKEN = """<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Sidetest med feil</title></head>
<body>
  <main>
    <h1>Feil med vilje</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
    <p style="color: #aaa; background: #fff">Lys grå tekst på hvitt</p>
  </main>
</body>
</html>"""


def test_an_accessible_page_passes_and_is_screenshotted(page: Page) -> None:
    page.set_content(ACCESSIBLE)
    assert page.evaluate("navigator.userAgent").find("HeadlessChrome") >= 0
    assert page.evaluate("navigator.language") == "nb-NO"
    assert page.viewport_size == {"width": 1280, "height": 900}
    assert_accessible(page, "infra-tilgjengelig")
    path = screenshot(page, "infra-tilgjengelig")
    assert path == SCREENSHOTS / "infra-tilgjengelig.png"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_axe_names_the_serious_and_critical_violations(page: Page) -> None:
    page.set_content(BROKEN)
    found = {v["id"]: v for v in axe_violations(page)}
    assert set(found) == {"image-alt", "color-contrast"}
    assert found["image-alt"]["impact"] == "critical"
    assert found["color-contrast"]["impact"] == "serious"
    assert found["image-alt"]["nodes"][0]["target"] == ["img"]
    assert [v["id"] for v in axe_violations(page, impacts=("critical",))] == ["image-alt"]


def test_assert_accessible_reports_rule_help_and_target(page: Page) -> None:
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "infra-feil")
    message = str(failure.value)
    assert message.startswith("infra-feil: axe found serious or critical violations:")
    assert "- image-alt (critical): Images must have alternative text at ['img']" in message
    assert "- color-contrast (serious):" in message
