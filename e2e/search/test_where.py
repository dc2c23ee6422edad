"""Where and when on the search page, the phone filter panel, and the lists (bundled catalog, headless Chromium).

Run `bash e2e/setup.sh search` first; the site is built with --today 2026-11-27 (see conftest.py).
"""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from search_browser import new_driver
from test_search import open_search, ready, result_ids, settle, query_of, wait

KOLS_NATIONAL = ["pusteforbundet/digitalt-likepersontilbud-kols", "pusteforbundet/pust-bedre-digital-trening"]


def groups(driver):
    """(ids before the "nearest elsewhere" heading, ids after it, the km shown on those after), every page shown."""
    for _ in range(20):
        more = driver.find_element(By.ID, "search-more")
        if not more.is_displayed():
            break
        n = len(driver.find_elements(By.CSS_SELECTOR, "#search-results > li"))
        more.click()
        wait(driver, lambda: len(driver.find_elements(By.CSS_SELECTOR, "#search-results > li")) > n)
    items = driver.find_elements(By.CSS_SELECTOR, "#search-results > li")
    before, after, km, past = [], [], [], False
    for li in items:
        if "search-divider" in li.get_attribute("class"):
            past = True
            continue
        href = li.find_element(By.CSS_SELECTOR, ".card-title a").get_attribute("href")
        oid = re.sub(r"^.*/tilbud/", "", href).rstrip("/")
        if past:
            after.append(oid)
            km.append(li.find_element(By.CSS_SELECTOR, '[data-slot="distance"]').text)
        else:
            before.append(oid)
    return before, after, km


def test_any_municipality_is_chosen_with_its_national_offers_and_the_nearest_others(driver, server):
    # Kvinesdal has no local offers: it is still chosen, with the national offers, then the nearest others with km.
    open_search(driver, server, "/sok/?kommune=4227")
    assert driver.find_element(By.ID, "facet-kommune").get_attribute("value") == "Kvinesdal"
    before, after, km = groups(driver)
    assert before, "the national offers serve Kvinesdal"
    count = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    assert count >= len(before)  # more may be behind "Vis flere"
    heading = driver.find_element(By.CSS_SELECTOR, ".search-divider h3").text
    assert "Kvinesdal" in heading
    assert after and all(re.match(r"^\d[\d\s]* km unna$", k) for k in km), km
    distances = [int(re.sub(r"\D", "", k)) for k in km]
    assert distances == sorted(distances)
    # The nearest local offers to Kvinesdal are in Agder and Rogaland, long before Oslo or Alta.
    assert after[0].startswith(("parorendeforeningen-agder/", "laering-og-mestring-stavanger/", "sentrum")), after
    assert distances[0] < 200


def test_rokeslutt_in_kvinesdal_shows_no_oslo_or_alta_course_before_the_national_ones(driver, server):
    open_search(driver, server, "/sok/?q=r%C3%B8yk&kommune=4227")
    before, after, _ = groups(driver)
    assert "nasjonalt-senter-digital-mestring/royk-og-snusfri-app" in before
    assert not any(i.startswith(("frisklivssentralen-oslo", "friskliv-og-mestring-alta")) for i in before)
    assert "frisklivssentralen-oslo-grunerlokka/tobakksfri" in after


def test_a_place_name_in_the_query_becomes_the_location_filter(driver, server):
    open_search(driver, server, "/sok/?q=kols+bergen")
    assert query_of(driver) == {"q": ["kols"], "kommune": ["4601"]}
    assert driver.find_element(By.ID, "q").get_attribute("value") == "kols"
    assert driver.find_element(By.ID, "facet-kommune").get_attribute("value") == "Bergen"
    before, _, _ = groups(driver)
    assert "lms-helse-vest-sykehus/kols-skole" in before
    for offer in KOLS_NATIONAL:
        assert offer in before, before
    chip = driver.find_element(By.CSS_SELECTOR, "#search-applied button")
    assert chip.text.startswith("Bergen")


def test_typing_a_place_filters_without_eating_the_words_while_typing(driver, server):
    open_search(driver, server, "/sok/")
    box = driver.find_element(By.ID, "q")
    box.send_keys("søvn trondheim")
    settle(driver)
    assert box.get_attribute("value") == "søvn trondheim", "the field is not rewritten while typing"
    before, _, _ = groups(driver)
    assert "nasjonalt-senter-digital-mestring/sov-bedre-digitalt-sovnprogram" in before
    box.send_keys(Keys.ENTER)
    settle(driver)
    assert query_of(driver) == {"q": ["søvn"], "kommune": ["5001"]}


def test_words_that_are_also_place_names_stay_words(driver, server):
    # "time" is a vocabulary word (an appointment), "ha" a stop word; "Ås" spelt as such is the municipality.
    for q in ("time", "ha trening"):
        open_search(driver, server, "/sok/?q=" + q.replace(" ", "+"))
        assert "kommune" not in query_of(driver), q
    open_search(driver, server, "/sok/?q=trening+%C3%A5s")
    assert query_of(driver) == {"q": ["trening"], "kommune": ["3218"]}


def test_a_postcode_in_the_query_filters_by_its_municipality(driver, server):
    open_search(driver, server, "/sok/?q=kols+5003")
    assert query_of(driver) == {"q": ["kols"], "kommune": ["4601"]}
    before, _, _ = groups(driver)
    assert "lms-helse-vest-sykehus/kols-skole" in before


def test_the_place_field_takes_a_name_a_sami_name_or_a_postcode(driver, server):
    open_search(driver, server, "/sok/")
    field = driver.find_element(By.ID, "facet-kommune")
    assert driver.find_element(By.ID, "facet-kommune-list").get_attribute("childElementCount") == "357"
    for typed, code in (("4480", "4227"), ("Guovdageaidnu", "5612"), ("Kautokeino", "5612"), ("Bergen", "4601")):
        field.clear()
        field.send_keys(typed)
        field.send_keys(Keys.ENTER)
        wait(driver, lambda: query_of(driver).get("kommune") == [code], message="%s -> %s: %s" % (typed, code, driver.current_url))
    field.clear()
    field.send_keys("Atlantis")
    field.send_keys(Keys.ENTER)
    wait(driver, lambda: "Atlantis" in driver.find_element(By.ID, "facet-kommune-msg").text)


def test_near_me_asks_only_when_pressed_and_sorts_by_distance(driver, server):
    open_search(driver, server, "/sok/?q=kurs")
    # Nothing asked for the position before the button is pressed.
    driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["geolocation"], "origin": server.url("/").rstrip("/")})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 69.65, "longitude": 18.96, "accuracy": 50})  # Tromsø
    url = driver.current_url
    driver.find_element(By.ID, "search-near").click()
    settle(driver)
    assert driver.current_url == url, "the position is never put in the URL"
    ids = result_ids(driver)
    local = [i for i in ids if not i.startswith(("nasjonalt", "pusteforbundet", "selvhjelp"))]
    assert local and local[0].startswith("frisklivssentralen-tromso/"), ids
    assert driver.find_element(By.ID, "search-sort").get_attribute("value") == "avstand"


def test_start_date_filter_and_sort(driver, server):
    open_search(driver, server, "/sok/")
    everything = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    driver.find_element(By.CSS_SELECTOR, 'label[for="facet-oppstart-1"]').click()  # within 30 days
    settle(driver)
    assert query_of(driver) == {"oppstart": ["30"]}
    soon = int(re.sub(r"\D", "", driver.find_element(By.ID, "search-count").text))
    assert 0 < soon < everything
    times = [t.get_attribute("datetime") for t in driver.find_elements(By.CSS_SELECTOR, "#search-results time")]
    assert all(t[:10] <= "2026-12-27" for t in times), times
    driver.find_element(By.CSS_SELECTOR, 'label[for="facet-oppstart-3"]').click()  # continuous intake
    settle(driver)
    whens = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '#search-results [data-slot="when"]')]
    assert whens and all(w == "Løpende oppstart" for w in whens), whens
    open_search(driver, server, "/sok/?sorter=start")
    times = [t.get_attribute("datetime")[:10] for t in driver.find_elements(By.CSS_SELECTOR, "#search-results time")]
    assert times == sorted(times)


def test_phone_filters_open_over_the_results_with_show_n_results(server, axe_source):
    d = new_driver(width=375, height=740)
    try:
        d.get(server.url("/sok/?q=trening"))
        ready(d)
        results = d.find_element(By.ID, "search-results")
        top = results.rect["y"]
        assert top < 740, "the results start on the first screen"
        d.find_element(By.CSS_SELECTOR, "#search-filters summary").click()
        show = d.find_element(By.ID, "search-show")
        wait(d, lambda: show.is_displayed())
        # The button is on screen while the panel is open.
        assert 0 <= show.rect["y"] and show.rect["y"] + show.rect["height"] <= 740 + 1
        # axe with the panel open.
        d.execute_script(axe_source)
        result = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));
        """)
        bad = [(v["id"], v["impact"]) for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], bad
        label = d.find_element(By.CSS_SELECTOR, 'label[for^="facet-malgruppe"]')
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
        label.click()
        wait(d, lambda: "malgruppe" in d.current_url)
        n = int(re.sub(r"\D", "", show.text))
        show.click()
        wait(d, lambda: not d.find_element(By.ID, "search-filters").get_attribute("open"))
        assert int(re.sub(r"\D", "", d.find_element(By.ID, "search-count").text)) == n
        first = d.find_element(By.CSS_SELECTOR, "#search-results .card-title a")
        assert 0 <= first.rect["y"] < 740, "results are on screen after closing the panel"
        # Applied filters are shown and removed one by one.
        chips = d.find_elements(By.CSS_SELECTOR, "#search-applied button")
        assert len(chips) == 1
        chips[0].click()
        wait(d, lambda: "malgruppe" not in d.current_url)
        assert not d.find_element(By.ID, "search-applied").is_displayed()
    finally:
        d.quit()


def test_lists_show_key_facts_a_sort_and_a_filter_link(driver, server, site):
    import os
    with open(os.path.join(site, "kommune", "4601", "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert 'href="/sok/?kommune=4601"' in html
    for label in ("Gjennomføring", "Pris", "Henvisning", "Neste oppstart"):
        assert "<dt>%s</dt>" % label in html, label
    driver.get(server.url("/kommune/4601/"))
    sort = driver.find_element(By.ID, "list-sort")
    assert sort.is_displayed()
    first_ul = driver.find_element(By.CSS_SELECTOR, "main ul.cards")
    starts = [int(li.get_attribute("data-start")) for li in first_ul.find_elements(By.CSS_SELECTOR, "li.card")]
    assert starts == sorted(starts)
    from selenium.webdriver.support.ui import Select
    Select(sort).select_by_value("title")
    titles = [a.text for a in first_ul.find_elements(By.CSS_SELECTOR, ".card-title a") if a.is_displayed()]
    assert titles == sorted(titles, key=lambda t: t.lower().replace("æ", "{").replace("ø", "|").replace("å", "}"))
    driver.find_element(By.CSS_SELECTOR, ".list-filter a").click()
    wait(driver, lambda: "/sok/" in driver.current_url)
    ready(driver)
    assert driver.find_element(By.ID, "facet-kommune").get_attribute("value") == "Bergen"


def test_long_lists_show_a_part_at_a_time_and_everything_without_javascript(server, site):
    import glob, os
    longest = max(glob.glob(os.path.join(site, "tema", "*", "index.html")), key=lambda p: open(p, encoding="utf-8").read().count('class="card"'))
    path = "/" + os.path.relpath(longest, site).replace("index.html", "")
    total = open(longest, encoding="utf-8").read().count('class="card"')
    assert total > 15, "the bundled catalog has a long topic list"
    d = new_driver(width=375, height=740)
    try:
        d.get(server.url(path))
        visible = [li for li in d.find_elements(By.CSS_SELECTOR, "main li.card") if li.is_displayed()]
        assert len(visible) == 12
        d.find_element(By.CSS_SELECTOR, ".list-more").click()
        visible = [li for li in d.find_elements(By.CSS_SELECTOR, "main li.card") if li.is_displayed()]
        assert len(visible) == min(total, 36)
    finally:
        d.quit()
    d = new_driver(javascript=False)
    try:
        d.get(server.url(path))
        assert len([li for li in d.find_elements(By.CSS_SELECTOR, "main li.card") if li.is_displayed()]) == total
        assert not d.find_element(By.CSS_SELECTOR, ".list-sort").is_displayed()
    finally:
        d.quit()
