"""Who stands behind the site, and no dead ends: every page of the built bundled catalog names its publisher and links
to the accessibility statement; every internal link and every URL prefix of every page is a page; a shared offer link
has a title, a description and an image; headings do not skip levels; offer pages have breadcrumbs."""

import html.parser
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from tilbud_build import BASE_URL

LANGS = {"": "nb", "nn/": "nn", "en/": "en"}
STATEMENT = {"nb": "/tilgjengelighet/", "nn": "/nn/tilgjengelighet/", "en": "/en/tilgjengelighet/"}
PUBLISHER = {"nb": "Forvaltningen av Helsetilbud", "nn": "Forvaltninga av Helsetilbod", "en": "The Health offers governance body"}


class Page(html.parser.HTMLParser):
    """The links, meta tags, headings, footer text and JSON-LD of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.meta, self.headings, self.jsonld = [], {}, [], []
        self.footer, self.in_footer, self.heading, self.script, self.lang = "", False, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        for name in ("href", "src"):
            if a.get(name) and tag in ("a", "link", "img", "script"):
                self.links.append(a[name])
        if tag == "meta" and a.get("content") is not None:
            self.meta[a.get("property") or a.get("name")] = a["content"]
        if tag == "footer":
            self.in_footer = True
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = [int(tag[1]), ""]
        if tag == "script" and a.get("type") == "application/ld+json":
            self.script = ""

    def handle_endtag(self, tag):
        if tag == "footer":
            self.in_footer = False
        if self.heading and tag == f"h{self.heading[0]}":
            self.headings.append((self.heading[0], self.heading[1].strip()))
            self.heading = None
        if tag == "script" and self.script is not None:
            self.jsonld.append(json.loads(self.script))
            self.script = None

    def handle_data(self, data):
        if self.in_footer:
            self.footer += data
        if self.heading:
            self.heading[1] += data
        if self.script is not None:
            self.script += data


def parse(path):
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="session")
def pages(site_root):
    """Every HTML page of the built site, parsed, by its root-relative URL path ("/", "/tema/", "/404.html")."""
    out = {}
    for f in sorted(site_root.rglob("*.html")):
        rel = f.relative_to(site_root).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        out[url] = parse(f)
    return out


def resolves(site_root, path):
    """True when a root-relative URL path is a file of the site, or a folder with an index.html."""
    target = site_root / unquote(path).lstrip("/")
    return (path.endswith("/") and (target / "index.html").is_file()) or (not path.endswith("/") and target.is_file())


def language(url):
    for prefix in ("nn/", "en/"):
        if url.startswith("/" + prefix):
            return LANGS[prefix]
    return "nb"


def test_every_page_names_its_publisher_and_links_to_the_accessibility_statement(pages):
    assert len(pages) > 1000
    missing = [url for url, p in pages.items()
               if PUBLISHER[language(url)] not in p.footer or STATEMENT[language(url)] not in p.links]
    assert not missing, missing[:10]
    print(f"{len(pages)} pages name their publisher and link to the accessibility statement")


def test_no_internal_link_and_no_url_prefix_is_a_404(site_root, pages):
    """Walks every href and src of every page, and every folder above every page, against the files written."""
    base = urlparse(BASE_URL)
    links, dead = set(), []
    for url, p in pages.items():
        for href in p.links:
            target = urlparse(urljoin(BASE_URL.rstrip("/") + url, href))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            links.add(target.path)
    for path in sorted(links):
        if not resolves(site_root, path):
            dead.append(path)
    prefixes = set()
    for url in pages:
        parts = url.strip("/").split("/")
        for n in range(len(parts) - (0 if url.endswith("/") else 1)):
            prefixes.add("/" + "/".join(parts[:n]) + ("/" if n else ""))
    dead_prefixes = [p for p in sorted(prefixes) if not resolves(site_root, p)]
    print(f"link walk: {len(pages)} pages, {sum(len(p.links) for p in pages.values())} links to "
          f"{len(links)} internal addresses, {len(prefixes)} URL prefixes; dead: {len(dead)} links, {len(dead_prefixes)} prefixes")
    assert not dead, dead[:20]
    assert not dead_prefixes, dead_prefixes[:20]
    for index in ("/tema/", "/type/", "/malgruppe/", "/tilbyder/", "/tilbud/", "/nn/tilbud/", "/en/tilbyder/"):
        assert index in prefixes and resolves(site_root, index), index


def test_a_shared_offer_link_has_its_title_description_and_image(site_root, pages, sample_pages):
    url = "/" + sample_pages["offer nb"][: -len("index.html")]
    p = pages[url]
    h1 = next(text for level, text in p.headings if level == 1)
    assert p.meta["og:title"] == h1 == p.meta["twitter:title"]
    assert p.meta["og:description"] == p.meta["description"] == p.meta["twitter:description"] and p.meta["og:description"]
    assert p.meta["og:url"] == BASE_URL.rstrip("/") + url
    assert p.meta["og:type"] == "article" and p.meta["twitter:card"] == "summary_large_image"
    image = p.meta["og:image"]
    assert image.startswith(BASE_URL) and image == p.meta["twitter:image"]
    data = (site_root / image[len(BASE_URL):]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
        int(p.meta["og:image:width"]), int(p.meta["og:image:height"]))
    # Every page has the tags, with absolute URLs from the base URL, and a favicon.
    for url, p in pages.items():
        assert p.meta.get("og:title") and p.meta.get("og:image", "").startswith(BASE_URL), url
        assert p.meta.get("og:locale") == {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}[language(url)], url
        assert any(re.fullmatch(r"/assets/site-logo\.[0-9a-f]+\.svg", link) for link in p.links), url


def test_the_sitemap_lists_the_index_pages_and_the_pages_about_the_site(site_root):
    sitemap = (site_root / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for path in ("tema/", "type/", "malgruppe/", "tilbyder/", "tilbud/", "om-nettstedet/", "personvern/", "tilgjengelighet/"):
        for prefix in LANGS:
            assert BASE_URL + prefix + path in locs, prefix + path
    providers = [p.name for p in (site_root / "tilbud").iterdir() if p.is_dir()]
    assert providers and all(BASE_URL + f"tilbud/{p}/" in locs for p in providers)


def test_headings_never_skip_a_level(pages):
    skipped = []
    for url, p in pages.items():
        levels = [level for level, _ in p.headings]
        if levels[:1] != [1] or levels.count(1) != 1:
            skipped.append((url, levels[:6]))
            continue
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                skipped.append((url, f"h{before} → h{after}"))
                break
    assert not skipped, skipped[:10]


def test_the_search_page_heading_is_not_the_field_label(site_root):
    for prefix in LANGS:
        text = (site_root / prefix / "sok" / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1>([^<]+)</h1>", text).group(1)
        label = re.search(r'<label for="q">([^<]+)</label>', text).group(1)
        assert h1 != label, (prefix, h1)


def norwegian_key(name):
    return name.lower().translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def test_counties_are_in_norwegian_alphabetical_order(site_root):
    text = (site_root / "kommune" / "index.html").read_text(encoding="utf-8")
    counties = re.findall(r'<h2 id="fylke-\d+">([^<]+)</h2>', text)
    assert len(counties) >= 15
    assert counties == sorted(counties, key=norwegian_key)
    assert counties[-1] == "Østfold", counties  # ø after z: not where a byte or English order puts it
    front = (site_root / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<summary>([^<]+?)(?: <span|</summary>)", front) == counties


def test_index_pages_list_providers_in_norwegian_order_with_counts(site_root):
    text = (site_root / "tilbyder" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li><a href="/tilbyder/([^/]+)/">([^<]+)</a> <span class="count">\((\d+)\)</span></li>', text)
    assert len(items) == len([p for p in (site_root / "tilbyder").iterdir() if p.is_dir()])
    names = [name for _, name, _ in items]
    assert names == sorted(names, key=norwegian_key)
    topics = (site_root / "en" / "tema" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="/en/tema/sovn/">Sleep</a> <span class="count">\(\d+\)</span>', topics)


def test_offer_pages_have_breadcrumbs_with_breadcrumblist_json_ld(pages):
    offers = [url for url in pages if re.fullmatch(r"/(nn/|en/)?tilbud/[^/]+/[^/]+/", url)]
    assert offers
    for url in offers:
        p = pages[url]
        trail = [ld for ld in p.jsonld if ld.get("@type") == "BreadcrumbList"]
        assert len(trail) == 1, url
        items = trail[0]["itemListElement"]
        prefix = url[: url.index("tilbud/")]
        assert [i["item"] for i in items] == [BASE_URL.rstrip("/") + x for x in
                                             (prefix, prefix + "tilbud/", url.rsplit("/", 2)[0] + "/", url)], url
        for i in items[:-1]:
            assert urlparse(i["item"]).path in p.links, (url, i)
