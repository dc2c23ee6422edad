#!/usr/bin/env python3
"""MRR and recall@10 of the relevance table (relevance.json), Tilbud's search against Pagefind on the same site.

    python3 e2e/search/relevance_figures.py --site PUBLIC [--pagefind-site COPY] [--json OUT]

PUBLIC is the bundled catalog built with `tilbud build --today 2026-11-27`; COPY is a copy of it indexed by
Pagefind (as scripts/bench-search.sh makes one). Each query of the table runs, in headless Chromium, through
the page's own engine (window.tilbudSearch on /sok/, /nn/sok/ or /en/sok/, with the query's filters) and through
pagefind.search() on a page in the query's language (Pagefind has no filters here, so a query with filters runs
without them). Per query: the reciprocal rank of the first offer in `relevant` (default `top5`) within the first
ten results, and the share of `relevant` among the first ten. Queries that `need` a feature are left out of the
means and counted apart. Prints figures; asserts nothing.
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from search_browser import CountingServer, new_driver  # noqa: E402

TILBUD_QUERY = """
const done = arguments[arguments.length - 1];
const [q, filters] = [arguments[0], arguments[1]];
(async () => {
  for (let i = 0; i < 200 && !window.tilbudSearch; i++) await new Promise(r => setTimeout(r, 50));
  for (let i = 0; i < 200 && document.getElementById('search').getAttribute('data-state') !== 'ready'; i++) await new Promise(r => setTimeout(r, 50));
  const r = await window.tilbudSearch.search(q, filters);
  const rows = await Promise.all(r.docs.slice(0, 10).map(d => window.tilbudSearch.doc(d)));
  done({count: r.docs.length, paths: rows.map(row => row[0])});
})().catch(e => done({error: String(e)}));
"""

PAGEFIND_QUERY = """
const done = arguments[arguments.length - 1];
(async () => {
  if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init(); }
  const r = await window.__pf.search(arguments[0]);
  const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  done({count: r.results.length, paths: data.map(d => d.url)});
})().catch(e => done({error: String(e)}));
"""

PAGE = """<!DOCTYPE html>
<html lang="%s"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><main><h1>Pagefind</h1></main></body></html>
"""


def offer_id(path):
    parts = [p for p in path.split("?")[0].split("/") if p and p != "index.html"]
    return "/".join(parts[-2:])


def score(case, ids):
    relevant = case.get("relevant") or case["top5"]
    rr = next((1.0 / (i + 1) for i, x in enumerate(ids[:10]) if x in relevant), 0.0)
    recall = len([x for x in relevant if x in ids[:10]]) / len(relevant)
    return rr, recall


def run_queries(server, cases, page, script, args):
    """Each case's `script` (called with `args(case)`) on `page(lang)` of `server`, in one headless Chromium."""
    driver = new_driver()
    out = []
    try:
        current = None
        for c in cases:
            lang = c.get("lang", "nb")
            if lang != current:
                driver.get(server.url(page(lang)))
                current = lang
            out.append(driver.execute_async_script(script, *args(c)))
    finally:
        driver.quit()
    return out


def run_tilbud(server, cases):
    return run_queries(server, cases, lambda lang: "/sok/" if lang == "nb" else "/%s/sok/" % lang, TILBUD_QUERY,
                       lambda c: (c["q"], c.get("filters") or {}))


def run_pagefind(server, root, cases):
    for lang in ("nb", "nn", "en"):
        page = os.path.join(root, "pagefind-relevance-%s" % lang)
        os.makedirs(page, exist_ok=True)
        with open(os.path.join(page, "index.html"), "w") as f:
            f.write(PAGE % lang)
    return run_queries(server, cases, lambda lang: "/pagefind-relevance-%s/" % lang, PAGEFIND_QUERY, lambda c: (c["q"],))


def summary(name, cases, runs):
    rows = []
    for c, r in zip(cases, runs):
        ids = [offer_id(p) for p in r.get("paths", [])]
        rr, recall = score(c, ids)
        top5 = all(x in ids[:5] for x in c["top5"])
        most = c.get("most")
        rows.append({"q": c["q"], "lang": c.get("lang", "nb"), "kind": c["kind"], "needs": c.get("needs"), "rr": rr, "recall": recall,
                     "top5": top5, "count": r.get("count", 0), "most_ok": most is None or r.get("count", 0) <= most,
                     "error": r.get("error"), "top": ids[:5]})
    scored = [x for x in rows if not x["needs"]]
    needing = [x for x in rows if x["needs"]]
    mrr = statistics.mean(x["rr"] for x in scored)
    rec = statistics.mean(x["recall"] for x in scored)
    print("%-9s MRR %.3f  recall@10 %.3f  top-5 rows met %d/%d  over %d queries (%d more need a feature: MRR %.3f, recall@10 %.3f)" % (
        name, mrr, rec, sum(x["top5"] for x in scored), len(scored), len(scored), len(needing),
        statistics.mean(x["rr"] for x in needing) if needing else 0, statistics.mean(x["recall"] for x in needing) if needing else 0))
    kinds = sorted({x["kind"] for x in scored})
    for k in kinds:
        ks = [x for x in scored if x["kind"] == k]
        print("    %-12s %2d queries  MRR %.3f  recall@10 %.3f" % (k, len(ks), statistics.mean(x["rr"] for x in ks), statistics.mean(x["recall"] for x in ks)))
    return {"mrr": mrr, "recall10": rec, "rows": rows}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", required=True, help="the bundled catalog as `tilbud build --today 2026-11-27` wrote it")
    ap.add_argument("--pagefind-site", help="a copy of the site with pagefind/ in it")
    ap.add_argument("--table", default=os.path.join(HERE, "relevance.json"))
    ap.add_argument("--json", help="write every query's figures here")
    ap.add_argument("--verbose", action="store_true", help="print every query that misses a relevant offer")
    args = ap.parse_args()
    with open(args.table, encoding="utf-8") as f:
        cases = json.load(f)["queries"]
    cases = sorted(cases, key=lambda c: c.get("lang", "nb"))

    out = {}
    server = CountingServer(args.site)
    try:
        out["tilbud"] = summary("tilbud", cases, run_tilbud(server, cases))
    finally:
        server.close()
    if args.pagefind_site:
        pf = CountingServer(args.pagefind_site)
        try:
            out["pagefind"] = summary("pagefind", cases, run_pagefind(pf, args.pagefind_site, cases))
        finally:
            pf.close()
    if args.verbose:
        for side, res in out.items():
            for x in res["rows"]:
                if x["recall"] < 1 or not x["top5"] or not x["most_ok"] or x["error"]:
                    print("  %-8s %-4s %-32r rr %.2f recall %.2f count %3d%s %s" % (
                        side, x["lang"], x["q"], x["rr"], x["recall"], x["count"], "" if x["most_ok"] else " (too many)",
                        x["error"] or ", ".join(x["top"])))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
