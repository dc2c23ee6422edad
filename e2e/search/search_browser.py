"""Headless Chromium and a byte-counting static server for the search tests and the benchmark."""
import functools
import http.server
import os
import shutil
import socketserver
import tempfile
import threading
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def chromium_paths():
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return browser, driver


def new_driver(width=1200, height=1600, javascript=True):
    """A fresh headless Chromium with its own empty profile (nothing cached from an earlier run)."""
    browser, driver = chromium_paths()
    opts = Options()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--disable-background-networking",
                "--window-size=%d,%d" % (width, height)):
        opts.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="tilbud-chromium-")
    opts.add_argument("--user-data-dir=" + profile)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    d = webdriver.Chrome(service=Service(driver), options=opts)
    d.set_script_timeout(30)
    original_quit = d.quit

    def quit_and_clean():
        try:
            original_quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    d.quit = quit_and_clean
    return d


def available():
    browser, driver = chromium_paths()
    return os.path.exists(browser) and os.path.exists(driver)


class CountingServer:
    """A static file server on 127.0.0.1 that records (path, bytes) of every response."""

    def __init__(self, root):
        self.root = root
        self.log = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                super().end_headers()

            def copyfile(self, source, outputfile):
                data = source.read()
                outputfile.write(data)
                with outer.lock:
                    outer.log.append((urllib.parse.unquote(self.path.split("?")[0]), len(data)))

        Handler.extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map)
        Handler.extensions_map.update({".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"})
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def take(self):
        with self.lock:
            out, self.log = self.log, []
        return out

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
