"""docs/hosting/nginx.conf, as documented, in front of the built site: real nginx (Debian) on a loopback port, and the
headers of real responses: CORS and media types on the API, long cache lives for content-hashed files, short ones
for pages, each language's 404 page. Also the _headers and _redirects files the build writes for other hosts."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nginx(site_root):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is needed: run e2e/setup.sh site (Debian nginx-light)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="tilbud-nginx-"))
    server = (ROOT / "docs/hosting/nginx.conf").read_text(encoding="utf-8")
    server = server.replace("__ROOT__", str(site_root)).replace("__LISTEN__", f"127.0.0.1:{port}")
    (work / "server.conf").write_text(server, encoding="utf-8")
    # Run as root (as in this sandbox and some CI), nginx's workers would drop to nobody, who cannot read a private
    # temporary folder: keep them as the user the test runs as.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(f"""
{user}
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/server.conf;
}}
""", encoding="utf-8")
    process = subprocess.Popen([binary, "-c", str(work / "nginx.conf"), "-p", str(work)], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except Exception:
            time.sleep(0.05)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def get(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_api_has_cors_json_types_and_preflight(nginx):
    status, h, _ = get(nginx + "api/v1/offers.json")
    assert status == 200 and h["Access-Control-Allow-Origin"] == "*"
    assert h["Content-Type"].startswith("application/json")
    status, h, _ = get(nginx + "api/v1/offers.json", method="OPTIONS")
    assert status == 204 and "GET" in h["Access-Control-Allow-Methods"]
    status, h, _ = get(nginx + "api/fhir/R4/HealthcareService.ndjson")
    assert status == 200 and h["Content-Type"].startswith("application/fhir+ndjson") and h["Access-Control-Allow-Origin"] == "*"
    status, h, body = get(nginx + "api/fhir/R4/$bulk-publish")
    assert status == 200 and h["Content-Type"].startswith("application/json") and json.loads(body)["output"]


def test_hashed_files_live_long_and_pages_short(nginx, site_root):
    css = next((site_root / "assets").glob("style.*.css")).name
    _, h, _ = get(nginx + "assets/" + css)
    assert "immutable" in h["Cache-Control"] and h["X-Content-Type-Options"] == "nosniff"
    chunk = next(p for p in (site_root / "sok/indeks").iterdir() if p.is_dir())
    a_file = next(f for f in chunk.rglob("*") if f.is_file())
    _, h, _ = get(nginx + a_file.relative_to(site_root).as_posix())
    assert "immutable" in h["Cache-Control"]
    _, h, _ = get(nginx)
    assert h["Cache-Control"] == "public, max-age=300" and h["Content-Type"].startswith("text/html")
    ics = next(site_root.glob("tilbud/*/*/kalender.ics")).relative_to(site_root).as_posix()
    _, h, _ = get(nginx + ics)
    assert h["Content-Type"].startswith("text/calendar")


def test_missing_pages_get_their_languages_404(nginx):
    for prefix, lang in [("", "nb"), ("nn/", "nn"), ("en/", "en")]:
        status, _, body = get(nginx + prefix + "finnes-ikke/")
        assert status == 404
        assert f'lang="{lang}"' in body.decode("utf-8")[:300], prefix


def test_the_build_writes_headers_and_redirects_for_netlify_and_cloudflare(site_root):
    headers = (site_root / "_headers").read_text(encoding="utf-8")
    assert "/api/v1/*\n  Access-Control-Allow-Origin: *" in headers
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    redirects = (site_root / "_redirects").read_text(encoding="utf-8")
    assert "/en/*  /en/404.html  404" in redirects
