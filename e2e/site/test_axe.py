"""axe-core 4.10 in headless Chromium: no WCAG 2.2 AA violations of any impact on every page type, in light and dark
mode, at 375 and 1280 px; the layout reflows.

The built site is served on 127.0.0.1 (a free port); axe.min.js comes from the cache e2e/setup.sh fills.
"""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe" / "axe.min.js"

# A sample of every page type: front pages, offers (every state, translated), lists, indexes, search, 404 and the
# pages about the site.
AXE_PAGES = ["front nb", "front nn", "offer nb", "offer nn (translated)", "offer en (translated)", "offer ended", "offer stale",
             "offer due", "tema", "tema en (untranslated cards)", "kommune", "kommune list", "landsdekkende", "tilbyder", "type",
             "malgruppe", "sok", "404", "404 en", "tema index", "type index nn", "malgruppe index", "tilbyder index",
             "tilbud index en", "tilbud provider", "om-nettstedet", "personvern nn", "tilgjengelighet", "tilgjengelighet en"]
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 adds target size, 2.5.8).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run e2e/setup.sh site")
    source = AXE.read_text(encoding="utf-8")
    assert "axe v4.10" in source[:200], "axe-core 4.10 expected in " + str(AXE)
    return source


def run_axe(browser, axe_source, tags=None):
    browser.execute_script(axe_source)
    version = browser.execute_script("return axe.version")
    assert version.startswith("4.10"), version
    options = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": tags}
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify({error: String(e)})));", options)
    violations = json.loads(result)
    if isinstance(violations, dict):
        pytest.fail("axe failed: " + violations["error"])
    return violations


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", AXE_PAGES)
def test_no_wcag22_aa_axe_violations(kind, scheme, width, sample_pages, server, browser, axe_source):
    """No violation of any impact; the colour scheme is emulated through CDP, as a system setting would set it."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        browser.get(server + sample_pages[kind])
        assert browser.execute_script(f"return matchMedia('(prefers-color-scheme: {scheme})').matches")
        violations = run_axe(browser, axe_source, WCAG_TAGS)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    detail = "\n".join(
        f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])}×): "
        + "; ".join(n["html"][:100] + " " + n.get("failureSummary", "")[:160].replace("\n", " ") for n in v["nodes"][:3])
        for v in violations)
    assert not violations, f"{sample_pages[kind]} ({scheme}, {width} px):\n{detail}"


def test_dark_mode_changes_the_colours(sample_pages, server, browser):
    """The dark scheme is real: the page background turns dark and the text light."""
    colours = {}
    for scheme in ("light", "dark"):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        browser.get(server + sample_pages["front nb"])
        colours[scheme] = browser.execute_script(
            "const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(26, 26, 26)"], colours
    assert colours["dark"] == ["rgb(18, 22, 20)", "rgb(232, 236, 233)"], colours


def test_search_filter_checkboxes_are_at_least_24_px(sample_pages, server, browser):
    """WCAG 2.2 target size: the filters search.js draws on /sok/ are 24 × 24 CSS px or more (those shown: a long
    facet, such as the languages, shows its first values until "show all" is pressed)."""
    browser.get(server + sample_pages["sok"])
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#search-facets input[type=checkbox]').length > 0"))
    sizes = browser.execute_script("""document.getElementById('search-filters').open = true;
        return [...document.querySelectorAll('#search-facets input[type=checkbox]')]
        .filter(e => e.checkVisibility())
        .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })""")
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes[:5]


@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize("kind", ["front nb", "offer nb", "kommune", "tilbyder", "sok"])
def test_pages_reflow_without_horizontal_scrolling(kind, width, sample_pages, server, browser):
    """WCAG 1.4.10: usable at 320 CSS px; 640 px is a 1280 px window at 200 % zoom."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.get(server + sample_pages[kind])
        inner = browser.execute_script("return window.innerWidth")
        assert inner == width
        overflow = browser.execute_script("""
            const w = document.documentElement.clientWidth;
            const wide = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'absolute'
                  && !el.closest('.visually-hidden, .skip-link, table')) wide.push(el.outerHTML.slice(0, 80));
            }
            return {scroll: document.documentElement.scrollWidth, client: w, wide: wide.slice(0, 5)};
        """)
        assert overflow["scroll"] <= overflow["client"], overflow
        assert not overflow["wide"], overflow
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("kind", ["front nb", "offer nb"])
def test_keyboard_focus_is_visible_and_skip_link_works(kind, sample_pages, server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server + sample_pages[kind])
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.execute_script("""
        const a = document.activeElement, s = getComputedStyle(a);
        const r = a.getBoundingClientRect();
        return {cls: a.className, href: a.getAttribute('href'), outline: s.outlineStyle, width: s.outlineWidth,
                shadow: s.boxShadow, left: r.left, visible: r.width > 1 && r.height > 1 && r.left >= 0};""")
    assert focused["cls"] == "skip-link" and focused["href"] == "#main", focused
    assert focused["visible"], f"the skip link shows when focused: {focused}"
    assert focused["outline"] != "none" and focused["width"] not in ("0px", ""), focused
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"
    # Every other focusable element gets a visible indicator too (sample the first few links).
    ActionChains(browser).send_keys(Keys.TAB).perform()
    style = browser.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.boxShadow]")
    assert style[0] != "none" or style[2] != "none", style


def test_the_axe_harness_reports_violations(browser, axe_source):
    """Guards the tests above against passing vacuously: a page with known problems must fail."""
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get("data:text/html;charset=utf-8,<html><body><img src='x.png'><p>text</p></body></html>")
    ids = {v["id"] for v in run_axe(browser, axe_source) if v.get("impact") in ("serious", "critical")}
    assert {"image-alt", "html-has-lang", "document-title"} <= ids, ids
