#!/usr/bin/env python3
"""Makes content/governance/postcodes.csv and the position columns of municipalities.csv.

Inputs (see README.md, "Data sources"):
  posten   Posten Norge's Postnummerregister-ansi.txt (ISO-8859-1, tab-separated: postnummer, poststed,
           kommunenummer, kommunenavn, kategori), the 2021-03 copy in github.com/mortenbringaker/NorwayJSONSHAPE.
  bolstad  Erik Bolstad's "Postnummer med koordinatar" postnummer.txt (UTF-8, tab-separated, CC BY 3.0),
           the 2023-01 copy in github.com/stigtsp/postnummer-koordinatar.
Both use the municipality numbers of 2020-2023. They are mapped to the 357 municipalities of 2024
(content/governance/municipalities.csv) by name within the county's successors (Viken 30 -> 31/32/33,
Vestfold og Telemark 38 -> 39/40, Troms og Finnmark 54 -> 55/56, others unchanged); Alesund 1507 was split
in 2024: postcodes 6264-6294 (Tennfjord ... Fjortoft, the former Haram) go to Haram 1580, the rest to Alesund 1508.
A municipality's position is the mean of its postcodes' coordinates weighted by their population (FOLKETAL),
or unweighted where no postcode has people, rounded to 3 decimals (about 100 m). Svalbard and Jan Mayen
(codes 21xx, 22xx) are not municipalities and are left out.

  usage: scripts/reference-data.py POSTEN_FILE BOLSTAD_FILE
"""
import csv, io, sys, unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOV = ROOT / "content/governance"
# Svalbard (21) and Jan Mayen (22) have postcodes but are not municipalities: left out.
NOT_MUNICIPALITIES = ("21", "22")
SUCCESSORS = {"30": ("31", "32", "33"), "38": ("39", "40"), "54": ("55", "56")}


def key(name):
    name = name.split(" - ")[0].split(" (")[0]
    return unicodedata.normalize("NFC", name.strip().upper())


def current_municipalities():
    with open(GOV / "municipalities.csv", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f)][1:]
    return [r[:4] for r in rows]


def mapper(munis):
    by_name = {}
    for code, name, county, _ in munis:
        names = {key(name)} | {key(part) for part in name.split(" - ")}
        for n in names:
            by_name.setdefault(n, []).append(code)
    codes = {m[0] for m in munis}

    def new_code(old, name, postcode):
        old = old.zfill(4)
        if old == "1507":
            return "1580" if 6264 <= int(postcode) <= 6294 else "1508"
        if old in codes and old[:2] not in SUCCESSORS:
            return old
        counties = SUCCESSORS.get(old[:2], (old[:2],))
        # Posten writes bilingual names with a space ("GÁIVUOTNA KÅFJORD"): then any of the words names it.
        candidates = [key(name)] + key(name).split()
        found = next(([c for c in by_name.get(n, []) if c[:2] in counties] for n in candidates
                      if any(c[:2] in counties for c in by_name.get(n, []))), [])
        if len(found) != 1:
            raise SystemExit(f"no single 2024 municipality for {old} {name}: {found}")
        return found[0]
    return new_code


def main(posten, bolstad):
    munis = current_municipalities()
    new_code = mapper(munis)
    text = Path(posten).read_bytes().decode("latin-1")
    postcodes = []
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) < 5 or not f[0].isdigit() or f[2][:2] in NOT_MUNICIPALITIES:
            continue
        postcodes.append((f[0], f[1].strip().title(), new_code(f[2], f[3], f[0])))
    postcodes.sort()
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["postnummer", "poststed", "kommunenummer"])
    w.writerows(postcodes)
    (GOV / "postcodes.csv").write_text(out.getvalue(), encoding="utf-8")

    sums = {}
    for line in Path(bolstad).read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 11 or not f[0].isdigit() or not f[6].isdigit() or f[6].zfill(4)[:2] in NOT_MUNICIPALITIES:
            continue
        try:
            lat, lon = float(f[9]), float(f[10])
        except ValueError:
            continue
        people = int(f[4]) if f[4].isdigit() else 0
        code = new_code(f[6], f[7], f[0])
        s = sums.setdefault(code, [0.0, 0.0, 0, 0.0, 0.0, 0])
        s[0] += lat * people; s[1] += lon * people; s[2] += people
        s[3] += lat; s[4] += lon; s[5] += 1
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["kommunenummer", "navn", "fylkesnummer", "fylkesnavn", "breddegrad", "lengdegrad"])
    for code, name, county, county_name in munis:
        s = sums.get(code)
        if not s:
            raise SystemExit(f"no position for {code} {name}")
        lat, lon = (s[0] / s[2], s[1] / s[2]) if s[2] else (s[3] / s[5], s[4] / s[5])
        w.writerow([code, name, county, county_name, f"{lat:.3f}", f"{lon:.3f}"])
    (GOV / "municipalities.csv").write_text(out.getvalue(), encoding="utf-8")
    print(f"{len(postcodes)} postcodes, {len(munis)} municipalities with positions")


if __name__ == "__main__":
    main(*sys.argv[1:3])
