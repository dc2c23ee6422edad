"""docs/hosting/nginx.conf and docs/hosting/apache.conf, as documented, in front of the built site: real
nginx and Apache (Debian) on a loopback port, and the headers of real responses: CORS and media types on the API,
long cache lives for content-hashed files, short ones for pages, each language's 404 page. Also the _headers and _redirects files the build writes for other hosts."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tilbud_build import find_binary

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base, process, work, log):
    for _ in range(200):
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(base, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.05)
    error = (work / log).read_text(errors="replace") if (work / log).exists() else ""
    pytest.fail(f"the server did not start: {error[-2000:]}")


def start_nginx(site_root, work, port):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is needed: run e2e/setup.sh site (Debian nginx-light)")
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
    return subprocess.Popen([binary, "-c", str(work / "nginx.conf"), "-p", str(work)], stderr=subprocess.DEVNULL), "error.log"


APACHE_MODULES = ["mpm_event", "authz_core", "dir", "mime", "headers", "rewrite"]


def start_apache(site_root, work, port):
    binary = shutil.which("apache2") or "/usr/sbin/apache2"
    if not Path(binary).exists():
        pytest.fail("Apache is needed: run e2e/setup.sh site (Debian apache2-bin)")
    root = site_root
    user = ""
    if os.geteuid() == 0:
        # Apache will not serve as root: its workers run as nobody, who cannot read a private temporary folder, so
        # they serve a world-readable copy of the site.
        root = work / "site"
        shutil.copytree(site_root, root)
        for folder in [work, root, *[p for p in root.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)
        user = "User nobody\nGroup nogroup"
    server = (ROOT / "docs/hosting/apache.conf").read_text(encoding="utf-8")
    server = server.replace("__ROOT__", str(root)).replace("__LISTEN__", f"127.0.0.1:{port}")
    modules = "\n".join(f"LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so" for m in APACHE_MODULES)
    (work / "httpd.conf").write_text(f"""
ServerRoot {work}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
{user}
{modules}
TypesConfig /etc/mime.types
{server}
""", encoding="utf-8")
    return subprocess.Popen([binary, "-f", str(work / "httpd.conf"), "-DFOREGROUND"], stderr=subprocess.DEVNULL), "error.log"


@pytest.fixture(scope="module", params=["nginx", "apache"])
def server(request, site_root):
    """The site behind real nginx or Apache, each run with its config from docs/hosting/ as documented."""
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix=f"tilbud-{request.param}-"))
    start = start_nginx if request.param == "nginx" else start_apache
    process, log = start(site_root, work, port)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(base, process, work, log)
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


def test_api_has_cors_json_types_and_preflight(server):
    status, h, _ = get(server + "api/v1/offers.json")
    assert status == 200 and h["Access-Control-Allow-Origin"] == "*"
    assert h["Content-Type"].startswith("application/json")
    status, h, _ = get(server + "api/v1/offers.json", method="OPTIONS")
    assert status == 204 and "GET" in h["Access-Control-Allow-Methods"]
    status, h, _ = get(server + "api/fhir/R4/HealthcareService.ndjson")
    assert status == 200 and h["Content-Type"].startswith("application/fhir+ndjson") and h["Access-Control-Allow-Origin"] == "*"
    status, h, body = get(server + "api/fhir/R4/$bulk-publish")
    assert status == 200 and h["Content-Type"].startswith("application/json") and json.loads(body)["output"]


def test_hashed_files_live_long_and_pages_short(server, site_root):
    css = next((site_root / "assets").glob("style.*.css")).name
    _, h, _ = get(server + "assets/" + css)
    assert "immutable" in h["Cache-Control"] and h["X-Content-Type-Options"] == "nosniff"
    chunk = next(p for p in (site_root / "sok/indeks").iterdir() if p.is_dir())
    a_file = next(f for f in chunk.rglob("*") if f.is_file())
    _, h, _ = get(server + a_file.relative_to(site_root).as_posix())
    assert "immutable" in h["Cache-Control"]
    _, h, _ = get(server + "sok/indeks/manifest.json")
    assert h["Cache-Control"] == "no-cache" and h["Content-Type"].startswith("application/json")
    _, h, _ = get(server)
    assert h["Cache-Control"] == "public, max-age=300" and h["Content-Type"].startswith("text/html")
    ics = next(site_root.glob("tilbud/*/*/kalender.ics")).relative_to(site_root).as_posix()
    _, h, _ = get(server + ics)
    assert h["Content-Type"].startswith("text/calendar")


def test_missing_pages_get_their_languages_404(server):
    for prefix, lang in [("", "nb"), ("nn/", "nn"), ("en/", "en")]:
        status, _, body = get(server + prefix + "finnes-ikke/")
        assert status == 404
        assert f'lang="{lang}"' in body.decode("utf-8")[:300], prefix


def test_the_build_writes_headers_and_redirects_for_netlify_and_cloudflare(site_root):
    headers = (site_root / "_headers").read_text(encoding="utf-8")
    assert "/api/v1/*\n  Access-Control-Allow-Origin: *" in headers
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    redirects = (site_root / "_redirects").read_text(encoding="utf-8")
    assert "/en/*  /en/404.html  404" in redirects


# GitHub Pages: the documented workflow, checked against GitHub's workflow schema, and its build step run as written
# for a project site (https://<owner>.github.io/<repository>/): every link of the built site must stay under that path.

WORKFLOW = ROOT / "docs/hosting/github-pages.yml"
PAGES_HOST = "https://example.github.io"
PAGES_BASE = PAGES_HOST + "/catalog"


def validate_workflow(path):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True)


def test_the_documented_workflows_are_valid_github_workflows(tmp_path):
    result = validate_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    # The catalog is checked out with its whole history (the offers' dates come from it), and tilbud's reading of the
    # history is kept where tilbud looks for it.
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout") and "repository" not in s.get("with", {}))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/cache") and s["with"]["path"] == ".git/tilbud/history" for s in steps)
    # The pull-request check in docs/github-actions.md too.
    block = re.search(r"```yaml\n(.*?)```", (ROOT / "docs/github-actions.md").read_text(encoding="utf-8"), re.S)
    (tmp_path / "check.yml").write_text(block.group(1), encoding="utf-8")
    result = validate_workflow(tmp_path / "check.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    # The validator is not lenient: a step with neither `uses` nor `run` is refused.
    broken = WORKFLOW.read_text(encoding="utf-8").replace("run: .tilbud/scripts/deps.sh", "runs: .tilbud/scripts/deps.sh")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    assert validate_workflow(tmp_path / "broken.yml").returncode != 0


LINK = re.compile(r'\s(?:href|src|action|content|data-[a-z-]+)="([^"]*)"')


def test_the_pages_build_step_as_written_makes_a_site_whose_links_stay_under_its_path(tmp_path):
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    step = next(s for s in steps if s.get("name") == "Build the site")
    # A catalog repository as the workflow sees it: content/ at the top, tilbud checked out and built in .tilbud/.
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "content", catalog / "content")
    shutil.copytree(ROOT / "templates", catalog / ".tilbud/templates")
    (catalog / ".tilbud/.build/release").mkdir(parents=True)
    (catalog / ".tilbud/.build/release/tilbud").symlink_to(find_binary())
    env = {**os.environ, "BASE_URL": PAGES_BASE, "SOURCE_DATE_EPOCH": "1795737600"}  # 2026-11-27
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"].rstrip() + " --quiet"], cwd=catalog, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = catalog / "public"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    prefix = "/catalog/"
    missing, outside, checked = set(), set(), 0
    for page in pages:
        for url in LINK.findall(page.read_text(encoding="utf-8")):
            if url.startswith(PAGES_HOST + "/"):
                url = url[len(PAGES_HOST):]   # an absolute link (canonical, alternates, og:url) by its path
            if not url.startswith("/") or url.startswith("//"):
                continue
            if not url.startswith(prefix):
                outside.add((page.relative_to(site).as_posix(), url))
                continue
            checked += 1
            path = url[len(prefix):].split("#")[0].split("?")[0]
            target = site / path
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.add((page.relative_to(site).as_posix(), url))
    assert checked > 10 * len(pages)
    assert not outside, f"{len(outside)} links leave {prefix}, e.g. {sorted(outside)[:5]}"
    assert not missing, f"{len(missing)} links lead nowhere under {prefix}, e.g. {sorted(missing)[:5]}"
