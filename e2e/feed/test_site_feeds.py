"""Atom feed (feedparser), sitemap and robots.txt (XML parse, every <loc> exists), JSON-LD on offer pages."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import feedparser


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_atom_feed(site, offers):
    feed = feedparser.parse(str(site.path("feed.xml")))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title
    assert any(l.rel == "self" and l.href == site.base + "feed.xml" for l in feed.feed.links)
    listed = sorted(offers["offers"], key=lambda o: (-date.fromisoformat(o["last_reviewed"]).toordinal(), o["id"]))
    expected = listed[:50]
    assert len(feed.entries) == len(expected) <= 50
    for entry, o in zip(feed.entries, expected):
        assert entry.id == o["url"]
        assert entry.title == o["title"]
        assert entry.summary == o["summary"]
        assert entry.updated.startswith(max(o["last_reviewed"], o.get("updated", "")))
        for link in entry.links:
            if link.type == "text/html" or link.type == "application/json":
                assert site.url_to_path(link.href).exists(), link.href
        assert entry.content[0].type == "text/html"
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))


def sitemap_urls(site):
    root = ET.parse(site.path("sitemap.xml")).getroot()
    docs = [root]
    if root.tag == SM + "sitemapindex":
        docs = [ET.parse(site.url_to_path(s.find(SM + "loc").text)).getroot() for s in root.findall(SM + "sitemap")]
    for doc in docs:
        assert doc.tag == SM + "urlset"
        yield from doc.findall(SM + "url")


def test_sitemap_locations_exist(site, offers):
    locs = set()
    for url in sitemap_urls(site):
        loc = url.find(SM + "loc").text
        assert loc not in locs
        locs.add(loc)
        assert site.url_to_path(loc).exists(), loc
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.find(SM + "lastmod").text)
        alternates = url.findall(XHTML + "link")
        if alternates:
            langs = [a.get("hreflang") for a in alternates]
            assert "x-default" in langs
            assert loc in [a.get("href") for a in alternates]
            for a in alternates:
                assert a.get("rel") == "alternate"
                assert site.url_to_path(a.get("href")).exists(), a.get("href")
    # Every listed offer's page and every translation is there; the 404 page is not.
    for o in offers["offers"]:
        assert o["url"] in locs
        for t in o["translations"].values():
            assert t["url"] in locs
    assert site.base + "404.html" not in locs
    assert site.base in locs


def test_sitemap_lastmod_of_offer_pages(site, offer_docs):
    by_url = {d["url"]: d for d in offer_docs.values()}
    for url in sitemap_urls(site):
        d = by_url.get(url.find(SM + "loc").text)
        if d:
            assert url.find(SM + "lastmod").text == max(d["last_reviewed"], d.get("updated", ""))


def test_robots_points_at_the_sitemap(site):
    text = site.path("robots.txt").read_text()
    assert f"Sitemap: {site.base}sitemap.xml" in text.splitlines()


def test_json_ld_on_every_offer_page(site, offer_docs):
    pages = 0
    for d in offer_docs.values():
        urls = [d["url"]] + [t["url"] for t in d["translations"].values()]
        for url in urls:
            html = site.url_to_path(url).read_text(encoding="utf-8")
            blocks = LD_RE.findall(html)
            assert all("<" not in raw and ">" not in raw for raw in blocks)
            # The offer, and the breadcrumbs that lead to it.
            parsed = [json.loads(raw) for raw in blocks]
            crumbs = [b for b in parsed if b.get("@type") == "BreadcrumbList"]
            offers = [b for b in parsed if b.get("@type") != "BreadcrumbList"]
            assert len(offers) == 1 and len(crumbs) == 1, url
            items = crumbs[0]["itemListElement"]
            assert [i["position"] for i in items] == list(range(1, len(items) + 1))
            assert items[-1]["item"] == url and items[0]["item"].startswith(site.base), url
            ld = offers[0]
            pages += 1
            assert ld["@context"] == "https://schema.org"
            assert ld["url"] == url
            dated = bool(d["schedule"]) and not d["ongoing"]
            if dated:
                assert ld["@type"] == "Course"
                assert len(ld["hasCourseInstance"]) == len(d["schedule"])
                # Places written in full once (with an @id) and referred to after: resolve the references.
                places = {}
                for inst in ld["hasCourseInstance"]:
                    locs = inst.get("location", [])
                    for loc in locs if isinstance(locs, list) else [locs]:
                        if loc.get("@type") == "Place" and "@id" in loc:
                            places[loc["@id"]] = loc
                for inst, run in zip(ld["hasCourseInstance"], d["schedule"]):
                    assert inst["@type"] == "CourseInstance"
                    assert inst["startDate"].startswith(run["start"])
                    assert inst["courseMode"] in ("onsite", "online", "blended")
                    if run.get("location"):
                        locs = inst["location"] if isinstance(inst["location"], list) else [inst["location"]]
                        names = [places.get(l.get("@id"), l).get("name") for l in locs]
                        assert run["location"] in names and len([n for n in names if n]) == 1, (d["id"], names)
            else:
                assert ld["@type"] in ("Service", "GovernmentService")
                assert ld["availableChannel"]["@type"] == "ServiceChannel"
            assert ld["provider"]["identifier"]["value"] == d["provider"]["org_number"]
            assert ld["offers"]["priceCurrency"] == "NOK"
    assert pages > 0
