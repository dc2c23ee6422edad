"""What a GP needs: every referral-only offer of the bundled catalog says where to send the referral, and never
asks the patient to sign up themselves."""

import json


def test_every_referral_only_offer_names_its_recipient_and_never_says_sign_up(site_root):
    checked = 0
    for doc_path in sorted((site_root / "api/v1/offers").glob("*/*.json")):
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        if doc["referral"] != "henvisning" or doc["state"] == "ended":
            continue
        page = (site_root / "tilbud" / doc_path.parent.name / doc_path.stem / "index.html").read_text(encoding="utf-8")
        assert "Send henvisningen til" in page, doc["id"]
        assert doc["referral_recipient"]["unit"] in page, doc["id"]
        # The site's own call to action (the offer's text may still explain how the referral works).
        assert '<section class="signup"' not in page and ">Meld deg på<" not in page, doc["id"]
        checked += 1
    assert checked >= 8
