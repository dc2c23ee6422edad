// Tilbud search: a static, sharded index read in the browser. No framework, no build step.
// The index is written by `tilbud build` (Sources/TilbudSearch); the query algorithm below is the one
// in Sources/TilbudSearch/SearchEngine.swift, step for step, and must stay so (tests compare the two).
// The markup it fills lives in templates/pages/search.mustache; UI text comes from its data-t-* attributes.
(function () {
  "use strict";

  // ---- Text: fold, words, stem, distance (SearchText.swift) ----
  var FOLD = { "æ": "ae", "œ": "oe", "ø": "o", "ß": "ss", "đ": "d", "ŋ": "n", "ŧ": "t", "ł": "l" };
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[æœøßđŋŧł]/g, function (c) { return FOLD[c]; }).replace(/aa/g, "a");
  }
  function words(s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  // A stem keeps at least four letters (so "demens", "angst" and "kols" stay apart from "dem", "ang", "kol").
  function stem(w) {
    var n = w.length;
    if (n <= 3 || !/^[a-z]+$/.test(w)) return w;
    function ends(x) { return n >= x.length && w.slice(n - x.length, n) === x; }
    function cut(k) { return w.slice(0, n - k); }
    if (n > 4 && w[n - 1] === "s" && w[n - 2] !== "s") n--;
    if (n > 8 && (ends("heter") || ends("heten") || ends("heita"))) return cut(5);
    if (n > 9 && (ends("heiter") || ends("leiken") || ends("leikar"))) return cut(6);
    if (n > 6 && (ends("dom") || ends("het"))) return cut(3);
    if (n > 7 && (ends("heit") || ends("semd") || ends("leik"))) return cut(4);
    if (n > 8 && (ends("elser") || ends("elsen"))) return cut(5);
    if (n > 7 && (ends("ende") || ends("ande") || ends("else") || ends("este") || ends("aste") || ends("eren") || ends("aren"))) return cut(4);
    if (n > 6 && (ends("ere") || ends("are") || ends("est") || ends("ast") || ends("ene") || ends("ane"))) return cut(3);
    if (n > 5 && (ends("er") || ends("en") || ends("et") || ends("ar") || ends("st") || ends("te"))) return cut(2);
    if (n > 4 && (w[n - 1] === "a" || w[n - 1] === "e")) return cut(1);
    return cut(0);
  }
  // Optimal string alignment distance of code point arrays, capped at 2 (we only ask "at most one?").
  function distance(a, b) {
    var n = a.length, m = b.length, i, j;
    if (Math.abs(n - m) > 1) return 2;
    if (!n || !m) return Math.max(n, m);
    var p2 = new Array(m + 1).fill(0), p = [], c = new Array(m + 1).fill(0), t;
    for (j = 0; j <= m; j++) p.push(j);
    for (i = 1; i <= n; i++) {
      c[0] = i;
      var rowMin = i;
      for (j = 1; j <= m; j++) {
        var v = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, p2[j - 2] + 1);
        c[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > 1) return 2;
      t = p2; p2 = p; p = c; c = t;
    }
    return Math.min(p[m], 2);
  }

  // The URL a result links to (SearchEngine.url): a path that starts with "/" is a page in another language (an
  // offer not translated into this one links to its page in the default language); others are relative to M.base.
  function href(base, path) { return path.charAt(0) === "/" ? path : base + path; }

  // ---- Index files (SearchFiles.swift) ----
  // An index opened from its manifest (manifest.json); `load(name)` returns a promise of the inflated bytes of
  // a file in the manifest's folder (M.dir).
  function Engine(M, load) {
    var N = 0;               // documents
    var FV = [];             // per facet: {off: Int32Array(N + 1), val: Int32Array}
    var NAT = null;          // Uint8Array(N): national
    var START = null;        // Int32Array(N): next start (0 none, 1 continuous intake, 2 + days from M.today)
    var postcodes = null;    // promise of {postcode: municipality facet value}, loaded when first asked for
    var GEO = null;          // promise of per document [lat, lon, lat, lon, …] of its locations (g.bin), likewise
    var BY = [];             // per facet, per value: Int32Array of documents
    var shardCache = {}, chunkCache = {};

    function Reader(bytes) { this.b = bytes; this.i = 0; }
    Reader.prototype.get = function () {
      var v = 0, mul = 1, x;
      do { x = this.b[this.i++]; v += (x & 127) * mul; mul *= 128; } while (x >= 128);
      return v;
    };
    var utf8 = new TextDecoder();

    function readFacets(bytes) {
      var r = new Reader(bytes), n = r.get(), f = r.get(), k, d, i;
      N = n;
      for (k = 0; k < f; k++) {
        var off = new Int32Array(n + 1), vals = [], lists = M.facets[k].values.map(function () { return []; });
        for (d = 0; d < n; d++) {
          off[d] = vals.length;
          var c = r.get();
          for (i = 0; i < c; i++) { var v = r.get(); vals.push(v); if (v < lists.length) lists[v].push(d); }
        }
        off[n] = vals.length;
        FV.push({ off: off, val: Int32Array.from(vals) });
        BY.push(lists.map(function (l) { return Int32Array.from(l); }));
      }
      NAT = new Uint8Array(n);
      for (d = 0; d < n; d++) NAT[d] = r.get();
      START = new Int32Array(n);
      if (r.i < bytes.length) for (d = 0; d < n; d++) START[d] = r.get();
    }

    function readShard(bytes) {
      var r = new Reader(bytes), count = r.get(), out = [], prev = new Uint8Array(0), t, k, j;
      for (t = 0; t < count; t++) {
        var shared = r.get(), len = r.get(), cur = new Uint8Array(shared + len);
        cur.set(prev.subarray(0, shared));
        cur.set(bytes.subarray(r.i, r.i + len), shared);
        r.i += len;
        prev = cur;
        var p = r.get(), docs = new Int32Array(p), ws = new Uint8Array(p), doc = 0;
        for (k = 0; k < p; k++) { var x = r.get(); doc += Math.floor(x / 16); docs[k] = doc; ws[k] = x % 16; }
        var nr = r.get(), refs = [];
        for (j = 0; j < nr; j++) refs.push([r.get(), r.get(), r.get()]);
        out.push({ term: utf8.decode(cur), docs: docs, ws: ws, refs: refs });
      }
      return out;
    }
    function shard(i) {
      if (!shardCache[i]) shardCache[i] = load("t" + i + ".bin").then(readShard);
      return shardCache[i];
    }
    function chunk(c) {
      if (!chunkCache[c]) chunkCache[c] = load("d" + c + ".bin").then(function (b) { return JSON.parse(utf8.decode(b)); });
      return chunkCache[c];
    }
    function doc(d) { return chunk(Math.floor(d / M.chunk)).then(function (rows) { return rows[d % M.chunk]; }); }

    // ---- Query (SearchEngine.swift) ----
    // A query word; `typo` false for a part of a compound (matched exactly or as a prefix only).
    function token(w, typo) {
      var cp = Array.from(w), s = stem(w);
      return { f: w, s: s, n: cp.length, fc: cp, sc: Array.from(s), typo: typo };
    }
    function tokens(text) {
      var seen = Object.create(null), out = [];
      words(text).forEach(function (w) {
        var n = Array.from(w).length;
        if (n < 2 || n > 40 || M.stopSet[w] || seen[w]) return;
        seen[w] = true;
        out.push(token(w, true));
      });
      return out;
    }
    function range(k) {
      if (k.typo && k.n >= 5) { var p = k.fc.slice(0, 2).join(""); return [p, p + "\uffff"]; }
      if (k.n >= 3) return [k.s, k.s + "\uffff"];
      return [k.s, k.s + "\u0000"];
    }
    // Where a typo in the first two letters can lead (SearchEngine.typoRanges): the same first letter, the first two
    // swapped, the second and third (a letter too many in front).
    function typoRanges(k) {
      var f = k.fc, out = [[f[0], f[0] + "\uffff"]];
      [f[1] + f[0], f[1] + f[2]].forEach(function (p) { out.push([p, p + "\uffff"]); });
      return out;
    }
    function shardsFor(lo, hi) {
      var s = M.shards, out = [];
      for (var i = 0; i < s.length; i++) if (s[i] < hi && (i === s.length - 1 || lo < s[i + 1])) out.push(i);
      return out;
    }
    function quality(k, t) {
      if (t === k.s || t === k.f) return 4;
      if (k.n >= 3 && t.startsWith(k.s)) return 3;
      if (k.typo && k.n >= 5) {
        var tc = Array.from(t);
        if (distance(k.sc, tc) <= 1 || distance(k.fc, tc) <= 1) return 2;
      }
      return 0;
    }
    // Loads the shards of term ranges `rs`; a promise of their entries (one list per shard).
    function loadRanges(rs) {
      var want = [];
      rs.forEach(function (r) { shardsFor(r[0], r[1]).forEach(function (i) { if (want.indexOf(i) < 0) want.push(i); }); });
      return Promise.all(want.sort(function (a, b) { return a - b; }).map(shard));
    }
    // The entry of `term` in the loaded shards, or null.
    function entry(loaded, term) {
      for (var i = 0; i < loaded.length; i++) {
        var entries = loaded[i], lo = 0, hi = entries.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (entries[mid].term < term) lo = mid + 1; else hi = mid; }
        if (lo < entries.length && entries[lo].term === term) return entries[lo];
      }
      return null;
    }
    function inText(loaded, term) { var e = entry(loaded, term); return !!e && e.docs.length > 0; }
    // A word that is in the documents' texts itself (as written or stemmed) is not read as a typo of another.
    function tokenScores(k, loaded, rs) {
      var best = new Int32Array(N), weight = new Int32Array(N), known = inText(loaded, k.s) || inText(loaded, k.f);
      loaded.forEach(function (entries) {
        entries.forEach(function (e) {
          var t = e.term;
          if (!rs.some(function (r) { return !(t < r[0]) && t < r[1]; })) return;
          var q = quality(k, t);
          if (!q || (q === 2 && known)) return;
          var touched = [], i, d;
          for (i = 0; i < e.docs.length; i++) {
            d = e.docs[i];
            if (d >= N) continue;
            if (!weight[d]) touched.push(d);
            weight[d] += e.ws[i];
          }
          e.refs.forEach(function (ref) {
            var lists = BY[ref[0]];
            if (!lists || ref[1] >= lists.length) return;
            var l = lists[ref[1]];
            for (var j = 0; j < l.length; j++) { d = l[j]; if (!weight[d]) touched.push(d); weight[d] += ref[2]; }
          });
          for (i = 0; i < touched.length; i++) { d = touched[i]; if (q * weight[d] > best[d]) best[d] = q * weight[d]; weight[d] = 0; }
        });
      });
      return best;
    }
    // A compound read against the index's own terms (SearchEngine.compoundScores): the longest first part of 4 or more
    // letters that is a term (as written or stemmed) whose rest of 4 or more letters matches a term exactly or as a
    // prefix. A promise of each document's score for the parts (a third of their sum, where the first part matches: the
    // rest, mostly a word like "kurs" or "skole", ranks the documents that have it first), or null.
    function compoundScores(k, loaded) {
      if (!k.typo || k.n < 8) return Promise.resolve(null);
      // A word still being typed (no term itself, but the start of one) is not split.
      if (!entry(loaded, k.f) && !entry(loaded, k.s) && loaded.some(function (entries) {
        return entries.some(function (e) { return e.term.length > k.f.length && e.term.startsWith(k.f); });
      })) return Promise.resolve(null);
      var heads = [], i;
      for (i = k.n - 4; i >= 4; i--) {
        var h = k.fc.slice(0, i).join("");
        if (entry(loaded, h) || entry(loaded, stem(h))) heads.push(i);
      }
      // The longest first part whose rest is known; each rest's shards are loaded only when the longer ones fail.
      function tryHead(j) {
        if (j >= heads.length) return Promise.resolve(null);
        var t = token(k.fc.slice(heads[j]).join(""), false), tr = range(t);
        return loadRanges([tr]).then(function (tailLoaded) {
          var known = tailLoaded.some(function (entries) {
            return entries.some(function (e) { return !(e.term < tr[0]) && e.term < tr[1] && quality(t, e.term) >= 3; });
          });
          if (!known) return tryHead(j + 1);
          var head = token(k.fc.slice(0, heads[j]).join(""), false);
          var hs = tokenScores(head, loaded, [range(head)]), ts = tokenScores(t, tailLoaded, [tr]), out = new Int32Array(N);
          for (var d = 0; d < N; d++) if (hs[d] > 0) out[d] = Math.floor((hs[d] + ts[d]) / 3);
          return out;
        });
      }
      return tryHead(0);
    }
    // A promise of a query word's score per document: the best of the word itself and its parts as a compound; when
    // neither matches anything, the word with a typo in its first two letters.
    function wordScores(k, loaded) {
      var best = tokenScores(k, loaded, [range(k)]);
      return compoundScores(k, loaded).then(function (c) {
        var d, any = false;
        if (c) for (d = 0; d < N; d++) if (c[d] > best[d]) best[d] = c[d];
        for (d = 0; d < N && !any; d++) any = best[d] > 0;
        if (any || !k.typo || k.n < 5) return best;
        var rs = typoRanges(k);
        return loadRanges(rs).then(function (more) { return tokenScores(k, more, rs); });
      });
    }
    // A word's scores depend only on the word (the index does not change): the last few are kept, so a key press
    // works out only the word it changes.
    var wordCache = new Map();
    function scoresOf(k) {
      var known = wordCache.get(k.f);
      if (known) return known;
      var p = loadRanges([range(k)]).then(function (loaded) { return wordScores(k, loaded); });
      wordCache.set(k.f, p);
      p.catch(function () { wordCache.delete(k.f); });
      if (wordCache.size > 32) wordCache.delete(wordCache.keys().next().value);
      return p;
    }
    // Returns a promise of {docs, counts, partial, tokens}. `keep(d)`, when given, leaves out the documents it
    // rejects before anything is counted (the start-date filter).
    function search(text, filters, keep) {
      var toks = tokens(text);
      return Promise.all(toks.map(scoresOf)).then(function (scoresPerToken) {
        var order = [], partial = false, d, i;
        var score = new Float64Array(N), matched = new Int32Array(N);
        if (!toks.length) {
          for (d = 0; d < N; d++) order.push(d);
        } else {
          toks.forEach(function (k, ti) {
            var ts = scoresPerToken[ti], m = 0;
            for (d = 0; d < N; d++) if (ts[d] > 0) m++;
            if (!m) return;
            var idf = Math.round(100 * Math.log(1 + N / m));
            for (d = 0; d < N; d++) if (ts[d] > 0) { score[d] += idf * ts[d]; matched[d]++; }
          });
          for (d = 0; d < N; d++) if (matched[d] === toks.length) order.push(d);
          if (!order.length && toks.length > 1) {
            partial = true;
            for (d = 0; d < N; d++) if (matched[d] > 0) order.push(d);
          }
          order.sort(function (a, b) { return matched[b] - matched[a] || score[b] - score[a] || a - b; });
        }
        // Facet filters: OR within a facet, AND across; a national offer passes any municipality.
        var F = M.facets.length, sel = M.facets.map(function (f, fi) {
          var ids = Object.create(null), set = Object.create(null), any = false;
          f.values.forEach(function (v, vi) { if (!(v[0] in ids)) ids[v[0]] = vi; });
          (filters[f.key] || []).forEach(function (id) { if (id in ids) { set[ids[id]] = true; any = true; } });
          return any ? set : null;
        });
        function passes(d, f) {
          var s = sel[f];
          if (!s) return true;
          if (f === 0 && NAT[d]) return true;
          for (var j = FV[f].off[d]; j < FV[f].off[d + 1]; j++) if (s[FV[f].val[j]]) return true;
          return false;
        }
        var counts = M.facets.map(function (f) { return new Int32Array(f.values.length); }), nat = 0, results = [];
        for (i = 0; i < order.length; i++) {
          d = order[i];
          if (keep && !keep(d)) continue;
          var failed = -1, failures = 0, f;
          for (f = 0; f < F; f++) if (!passes(d, f)) { failures++; failed = f; if (failures > 1) break; }
          if (!failures) results.push(d);
          if (failures > 1) continue;
          for (f = 0; f < F; f++) {
            if (failures && failed !== f) continue;
            if (f === 0 && NAT[d]) { nat++; continue; }
            for (var j = FV[f].off[d]; j < FV[f].off[d + 1]; j++) { var v = FV[f].val[j]; if (v < counts[f].length) counts[f][v]++; }
          }
        }
        if (F) for (i = 0; i < counts[0].length; i++) counts[0][i] += nat;
        return { docs: results, counts: counts, partial: partial, tokens: toks };
      });
    }
    this.manifest = M;
    // m.bin: count, chunk size, shard starts, stop words, facets; f.bin: every document's facet values.
    this.ready = Promise.all([load("m.bin"), load("f.bin")]).then(function (files) {
      var meta = JSON.parse(utf8.decode(files[0]));
      Object.keys(meta).forEach(function (k) { M[k] = meta[k]; });
      M.stopSet = Object.create(null);
      M.stop.forEach(function (w) { M.stopSet[w] = true; });
      readFacets(files[1]);
    });
    this.search = search;
    this.doc = doc;
    this.count = function () { return N; };
    // Where and when (the location and start-date filters): a document's municipality facet values, whether it
    // is national, its start code; the postcode register (p.bin), loaded the first time it is asked for.
    this.places = function (d) { return FV.length ? FV[0].val.subarray(FV[0].off[d], FV[0].off[d + 1]) : []; };
    this.national = function (d) { return NAT[d] === 1; };
    this.start = function (d) { return START[d]; };
    this.locations = function () {
      if (!GEO) GEO = load("g.bin").then(function (bytes) {
        var r = new Reader(bytes), n = r.get(), out = [];
        for (var d = 0; d < n; d++) {
          var k = r.get(), pts = [];
          for (var i = 0; i < k; i++) pts.push({ lat: (r.get() - 90000) / 1000, lon: (r.get() - 180000) / 1000 });
          out.push(pts);
        }
        return out;
      });
      return GEO;
    };
    this.postcodes = function () {
      if (!postcodes) postcodes = load("p.bin").then(function (bytes) {
        var r = new Reader(bytes), n = r.get(), code = 0, out = Object.create(null);
        for (var i = 0; i < n; i++) { code += r.get(); out[("000" + code).slice(-4)] = r.get(); }
        return out;
      });
      return postcodes;
    };
  }

  if (typeof document === "undefined") {
    // Node (the Swift tests compare this engine with SearchEngine.swift).
    if (typeof module === "object") module.exports = { fold: fold, words: words, stem: stem, distance: distance, href: href, Engine: Engine };
    return;
  }

  // ---- Page ----
  var root = document.getElementById("search");
  if (!root || !window.fetch || !window.URLSearchParams || !Array.from) return;
  var manifestURL = root.getAttribute("data-index");
  var folder = manifestURL.slice(0, manifestURL.lastIndexOf("/") + 1);
  var E = null, M = null;
  function fetchBytes(name) {
    if (M.z && !window.DecompressionStream) return Promise.reject(new Error("no DecompressionStream"));
    return fetch(folder + M.dir + name).then(function (r) {
      if (!r.ok) throw new Error(name + ": " + r.status);
      var body = M.z ? new Response(r.body.pipeThrough(new DecompressionStream("deflate"))) : r;
      return body.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }
  function $(id) { return document.getElementById(id); }
  function t(key, n) { var s = root.getAttribute("data-t-" + key) || ""; return n === undefined ? s : s.replace("{n}", n.toLocaleString(document.documentElement.lang || "nb")); }
  var form = root.querySelector("form"), input = $("q"), facetsBox = $("search-facets"), list = $("search-results");
  var countEl = $("search-count"), live = $("search-live"), notice = $("search-notice"), more = $("search-more");
  var clearBtn = $("search-clear"), cardTemplate = $("search-card"), status = $("search-status");
  var PAGE = 10;
  // `start` and `sort` are the start-date filter and the order (URL parameters oppstart and sorter); `near` is the
  // browser's position after "Nær meg": kept in memory only, never in the URL, storage or a request.
  var state = { q: "", filters: {}, start: "", sort: "", near: null }, shown = 0, last = null, generation = 0, liveTimer = 0, typing = false;
  var STARTS = ["30", "90", "lopende"], SORTS = ["start", "avstand"];

  function readURL() {
    var p = new URLSearchParams(location.search), filters = {};
    M.facets.forEach(function (f) { var v = p.getAll(f.key).filter(Boolean); if (v.length) filters[f.key] = v; });
    var start = p.get("oppstart") || "", sort = p.get("sorter") || "";
    return { q: p.get("q") || "", filters: filters, start: STARTS.indexOf(start) >= 0 ? start : "", sort: SORTS.indexOf(sort) >= 0 ? sort : "" };
  }
  function urlFor(s) {
    var p = new URLSearchParams();
    if (s.q.trim()) p.set("q", s.q.trim());
    M.facets.forEach(function (f) {
      var chosen = s.filters[f.key] || [];
      f.values.forEach(function (v) { if (chosen.indexOf(v[0]) >= 0) p.append(f.key, v[0]); });
    });
    if (s.start) p.set("oppstart", s.start);
    if (s.sort && (s.sort !== "avstand" || (s.filters.kommune || []).length)) p.set("sorter", s.sort);
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }

  // ---- Where: municipality names (with the other names in the data) and postcodes (p.bin) ----
  var PLACE = Object.create(null), PLACE_WORDS = 1, CODE = Object.create(null), EXACT = Object.create(null), WORD = Object.create(null);
  function buildPlaces() {
    (M.word || []).forEach(function (vi) { WORD[vi] = true; });
    M.facets[0].values.forEach(function (v, vi) {
      CODE[v[0]] = vi;
      [v[1]].concat((M.alt || [])[vi] || []).forEach(function (name) {
        var w = words(name), key = w.join(" ");
        if (!key) return;
        // A name two municipalities share ("Herøy") names neither.
        PLACE[key] = key in PLACE && PLACE[key] !== vi ? -1 : vi;
        PLACE_WORDS = Math.max(PLACE_WORDS, w.length);
        // A name that folds to a stop word ("Ås" to "as", "Hå" to "ha") is a place only as it is spelt.
        if (M.stopSet[key]) EXACT[key] = name.toLowerCase();
      });
    });
  }
  // The first municipality name or postcode in `text`: {value, text, rest} (rest is `text` without it), or null.
  // In a query (`query` true) a name that is also a vocabulary word ("time") stays a word.
  function placeIn(text, codes, query) {
    var re = /[\p{L}\p{N}]+/gu, toks = [], m, i, n;
    while ((m = re.exec(text))) toks.push({ w: words(m[0]).join(" "), raw: m[0].toLowerCase(), a: m.index, b: m.index + m[0].length });
    for (i = 0; i < toks.length; i++) {
      for (n = Math.min(PLACE_WORDS, toks.length - i); n >= 1; n--) {
        var key = toks.slice(i, i + n).map(function (t) { return t.w; }).join(" ");
        var v = /^\d{4}$/.test(key) ? (codes && key in codes ? codes[key] : -1) : key in PLACE ? PLACE[key] : -1;
        if (v >= 0 && n === 1 && ((key in EXACT && EXACT[key] !== toks[i].raw) || (query && WORD[v]))) v = -1;
        if (v >= 0) {
          return { value: v, text: text.slice(toks[i].a, toks[i + n - 1].b),
                   rest: (text.slice(0, toks[i].a) + " " + text.slice(toks[i + n - 1].b)).replace(/\s+/g, " ").trim() };
        }
      }
    }
    return null;
  }
  function needsPostcodes(text) { return /(^|[^\p{N}])\p{N}{4}([^\p{N}]|$)/u.test(text); }
  function withPostcodes(text) { return needsPostcodes(text) ? E.postcodes() : Promise.resolve(null); }
  // The query as searched: a place in it (when no municipality is chosen) is the municipality filter, not a word.
  function effective(codes) {
    var filters = {}, q = state.q, place = null;
    Object.keys(state.filters).forEach(function (k) { filters[k] = state.filters[k]; });
    if (!(filters.kommune || []).length && !state.near) {
      place = placeIn(q, codes, true);
      if (place) { q = place.rest; filters.kommune = [M.facets[0].values[place.value][0]]; }
    }
    return { q: q, filters: filters, place: place };
  }
  function position(vi) {
    var lat = M.pos ? M.pos[2 * vi] : 0, lon = M.pos ? M.pos[2 * vi + 1] : 0;
    return lat || lon ? { lat: lat / 1000, lon: lon / 1000 } : null;
  }
  function km(a, b) {
    var r = Math.PI / 180, dl = (b.lat - a.lat) * r, dn = (b.lon - a.lon) * r;
    var h = Math.pow(Math.sin(dl / 2), 2) + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.pow(Math.sin(dn / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  // Distance from `anchor` to the nearest of the document's locations (`points`, from g.bin), or when none has a
  // position to the nearest of its municipalities (Infinity when it has neither).
  function distanceTo(d, anchor, points) {
    var best = Infinity, vs = E.places(d), own = points && points[d];
    if (own && own.length) {
      for (var k = 0; k < own.length; k++) best = Math.min(best, km(anchor, own[k]));
      return best;
    }
    for (var i = 0; i < vs.length; i++) { var p = position(vs[i]); if (p) best = Math.min(best, km(anchor, p)); }
    return best;
  }

  // ---- When: the start-date filter, relative to the build day (M.today) ----
  function startWithin(s) {
    if (s === "lopende") return function (d) { return E.start(d) === 1; };
    if (!s) return null;
    var days = 30;
    if (s === "90") {
      var t = new Date(M.today + "T00:00:00Z"), u = new Date(t.getTime());
      u.setUTCMonth(u.getUTCMonth() + 3);
      days = Math.round((u - t) / 864e5);
    }
    // Continuous intake can start any day.
    return function (d) { var x = E.start(d); return x === 1 || (x >= 2 && x - 2 <= days); };
  }
  function startKey(d) { var x = E.start(d); return x === 1 ? 2 : x === 0 ? 1e9 : x; }
  function commit(push) {
    var url = urlFor(state);
    if (url === location.pathname + location.search) return;
    if (push) history.pushState({ search: true }, "", url); else history.replaceState({ search: true }, "", url);
  }

  function buildFacets() {
    M.facets.forEach(function (f, fi) {
      var box;
      if (fi === 0) {
        box = placeFacet(f);
      } else {
        box = document.createElement("fieldset");
        box.className = "facet";
        var legend = document.createElement("legend"), ul = document.createElement("ul");
        legend.textContent = f.label;
        box.appendChild(legend);
        f.values.forEach(function (v, vi) {
          var li = document.createElement("li"), cb = document.createElement("input"), lab = document.createElement("label");
          cb.type = "checkbox";
          cb.id = "facet-" + f.key + "-" + vi;
          cb.name = f.key;
          cb.value = v[0];
          lab.htmlFor = cb.id;
          lab.appendChild(document.createTextNode(v[1] + " "));
          var c = document.createElement("span");
          c.className = "count";
          lab.appendChild(c);
          cb.addEventListener("change", function () {
            var chosen = (state.filters[f.key] || []).filter(function (x) { return x !== v[0]; });
            if (cb.checked) chosen.push(v[0]);
            state.filters[f.key] = chosen;
            run(true);
          });
          li.appendChild(cb);
          li.appendChild(lab);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
      box.setAttribute("data-facet", f.key);
      facetsBox.appendChild(box);
      if (fi === 0) facetsBox.appendChild(startFacet());
    });
  }

  // Where: a text field with the municipalities as suggestions (a native datalist), which takes a name (any of the
  // names in the data) or a postcode; and "Nær meg", which asks the browser for its position only when pressed.
  function placeFacet(f) {
    var box = document.createElement("div"), label = document.createElement("label"), row = document.createElement("div");
    var input = document.createElement("input"), list = document.createElement("datalist"), near = document.createElement("button");
    var msg = document.createElement("p");
    box.className = "facet facet-place";
    label.htmlFor = input.id = "facet-" + f.key;
    label.textContent = t("place-label");
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("list", list.id = "facet-" + f.key + "-list");
    input.setAttribute("aria-describedby", msg.id = "facet-" + f.key + "-msg");
    f.values.forEach(function (v) { var o = document.createElement("option"); o.value = v[1]; list.appendChild(o); });
    near.type = "button";
    near.id = "search-near";
    near.className = "search-near";
    near.textContent = t("near");
    msg.className = "facet-msg";
    msg.setAttribute("aria-live", "polite");
    row.className = "place-row";
    row.appendChild(input);
    row.appendChild(near);
    [label, row, list, msg].forEach(function (e) { box.appendChild(e); });
    function choose(final) {
      var text = input.value.trim();
      if (!text) {
        msg.textContent = "";
        if ((state.filters.kommune || []).length) { state.filters.kommune = []; run(true); }
        return;
      }
      withPostcodes(text).then(function (codes) {
        var p = placeIn(text, codes);
        if (p && !p.rest) {
          msg.textContent = "";
          state.near = null;
          state.filters.kommune = [f.values[p.value][0]];
          run(true);
        } else if (final) {
          msg.textContent = t("place-unknown").replace("{place}", text);
        }
      });
    }
    // A suggestion picked from the list applies at once; typed text when it is sent (Enter) or left ("Os" is a
    // municipality too, on the way to "Oslo").
    input.addEventListener("input", function (e) { if (!e.inputType || e.inputType === "insertReplacementText") choose(false); });
    input.addEventListener("change", function () { choose(true); });
    near.addEventListener("click", function () {
      if (!navigator.geolocation) { msg.textContent = t("near-error"); return; }
      msg.textContent = t("near-asking");
      navigator.geolocation.getCurrentPosition(function (pos) {
        msg.textContent = "";
        state.near = { lat: pos.coords.latitude, lon: pos.coords.longitude };
        state.filters.kommune = [];
        state.sort = "avstand";
        run(true);
      }, function () { msg.textContent = t("near-error"); }, { maximumAge: 600000, timeout: 15000 });
    });
    return box;
  }

  // When: any time, within 30 days, within 3 months, continuous intake.
  function startFacet() {
    var box = document.createElement("fieldset"), legend = document.createElement("legend"), ul = document.createElement("ul");
    box.className = "facet";
    box.setAttribute("data-facet", "oppstart");
    legend.textContent = t("start-label");
    box.appendChild(legend);
    [""].concat(STARTS).forEach(function (value, i) {
      var li = document.createElement("li"), rb = document.createElement("input"), lab = document.createElement("label");
      rb.type = "radio";
      rb.name = "oppstart";
      rb.value = value;
      rb.id = "facet-oppstart-" + i;
      lab.htmlFor = rb.id;
      lab.textContent = t("start-" + (value || "any"));
      rb.addEventListener("change", function () { if (rb.checked) { state.start = value; run(true); } });
      li.appendChild(rb);
      li.appendChild(lab);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  // The filters in use, each a button that removes it.
  function updateApplied(eff) {
    var items = [];
    function add(text, remove) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.className = "search-chip";
      b.setAttribute("aria-label", t("remove").replace("{filter}", text));
      b.textContent = text;
      var x = document.createElement("span");
      x.setAttribute("aria-hidden", "true");
      x.textContent = " ×";
      b.appendChild(x);
      b.addEventListener("click", function () { remove(); run(true); $("search-count").focus(); });
      li.appendChild(b);
      items.push(li);
    }
    M.facets.forEach(function (f, fi) {
      (eff.filters[f.key] || []).forEach(function (id) {
        var v = f.values.filter(function (x) { return x[0] === id; })[0];
        if (!v) return;
        add(v[1], function () {
          state.filters[f.key] = (state.filters[f.key] || []).filter(function (x) { return x !== id; });
          // A place taken from the query goes with its words.
          if (fi === 0 && eff.place) { state.q = eff.q; input.value = eff.q; }
        });
      });
    });
    if (state.near) add(t("near"), function () { state.near = null; if (state.sort === "avstand") state.sort = ""; });
    if (state.start) add(t("start-" + state.start), function () { state.start = ""; });
    $("search-applied").replaceChildren.apply($("search-applied"), items);
    $("search-applied").hidden = !items.length;
    return items.length;
  }

  function updateFacets(counts, total, eff) {
    M.facets.forEach(function (f, fi) {
      var box = facetsBox.querySelector('[data-facet="' + f.key + '"]'), chosen = eff.filters[f.key] || [];
      if (fi === 0) {
        var place = $("facet-" + f.key), vi0 = chosen.length ? CODE[chosen[0]] : undefined;
        if (document.activeElement !== place) place.value = vi0 !== undefined ? f.values[vi0][1] : "";
        return;
      }
      var visible = 0;
      f.values.forEach(function (v, vi) {
        var cb = $("facet-" + f.key + "-" + vi), on = chosen.indexOf(v[0]) >= 0;
        cb.checked = on;
        cb.nextSibling.lastChild.textContent = "(" + counts[fi][vi] + ")";
        var show = on || counts[fi][vi] > 0;
        cb.parentNode.hidden = !show;
        if (show) visible++;
      });
      box.hidden = !visible;
    });
    facetsBox.querySelectorAll('input[name="oppstart"]').forEach(function (rb) { rb.checked = rb.value === state.start; });
    var applied = updateApplied(eff);
    clearBtn.hidden = !applied;
    $("search-filters-count").textContent = applied ? " (" + applied + ")" : "";
    $("search-show").textContent = t("show", total);
  }

  function card(row, d) {
    var li = cardTemplate.content.firstElementChild.cloneNode(true);
    function slot(name) { return li.querySelector('[data-slot="' + name + '"]'); }
    var a = slot("title");
    a.href = href(M.base, row[0]);
    a.textContent = row[1];
    var summary = slot("summary");
    summary.textContent = row[2];
    // A text in another language than the page's: an offer not translated into it, linking to its own language's page,
    // labelled as the lists label it ("(in Norwegian)").
    var label = slot("lang");
    if (row[7]) { a.lang = row[7]; a.hreflang = row[7]; summary.lang = row[7]; if (label) label.hidden = false; } else if (label) label.remove();
    slot("provider").textContent = row[3];
    slot("area").textContent = row[4];
    // How far away, when a place is chosen: the distance to the nearest of the offer's municipalities.
    var far = slot("distance"), dist = last.distance ? last.distance[d] : undefined;
    if (far && dist !== undefined && dist !== Infinity) far.textContent = t("km").replace("{km}", Math.round(dist).toLocaleString(document.documentElement.lang || "nb"));
    else if (far) far.parentNode.remove();
    var when = slot("when");
    if (row[5] && row[6]) {
      var time = document.createElement("time");
      time.dateTime = row[6];
      time.textContent = row[5];
      when.appendChild(time);
    } else if (row[5]) {
      when.textContent = row[5];
    } else {
      var wrap = li.querySelector('[data-slot-wrap="when"]');
      if (wrap) wrap.remove();
    }
    return li;
  }

  // Shows results [from, to) of the current result set; resolves when they are in the page.
  function showResults(from, to, g) {
    var ids = last.docs.slice(from, to);
    return Promise.all(ids.map(E.doc)).then(function (rows) {
      if (g !== generation) return false;
      var frag = document.createDocumentFragment();
      rows.forEach(function (row, k) {
        // The nearest offers elsewhere come after a heading of their own.
        if (from + k === last.local && last.local < last.docs.length) {
          var li = document.createElement("li"), h = document.createElement("h3");
          li.className = "search-divider";
          h.textContent = t("nearby").replace("{place}", last.placeName);
          li.appendChild(h);
          frag.appendChild(li);
        }
        frag.appendChild(card(row, ids[k]));
      });
      if (from === 0) list.replaceChildren(frag); else list.appendChild(frag);
      shown = to;
      more.hidden = shown >= last.docs.length;
      return true;
    });
  }

  function announce(text) {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(function () { live.textContent = text; }, 500);
  }

  function run(push) {
    var g = ++generation, q = state.q;
    if (push) typing = false;
    if (push !== undefined) commit(push);
    list.setAttribute("aria-busy", "true");
    return withPostcodes(q).then(function (codes) {
      var eff = effective(codes), keep = startWithin(state.start), chosen = eff.filters.kommune || [];
      if (!typing && eff.place) {
        // A place in the query becomes the municipality filter (and leaves the query) once the query is sent or
        // loaded, not while it is being typed.
        state.q = eff.q;
        state.filters.kommune = eff.filters.kommune;
        input.value = eff.q;
        commit(false);
      }
      var vi = chosen.length === 1 ? CODE[chosen[0]] : undefined, anchor = state.near || (vi !== undefined ? position(vi) : null);
      var wider = {};
      Object.keys(eff.filters).forEach(function (k) { if (k !== "kommune") wider[k] = eff.filters[k]; });
      return Promise.all([E.search(eff.q, eff.filters, keep), anchor && vi !== undefined ? E.search(eff.q, wider, keep) : null,
                          anchor ? E.locations() : null]).then(function (both) {
        return { eff: eff, res: both[0], all: both[1], anchor: anchor, vi: vi, points: both[2] };
      });
    }).then(function (r) {
      if (g !== generation) return;
      var res = r.res, docs = res.docs.slice(), distance = null;
      if (r.anchor) {
        distance = Object.create(null);
        docs.forEach(function (d) { distance[d] = E.national(d) ? Infinity : distanceTo(d, r.anchor, r.points); });
      }
      if (r.vi !== undefined) {
        // Offers in the chosen municipality first, then national ones (they serve it too).
        docs = docs.filter(function (d) { return !E.national(d); }).concat(docs.filter(function (d) { return E.national(d); }));
      }
      if (state.sort === "start") docs.sort(function (a, b) { return startKey(a) - startKey(b); });
      else if (state.sort === "avstand" && distance) {
        docs.sort(function (a, b) { return (E.national(b) - E.national(a)) || (distance[a] - distance[b]) || 0; });
      }
      var local = docs.length;
      if (r.all) {
        // Then the nearest offers elsewhere, by distance.
        var inside = Object.create(null);
        docs.forEach(function (d) { inside[d] = true; });
        var others = r.all.docs.filter(function (d) { return !inside[d]; });
        others.forEach(function (d) { distance[d] = distanceTo(d, r.anchor, r.points); });
        others.sort(function (a, b) { return distance[a] - distance[b]; });
        docs = docs.concat(others);
      }
      last = { docs: docs, local: local, distance: distance, placeName: r.vi !== undefined ? M.facets[0].values[r.vi][1] : "",
               counts: res.counts, partial: res.partial };
      var n = local;
      var text = n === 1 ? t("count-one") : t("count", n);
      updateFacets(res.counts, n, r.eff);
      sortSelect.querySelector('option[value="avstand"]').disabled = !r.anchor;
      sortSelect.value = state.sort === "avstand" && !r.anchor ? "" : state.sort;
      return showResults(0, Math.min(PAGE, docs.length), g).then(function (ok) {
        if (!ok) return;
        countEl.textContent = text;
        notice.textContent = n === 0 ? t("none") : res.partial ? t("partial") : "";
        notice.hidden = !notice.textContent;
        list.removeAttribute("aria-busy");
        var spoken = notice.textContent && n === 0 ? text + ". " + notice.textContent : text;
        if (docs.length > local) spoken += ". " + t("nearby-count", docs.length - local).replace("{place}", last.placeName);
        announce(spoken);
        root.setAttribute("data-state", "ready");
        document.dispatchEvent(new CustomEvent("tilbud:results", { detail: { count: n, query: q } }));
      });
    }).catch(function (e) {
      if (g !== generation) return;
      fail(e);
    });
  }

  function fail(e) {
    root.setAttribute("data-state", "error");
    status.textContent = t("error");
    status.className = "search-status notice notice-info";
    status.hidden = false;
    if (window.console) console.error(e);
  }

  function applyState(s) {
    state = { q: s.q, filters: s.filters, start: s.start, sort: s.sort, near: state.near };
    input.value = s.q;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.q = input.value;
    run(true);
  });
  input.addEventListener("input", function () {
    state.q = input.value;
    // One history entry per stretch of typing; facet changes and submits start new ones.
    run(!typing);
    typing = true;
  });
  more.addEventListener("click", function () {
    var from = shown, g = generation;
    showResults(from, Math.min(from + PAGE, last.docs.length), g).then(function (ok) {
      if (!ok) return;
      var first = list.children[from] && list.children[from].querySelector("a");
      if (first) first.focus();
    });
  });
  clearBtn.addEventListener("click", function () {
    state.filters = {};
    state.start = "";
    state.near = null;
    if (state.sort === "avstand") state.sort = "";
    run(true);
    input.focus();
  });
  var sortSelect = $("search-sort");
  sortSelect.addEventListener("change", function () { state.sort = sortSelect.value; run(true); });
  // Phone: the filters open over the results; "Vis N treff" (and Escape) closes them and goes to the results.
  $("search-show").addEventListener("click", function () {
    $("search-filters").open = false;
    countEl.focus();
    countEl.scrollIntoView({ block: "start" });
  });
  $("search-filters").addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !window.matchMedia("(min-width: 50rem)").matches) {
      $("search-filters").open = false;
      $("search-filters").querySelector("summary").focus();
    }
  });
  window.addEventListener("popstate", function () {
    if (!M) return;
    applyState(readURL());
    typing = false;
    run();
  });

  root.setAttribute("data-state", "loading");
  // Say that search is on its way only if it takes a moment.
  var slow = setTimeout(function () { status.textContent = t("loading"); status.hidden = false; }, 400);
  fetch(manifestURL, { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("manifest: " + r.status);
    return r.json();
  }).then(function (m) {
    M = m;
    E = new Engine(M, fetchBytes);
    return E.ready;
  }).then(function () {
    clearTimeout(slow);
    status.hidden = true;
    buildPlaces();
    buildFacets();
    root.querySelector(".search-layout").hidden = false;
    applyState(readURL());
    // The filters start open beside the results on wide screens, and whenever the URL has some.
    var filters = $("search-filters");
    if (window.matchMedia("(min-width: 50rem)").matches) filters.open = true;
    return run();
  }).catch(function (e) { clearTimeout(slow); fail(e); });

  // For tests and the benchmark: the same query engine, without the page.
  window.tilbudSearch = { fold: fold, words: words, stem: stem, search: function (q, f) { return E.search(q, f || {}); }, doc: function (d) { return E.doc(d); } };
})();
