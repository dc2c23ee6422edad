"""The printed handout of an offer: one A4 page in headless Chromium's print, whose QR code (read back from a
rendering of the print layout with zbarimg, Debian zbar-tools) is the offer's address.

The page is opened from the local server; the QR code holds the address on the site's base URL, which the page
also prints beside it.
"""

import base64
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

OFFERS = ["offer nb", "offer en (translated)", "offer ended"]


def page_url(site_root, relative):
    html = (site_root / relative).read_text(encoding="utf-8")
    m = re.search(r'class="page-tools" data-url="([^"]+)"', html)
    assert m, "the offer page has no page address for the handout"
    return m.group(1)


@pytest.fixture(scope="module")
def zbarimg():
    tool = shutil.which("zbarimg")
    if not tool:
        pytest.fail("zbarimg is needed: run e2e/setup.sh site (Debian zbar-tools)")
    return tool


@pytest.mark.parametrize("kind", OFFERS)
def test_an_offer_prints_on_one_a4_page_with_a_qr_code_of_its_address(kind, sample_pages, site_root, server, browser, zbarimg):
    relative = sample_pages[kind]
    want = page_url(site_root, relative)
    browser.get(server + relative)

    # One A4 page (210 × 297 mm), margins as the stylesheet's @page says.
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True,
    })["data"])
    pages = len(re.findall(rb"/Type\s*/Page(?![s])", pdf))
    assert pages == 1, f"{relative} prints on {pages} pages"

    # The QR code in the print layout decodes to the page's address.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        qr = browser.find_element("css selector", ".handout .qr svg")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", qr)
        png = qr.screenshot_as_png
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "qr.png"
        image.write_bytes(png)
        result = subprocess.run([zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True)
    assert result.returncode == 0, f"no QR code found in the print of {relative}: {result.stderr}"
    assert result.stdout.strip() == want


def test_the_print_and_copy_buttons_appear_only_with_javascript(sample_pages, site_root):
    html = (site_root / sample_pages["offer nb"]).read_text(encoding="utf-8")
    assert re.search(r'<p class="page-tools"[^>]* hidden>', html), "without JavaScript the buttons stay hidden"
    assert '<button type="button" data-action="print">Skriv ut</button>' in html
    assert '<button type="button" data-action="copy">Kopier lenke</button>' in html


def test_every_offer_page_prints_on_one_a4_page(site_root, server, browser):
    """Every offer of the bundled catalog, in every language it has a page in, fits its handout on one A4 page."""
    pages = sorted(p.relative_to(site_root).as_posix() for p in site_root.glob("**/tilbud/*/*/index.html"))
    assert len(pages) > 50
    over = []
    for relative in pages:
        browser.get(server + relative)
        pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True,
        })["data"])
        count = len(re.findall(rb"/Type\s*/Page(?![s])", pdf))
        if count != 1:
            over.append(f"{relative}: {count} pages")
    assert not over, "\n".join(over)
