"""The search page in a real browser (headless Chromium) on the bundled catalog.

Run `bash e2e/setup.sh search` first; the tests build the site themselves (see conftest.py).
"""
import json
import os
import re
import time
import urllib.parse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from search_browser import new_driver

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "relevance.json"), encoding="utf-8") as f:
    RELEVANCE = json.load(f)["queries"]


def wait(driver, condition, timeout=10, message="timed out"):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the page may be mid-render
            pass
        time.sleep(0.03)
    raise AssertionError(message)


def ready(driver, timeout=10):
    """Waits until search.js has shown results for the current state; returns the result count text."""
    wait(driver, lambda: driver.find_element(By.ID, "search").get_attribute("data-state") == "ready", timeout,
         "search page never became ready: %s" % driver.get_log("browser"))
    return driver.find_element(By.ID, "search-count").text


def open_search(driver, server, path):
    driver.get(server.url(path))
    driver.execute_script("window.__results = 0; document.addEventListener('tilbud:results', () => window.__results++);")
    ready(driver)


def settle(driver, quiet=0.4, timeout=10):
    """Waits until no new results have been shown for `quiet` seconds."""
    end = time.time() + timeout
    last, since = None, time.time()
    while time.time() < end:
        n = driver.execute_script("return window.__results")
        if n != last:
            last, since = n, time.time()
        elif time.time() - since >= quiet and driver.find_element(By.ID, "search").get_attribute("data-state") == "ready":
            return
        time.sleep(0.03)


def result_ids(driver, n=None):
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")
    ids = [re.sub(r"^.*/tilbud/", "", a.get_attribute("href")).rstrip("/") for a in links]
    return ids[:n] if n else ids


def count_of(driver):
    return int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))


def local_ids(driver):
    """Results before the "nearest offers elsewhere" heading (all results when there is none)."""
    ids = []
    for li in driver.find_elements(By.CSS_SELECTOR, "#search-results > li"):
        if "search-divider" in li.get_attribute("class"):
            break
        ids.append(re.sub(r"^.*/tilbud/", "", li.find_element(By.CSS_SELECTOR, ".card-title a").get_attribute("href")).rstrip("/"))
    return ids


def choose_place(driver, name):
    place = driver.find_element(By.ID, "facet-kommune")
    place.clear()
    place.send_keys(name)
    place.send_keys(Keys.ENTER)
    settle(driver)


def query_of(driver):
    return urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)


def read(site, path):
    with open(os.path.join(site, path), encoding="utf-8") as f:
        return f.read()


# ---- the pages without a browser ----

@pytest.mark.parametrize("prefix", ["", "nn/", "en/"])
def test_search_page_has_a_labelled_field_and_a_no_script_fallback(site, prefix):
    html = read(site, prefix + "sok/index.html")
    assert re.search(r'<label for="q">[^<]+</label>', html)
    assert re.search(r'<input type="search" id="q" name="q"', html)
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
    assert "JavaScript" in noscript
    # The fallback links to topic and municipality pages, outside <noscript> too.
    assert 'href="/%skommune/"' % prefix in html
    assert 'href="/%stema/sovn/"' % prefix in html
    assert re.search(r'data-index="/%ssok/indeks/manifest.json"' % prefix, html)
    assert re.search(r'<script src="/assets/search\.[0-9a-f]{10}\.js" defer>', html)


def test_front_page_form_submits_to_the_search_page(site):
    for prefix in ("", "nn/", "en/"):
        html = read(site, prefix + "index.html")
        assert re.search(r'<form class="search-form" role="search" action="/%ssok/" method="get">' % prefix, html)


def test_index_is_a_small_manifest_and_hashed_files(site):
    for prefix in ("", "nn/", "en/"):
        folder = os.path.join(site, prefix, "sok", "indeks")
        manifest = json.loads(read(site, prefix + "sok/indeks/manifest.json"))
        assert set(manifest) == {"v", "lang", "base", "z", "dir"}
        assert re.fullmatch(r"[0-9a-f]{12}/", manifest["dir"])
        files = os.listdir(os.path.join(folder, manifest["dir"]))
        assert "m.bin" in files and "f.bin" in files
        assert any(f.startswith("t") for f in files) and any(f.startswith("d") for f in files)
        assert os.path.getsize(os.path.join(folder, "manifest.json")) < 300


# ---- in the browser ----

def test_type_apply_a_facet_and_share_the_url(driver, server):
    open_search(driver, server, "/sok/")
    everything = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    box = driver.find_element(By.ID, "q")
    box.send_keys("søvn")
    settle(driver)
    ids = result_ids(driver)
    assert "frisklivssentralen-oslo-grunerlokka/sov-godt" in ids
    count = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    assert 0 < count < everything
    assert query_of(driver) == {"q": ["søvn"]}

    # Municipality: Oslo. National offers serve every municipality; the nearest others come after them.
    choose_place(driver, "Oslo")
    assert query_of(driver) == {"q": ["søvn"], "kommune": ["0301"]}
    oslo_count = count_of(driver)
    ids = local_ids(driver)
    assert len(ids) == oslo_count
    assert "frisklivssentralen-oslo-grunerlokka/sov-godt" in ids
    assert "nasjonalt-senter-digital-mestring/sov-bedre-digitalt-sovnprogram" in ids
    assert "frisklivssentralen-tromso/stress-og-sovn-i-morketida" not in ids

    # A topic facet: the count beside the value is the number of results it gives.
    label = driver.find_element(By.CSS_SELECTOR, 'label[for="%s"]' % driver.find_element(
        By.CSS_SELECTOR, 'input[name="malgruppe"][value="voksne"]').get_attribute("id"))
    expected = int(re.search(r"\((\d+)\)", label.text).group(1))
    label.click()
    settle(driver)
    assert query_of(driver) == {"q": ["søvn"], "kommune": ["0301"], "malgruppe": ["voksne"]}
    shown = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    assert shown == expected
    shared = driver.current_url
    before = result_ids(driver)

    # The shared URL, opened afresh in another browser, shows the same thing.
    other = new_driver()
    try:
        other.get(shared)
        other.execute_script("window.__results = 0; document.addEventListener('tilbud:results', () => window.__results++);")
        ready(other)
        assert result_ids(other) == before
        assert other.find_element(By.ID, "q").get_attribute("value") == "søvn"
        assert other.find_element(By.ID, "facet-kommune").get_attribute("value") == "Oslo"
        assert other.find_element(By.CSS_SELECTOR, 'input[name="malgruppe"][value="voksne"]').is_selected()
    finally:
        other.quit()

    # Reload keeps it; back and forward walk the history.
    driver.refresh()
    ready(driver)
    driver.execute_script("window.__results = 0; document.addEventListener('tilbud:results', () => window.__results++);")
    assert result_ids(driver) == before
    driver.back()
    wait(driver, lambda: "malgruppe" not in query_of(driver))
    settle(driver)
    assert query_of(driver) == {"q": ["søvn"], "kommune": ["0301"]}
    assert not driver.find_element(By.CSS_SELECTOR, 'input[name="malgruppe"][value="voksne"]').is_selected()
    assert count_of(driver) == oslo_count
    driver.back()
    wait(driver, lambda: "kommune" not in query_of(driver))
    settle(driver)
    assert driver.find_element(By.ID, "facet-kommune").get_attribute("value") == ""
    driver.forward()
    wait(driver, lambda: "kommune" in query_of(driver))
    settle(driver)
    assert count_of(driver) == oslo_count


def test_show_more_and_clear_appear_only_when_they_do_something(driver, server):
    open_search(driver, server, "/sok/?q=s%C3%B8vn")
    more, clear = driver.find_element(By.ID, "search-more"), driver.find_element(By.ID, "search-clear")
    assert len(result_ids(driver)) == 10 and more.is_displayed()
    assert not clear.is_displayed()
    open_search(driver, server, "/sok/?q=s%C3%B8vn&kommune=0301")
    more, clear = driver.find_element(By.ID, "search-more"), driver.find_element(By.ID, "search-clear")
    assert count_of(driver) < 10 and len(local_ids(driver)) == count_of(driver)
    assert clear.is_displayed()
    # Facet values no result has are hidden, unless chosen.
    hidden = [e for e in driver.find_elements(By.CSS_SELECTOR, "#search-facets li") if not e.is_displayed()]
    assert hidden and all("(0)" in e.get_attribute("textContent") for e in hidden)


def test_results_show_title_summary_provider_municipality_and_next_start(driver, server):
    open_search(driver, server, "/sok/?q=sov+godt+oslo")
    card = driver.find_elements(By.CSS_SELECTOR, "#search-results .card")[0]
    link = card.find_element(By.CSS_SELECTOR, ".card-title a")
    assert link.text == "Sov godt – kurs for deg som sover dårlig"
    assert link.get_attribute("href").endswith("/tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/")
    text = card.text
    assert "Fire kvelder om hva som påvirker søvnen" in text
    assert "Frisklivssentralen i Oslo, bydel Grünerløkka" in text
    assert "Oslo" in text
    when = card.find_element(By.CSS_SELECTOR, "time")
    assert when.get_attribute("datetime") == "2027-02-02"
    assert when.text == "2. februar 2027"


def test_count_is_announced_to_screen_readers(driver, server):
    open_search(driver, server, "/sok/")
    live = driver.find_element(By.ID, "search-live")
    assert live.get_attribute("role") == "status"
    assert live.get_attribute("aria-live") == "polite"
    driver.find_element(By.ID, "q").send_keys("diabetes")
    settle(driver)
    count = driver.find_element(By.ID, "search-count").text
    assert re.match(r"\d+ tilbud passer", count)
    wait(driver, lambda: live.get_attribute("textContent") == count, message="live region never said " + count)
    driver.find_element(By.ID, "q").send_keys(Keys.CONTROL, "a")
    driver.find_element(By.ID, "q").send_keys("qqqzzzxx")
    settle(driver)
    wait(driver, lambda: "Ingen tilbud passer" in live.get_attribute("textContent"))


def test_everything_works_with_the_keyboard(driver, server):
    open_search(driver, server, "/sok/")
    actions = ActionChains(driver)

    def active():
        return driver.switch_to.active_element

    def tab_to(predicate, limit=200):
        for _ in range(limit):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if predicate(active()):
                return active()
        raise AssertionError("never reached by Tab")

    tab_to(lambda e: e.get_attribute("id") == "q")
    actions.send_keys("trening").perform()
    settle(driver)
    assert "frisklivssentralen-oslo-grunerlokka/styrketrening-i-gruppe" in result_ids(driver)
    # Enter submits: nothing is lost, focus stays in the field.
    actions.send_keys(Keys.ENTER).perform()
    settle(driver)
    assert active().get_attribute("id") == "q"
    # The municipality field: a name, then Enter.
    tab_to(lambda e: e.get_attribute("id") == "facet-kommune")
    ActionChains(driver).send_keys("Oslo").send_keys(Keys.ENTER).perform()
    settle(driver)
    assert query_of(driver)["kommune"] == ["0301"]
    # A checkbox, with the space bar.
    box = tab_to(lambda e: e.get_attribute("type") == "checkbox")
    name, value = box.get_attribute("name"), box.get_attribute("value")
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    settle(driver)
    assert query_of(driver)[name] == [value]
    # Clear all filters.
    tab_to(lambda e: e.get_attribute("id") == "search-clear")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    settle(driver)
    assert set(query_of(driver)) == {"q"}
    # Show more results: focus moves to the first new one.
    open_search(driver, server, "/sok/")
    assert len(result_ids(driver)) == 10
    tab_to(lambda e: e.get_attribute("id") == "search-more", limit=400)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, lambda: len(result_ids(driver)) == 20)
    eleventh = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")[10]
    wait(driver, lambda: active() == eleventh, message="focus did not move to the first new result")


def test_front_page_search_lands_on_results(driver, server):
    driver.get(server.url("/nn/"))
    box = driver.find_element(By.ID, "q")
    box.send_keys("hjartekurs")
    box.send_keys(Keys.ENTER)
    wait(driver, lambda: "/nn/sok/" in driver.current_url)
    ready(driver)
    assert query_of(driver) == {"q": ["hjartekurs"]}
    assert driver.find_element(By.ID, "q").get_attribute("value") == "hjartekurs"
    link = driver.find_element(By.CSS_SELECTOR, "#search-results .card-title a")
    assert link.text.startswith("Hjartekurs")
    assert link.get_attribute("href").endswith("/nn/tilbud/lms-helse-vest-sykehus/hjertekurs/")


def test_english_page_has_english_facets(driver, server):
    open_search(driver, server, "/en/sok/?q=sleep")
    legends = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#search-facets legend")]
    assert "Topic" in legends and "Audience" in legends
    assert driver.find_element(By.CSS_SELECTOR, 'label[for="facet-kommune"]').text == "Municipality or postcode"
    assert re.match(r"\d+ offers? match", driver.find_element(By.ID, "search-count").text)
    first = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")
    # Offers without an English text say which language they are in.
    assert any(a.get_attribute("lang") == "nb" for a in first) or all(a.get_attribute("lang") in (None, "") for a in first)


def page_exists(site, href):
    path = urllib.parse.urlparse(href).path
    return os.path.exists(os.path.join(site, path.lstrip("/"), "index.html"))


def test_results_link_to_pages_that_exist(driver, server, site):
    # No English text, so no English page: the result links to the bokmål page and is marked as bokmål.
    open_search(driver, server, "/en/sok/?q=snusfri+digitalt+sluttekurs")
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")
    link = [a for a in links if "snusfri-digitalt-sluttekurs" in a.get_attribute("href")][0]
    href = link.get_attribute("href")
    assert urllib.parse.urlparse(href).path == "/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/"
    assert link.get_attribute("lang") == "nb"
    assert link.get_attribute("hreflang") == "nb"
    summary = link.find_element(By.XPATH, "ancestor::li[1]//*[@data-slot='summary']")
    assert summary.get_attribute("lang") == "nb"
    # Labelled as the lists label it.
    label = link.find_element(By.XPATH, "ancestor::h3[1]//*[@data-slot='lang']")
    assert label.is_displayed() and label.text == "(in Norwegian)"
    assert page_exists(site, href)
    assert not page_exists(site, "/en/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/")
    # Translated into English: the English page, with no language marks.
    open_search(driver, server, "/en/sok/?q=sov+godt")
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")
    link = [a for a in links if a.get_attribute("href").endswith("/frisklivssentralen-oslo-grunerlokka/sov-godt/")][0]
    assert urllib.parse.urlparse(link.get_attribute("href")).path == "/en/tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/"
    assert link.get_attribute("lang") in (None, "") and link.get_attribute("hreflang") in (None, "")
    assert not link.find_elements(By.XPATH, "ancestor::h3[1]//*[@data-slot='lang']")
    assert page_exists(site, link.get_attribute("href"))
    # Every result on a page of each language links to a page that is there, marked when not in the page's language.
    for lang in ("nb", "nn", "en"):
        open_search(driver, server, ("/" if lang == "nb" else "/%s/" % lang) + "sok/?q=kurs")
        links = driver.find_elements(By.CSS_SELECTOR, "#search-results .card-title a")
        assert links
        for a in links:
            href = a.get_attribute("href")
            assert page_exists(site, href), href
            other = urllib.parse.urlparse(href).path.split("/")[1] not in ("nn", "en")
            if lang != "nb" and other:
                assert a.get_attribute("lang") == "nb" and a.get_attribute("hreflang") == "nb", href
            else:
                assert a.get_attribute("hreflang") in (None, ""), href


@pytest.mark.parametrize("case", RELEVANCE, ids=lambda c: "%s:%s:%s" % (c["kind"], c.get("lang", "nb"), c["q"]))
def test_relevance_end_to_end(driver, server, case):
    if case.get("needs"):
        pytest.skip("needs %s" % case["needs"])
    params = [("q", case["q"])]
    for key, values in (case.get("filters") or {}).items():
        params += [(key, v) for v in values]
    lang = case.get("lang", "nb")
    path = ("/" if lang == "nb" else "/%s/" % lang) + "sok/?" + urllib.parse.urlencode(params)
    open_search(driver, server, path)
    top = result_ids(driver, 5)
    for offer in case["top5"]:
        assert offer in top, "%r: %s not in the top five %s" % (case["q"], offer, top)
    if case.get("most") is not None:
        count = driver.execute_script("return window.tilbudSearch.search(arguments[0], {}).then(r => r.docs.length)", case["q"])
        assert count <= case["most"], "%r finds %d offers, more than %d" % (case["q"], count, case["most"])


def test_nynorsk_results_label_offers_in_bokmal(driver, server):
    open_search(driver, server, "/nn/sok/?q=snusfri+digitalt+sluttekurs")
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#search-results [data-slot='lang']") if e.is_displayed()]
    assert labels and all(t == "(på bokmål)" for t in labels)


def test_language_facet_finds_offers_held_in_arabic(driver, server):
    open_search(driver, server, "/sok/?sprak=ar")
    ids = result_ids(driver)
    assert "frisklivssentralen-oslo-grunerlokka/bra-mat-for-bedre-helse-arabisk-somali" in ids
    assert "laering-og-mestring-stavanger/leve-med-diabetes-type-2" in ids
    box = driver.find_element(By.CSS_SELECTOR, '[data-facet="sprak"]')
    assert box.find_element(By.TAG_NAME, "legend").text == "Språk"
    assert driver.find_element(By.ID, "facet-sprak-" + str(
        [e.get_attribute("value") for e in box.find_elements(By.CSS_SELECTOR, "input")].index("ar"))).is_selected()


def test_typing_updates_results_quickly_once_loaded(driver, server):
    open_search(driver, server, "/sok/")
    box = driver.find_element(By.ID, "q")
    box.send_keys("trening")
    settle(driver)
    driver.execute_script("""
        window.__lat = [];
        document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
        document.addEventListener('tilbud:results', () => { if (window.__t0) { window.__lat.push(performance.now() - window.__t0); window.__t0 = 0; } });
    """)
    for ch in " osl":
        box.send_keys(ch)
        settle(driver, quiet=0.2)
    lat = driver.execute_script("return window.__lat")
    assert len(lat) == 4
    print("keypress to results (ms):", [round(x, 1) for x in lat])
    # 50 ms is the target (scripts/bench-search.sh measures it on 10,000 offers); a loaded CI machine gets slack.
    assert sorted(lat)[len(lat) // 2] < 250


def test_first_query_fetches_only_what_it_needs(server):
    d = new_driver()
    try:
        server.take()
        d.get(server.url("/sok/"))
        wait(d, lambda: d.find_element(By.ID, "search").get_attribute("data-state") == "ready")
        d.find_element(By.ID, "q").send_keys("søvn")
        wait(d, lambda: "sov-godt" in " ".join(a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#search-results a")))
        time.sleep(0.5)
        log = [(p, n) for p, n in server.take() if "/sok/indeks/" in p]
    finally:
        d.quit()
    shards = [p for p, _ in log if re.search(r"/t\d+\.bin$", p)]
    manifest = json.loads(open(os.path.join(server.root, "sok", "indeks", "manifest.json")).read())
    total_shards = len([f for f in os.listdir(os.path.join(server.root, "sok", "indeks", manifest["dir"])) if f.startswith("t")])
    assert 1 <= len(shards) <= max(2, total_shards // 2), shards
    assert all(p.startswith("/sok/indeks/") for p, _ in log), "only the nb index is fetched"


def test_no_javascript_says_so_and_links_to_browsing(server):
    d = new_driver(javascript=False)
    try:
        d.get(server.url("/sok/?q=s%C3%B8vn"))
        text = d.find_element(By.TAG_NAME, "main").text
        assert "Søket trenger JavaScript" in text
        assert d.find_element(By.LINK_TEXT, "Søvn").get_attribute("href").endswith("/tema/sovn/")
        assert d.find_element(By.CSS_SELECTOR, 'main a[href="/kommune/"]').is_displayed()
        assert not d.find_element(By.CSS_SELECTOR, ".search-layout").is_displayed()
    finally:
        d.quit()


@pytest.mark.parametrize("path", ["/sok/?q=s%C3%B8vn&kommune=0301", "/nn/sok/?q=trening&tema=fysisk-aktivitet", "/en/sok/?q=diabetes"])
def test_axe_finds_no_serious_or_critical_violations(driver, server, axe_source, path):
    open_search(driver, server, path)
    assert result_ids(driver), "results must be shown"
    driver.execute_script(axe_source)
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));
    """)
    assert isinstance(result, list), result
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
