#!/usr/bin/env python3
"""First-query bytes and time to results: Tilbud's search page against Pagefind on the same site.

    python3 e2e/search/bench_search.py --site PUBLIC [--pagefind-site COPY] [--query søvn ...] [--runs 3]

Serves each folder on 127.0.0.1 (a free port) with a server that counts the bytes of every response,
opens the search page in headless Chromium (a fresh profile per run, so nothing is cached), types
the query the way a person does, one key at a time, and waits for the results to settle.

  first query bytes   every search file the browser fetched from opening the page to the first results:
                      Tilbud: search.js and sok/indeks/*; Pagefind: everything under pagefind/
                      (the page's HTML and the site stylesheet are left out on both sides)
  first results ms    the query's last key press -> the results list last changed (cold caches: the query is
                      typed a key every 80 ms into a freshly opened page)
  update ms           typing " oslo" after the query a key at a time, each key press -> the results list's last
                      change before the next key (median over the keys; the new word's files are fetched);
                      then the same keys again once everything they need is loaded

Pagefind is measured through its own UI (pagefind-ui.js, which waits 300 ms after the last key
before searching) and, as `pagefind api`, through pagefind.search() + the first five results' data().
Prints figures; asserts nothing.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from search_browser import CountingServer, new_driver  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


# Records key presses and changes of the results list, in the page.
WATCH = """
const sel = arguments[0];
window.__bench = {keys: [], changes: []};
document.addEventListener('keydown', () => window.__bench.keys.push(performance.now()), true);
const target = document.querySelector(sel);
new MutationObserver(() => window.__bench.changes.push(performance.now()))
  .observe(target, {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href']});
"""


def settle(driver, quiet=1.0, timeout=30):
    """Waits until the results list has not changed for `quiet` seconds; returns the bench record."""
    end = time.time() + timeout
    last_len = -1
    stable_since = time.time()
    while time.time() < end:
        rec = driver.execute_script("return window.__bench")
        n = len(rec["changes"])
        if n != last_len:
            last_len, stable_since = n, time.time()
        elif time.time() - stable_since >= quiet and n > 0:
            return rec
        time.sleep(0.05)
    return driver.execute_script("return window.__bench")


def per_key(driver, element, text, gap=0.6, quiet=1.0):
    """Types `text` a key every `gap` s; per key, ms from the key press to the results' last change before the next key."""
    driver.execute_script("window.__bench.keys = []; window.__bench.changes = [];")
    for ch in text:
        element.send_keys(ch)
        time.sleep(gap)
    rec = settle(driver, quiet=quiet)
    keys, changes = rec["keys"], rec["changes"]
    out = []
    for i, k in enumerate(keys):
        nxt = keys[i + 1] if i + 1 < len(keys) else float("inf")
        inside = [c for c in changes if k <= c < nxt]
        if inside:
            out.append(max(inside) - k)
    return out


def type_keys(element, text, delay=0.08):
    for ch in text:
        element.send_keys(ch)
        time.sleep(delay)


def measure_tilbud(server, query, lang_prefix=""):
    driver = new_driver()
    try:
        driver.get(server.url("/%ssok/" % lang_prefix))
        # Wait for the empty search (all offers) to be shown: part of the first query's cost.
        for _ in range(200):
            if driver.find_element("id", "search").get_attribute("data-state") == "ready":
                break
            time.sleep(0.05)
        driver.execute_script(WATCH, "#search-results")
        box = driver.find_element("id", "q")
        type_keys(box, query)
        rec = settle(driver)
        first_ms = rec["changes"][-1] - rec["keys"][-1]
        results = [a.get_attribute("href") for a in driver.find_elements("css selector", "#search-results .card-title a")][:5]
        log = server.take()
        updates = per_key(driver, box, " oslo")
        update_ms = statistics.median(updates) if updates else float("nan")
        # Loaded: the same keys again, after deleting them, when every file they need is in memory.
        for _ in " oslo":
            box.send_keys(Keys.BACKSPACE)
        settle(driver)
        loaded = per_key(driver, box, " oslo", gap=0.3)
        server.take()
        search_files = [(p, n) for p, n in log if p.startswith("/assets/search.") or "/sok/indeks/" in p]
        return {"bytes": sum(n for _, n in search_files), "files": search_files, "first_ms": first_ms,
                "update_ms": update_ms, "updates": updates, "loaded": loaded, "top": results}
    finally:
        driver.quit()


PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Pagefind</title>
<link rel="stylesheet" href="/pagefind/pagefind-ui.css"></head>
<body><main><h1>Pagefind</h1><div id="pf"></div></main>
<script src="/pagefind/pagefind-ui.js"></script>
<script>new PagefindUI({element: "#pf", showSubResults: false, showImages: false});</script>
</body></html>
"""


def measure_pagefind(server, query):
    driver = new_driver()
    try:
        driver.get(server.url("/pagefind-bench/"))
        for _ in range(200):
            if driver.find_elements("css selector", ".pagefind-ui__search-input"):
                break
            time.sleep(0.05)
        driver.execute_script(WATCH, "#pf")
        box = driver.find_element("css selector", ".pagefind-ui__search-input")
        type_keys(box, query)
        rec = settle(driver, quiet=1.5)
        first_ms = rec["changes"][-1] - rec["keys"][-1]
        results = [a.get_attribute("href") for a in driver.find_elements("css selector", ".pagefind-ui__result-link")][:5]
        log = server.take()
        updates = per_key(driver, box, " oslo", quiet=1.5)
        update_ms = statistics.median(updates) if updates else float("nan")
        for _ in " oslo":
            box.send_keys(Keys.BACKSPACE)
        settle(driver, quiet=1.5)
        loaded = per_key(driver, box, " oslo", quiet=1.5)
        server.take()
        files = [(p, n) for p, n in log if p.startswith("/pagefind/")]
        # The API alone, no UI debounce: a fresh page, search + the first five results' data.
        driver.get(server.url("/pagefind-bench/"))
        time.sleep(0.5)
        api_ms = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            (async () => {
              const pf = await import('/pagefind/pagefind.js');
              await pf.init();
              await pf.search('warmup-none');
              const t0 = performance.now();
              const r = await pf.search(arguments[0]);
              await Promise.all(r.results.slice(0, 5).map(x => x.data()));
              done(performance.now() - t0);
            })().catch(e => done(-1));
        """, query)
        server.take()
        return {"bytes": sum(n for _, n in files), "files": files, "first_ms": first_ms, "update_ms": update_ms,
                "updates": updates, "loaded": loaded, "api_ms": api_ms, "top": results}
    finally:
        driver.quit()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", required=True, help="a folder `tilbud build` wrote")
    ap.add_argument("--pagefind-site", help="a copy of the site with pagefind/ in it")
    ap.add_argument("--query", action="append", help="query to type (repeatable); default: søvn, røykeslutt, kurs oslo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="write the raw figures here")
    args = ap.parse_args()
    queries = args.query or ["søvn", "røykeslutt", "kurs oslo"]

    pf_server = None
    if args.pagefind_site:
        page = os.path.join(args.pagefind_site, "pagefind-bench")
        os.makedirs(page, exist_ok=True)
        with open(os.path.join(page, "index.html"), "w") as f:
            f.write(PAGEFIND_PAGE)
        pf_server = CountingServer(args.pagefind_site)
    server = CountingServer(args.site)
    raw = {}
    try:
        for q in queries:
            raw[q] = {"tilbud": [measure_tilbud(server, q) for _ in range(args.runs)]}
            if pf_server:
                raw[q]["pagefind"] = [measure_pagefind(pf_server, q) for _ in range(args.runs)]
    finally:
        server.close()
        if pf_server:
            pf_server.close()

    med = lambda runs, k: statistics.median(r[k] for r in runs)
    print()
    print("%-14s %-10s %12s %14s %11s %11s" % ("query", "engine", "first KB", "first results", "update", "ratio KB"))
    print("%-14s %-10s %12s %14s %11s %11s" % ("-" * 14, "-" * 10, "-" * 12, "-" * 14, "-" * 11, "-" * 11))
    for q, sides in raw.items():
        tb = med(sides["tilbud"], "bytes")
        pb = med(sides["pagefind"], "bytes") if "pagefind" in sides else None
        print("%-14s %-10s %12.1f %11.0f ms %8.0f ms %11s" % (q, "tilbud", tb / 1024, med(sides["tilbud"], "first_ms"),
                                                             med(sides["tilbud"], "update_ms"),
                                                             "%.2f" % (tb / pb) if pb else "n/a"))
        if pb:
            print("%-14s %-10s %12.1f %11.0f ms %8.0f ms %11s" % ("", "pagefind", pb / 1024, med(sides["pagefind"], "first_ms"),
                                                                 med(sides["pagefind"], "update_ms"), "1.00"))
            print("%-14s %-10s %12s %11.0f ms %11s" % ("", "pf api", "", med(sides["pagefind"], "api_ms"), ""))
    print()
    print("target: tilbud first-query KB <= 0.50 x pagefind; update <= 50 ms once loaded")
    print("per key press, typing \" oslo\" after the query (ms from the key to the results' last change):")
    for q, sides in raw.items():
        for side in ("tilbud", "pagefind"):
            if side not in sides:
                continue
            for what, label in (("updates", "fetching what the new word needs"), ("loaded", "again, everything loaded")):
                ups = [u for r in sides[side] for u in r[what]]
                if ups:
                    print("  %-9s %-14r %-34s median %4.0f, max %4.0f over %d keys" % (side, q, label, statistics.median(ups), max(ups), len(ups)))
    for q, sides in raw.items():
        print("\nfiles for %r, first run:" % q)
        for side in ("tilbud", "pagefind"):
            if side in sides:
                files = sides[side][0]["files"]
                print("  %s: %d files, %.1f KB" % (side, len(files), sum(n for _, n in files) / 1024))
                for p, n in files:
                    print("    %8d  %s" % (n, p))
                print("  %s top 5: %s" % (side, ", ".join(u.split("/tilbud/")[-1].rstrip("/") for u in sides[side][0]["top"])))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
