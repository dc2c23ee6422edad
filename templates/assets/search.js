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
    // Returns a promise of {docs, counts, partial, tokens}.
    function search(text, filters) {
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
  var state = { q: "", filters: {} }, shown = 0, last = null, generation = 0, liveTimer = 0, typing = false;

  function readURL() {
    var p = new URLSearchParams(location.search), filters = {};
    M.facets.forEach(function (f) { var v = p.getAll(f.key).filter(Boolean); if (v.length) filters[f.key] = v; });
    return { q: p.get("q") || "", filters: filters };
  }
  function urlFor(s) {
    var p = new URLSearchParams();
    if (s.q.trim()) p.set("q", s.q.trim());
    M.facets.forEach(function (f) {
      var chosen = s.filters[f.key] || [];
      f.values.forEach(function (v) { if (chosen.indexOf(v[0]) >= 0) p.append(f.key, v[0]); });
    });
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }
  function commit(push) {
    var url = urlFor(state);
    if (url === location.pathname + location.search) return;
    if (push) history.pushState({ search: true }, "", url); else history.replaceState({ search: true }, "", url);
  }

  function buildFacets() {
    M.facets.forEach(function (f, fi) {
      var box;
      if (fi === 0) {
        box = document.createElement("div");
        box.className = "facet facet-select";
        var label = document.createElement("label"), select = document.createElement("select");
        label.htmlFor = select.id = "facet-" + f.key;
        label.textContent = f.label;
        select.name = f.key;
        select.addEventListener("change", function () {
          state.filters[f.key] = select.value ? [select.value] : [];
          run(true);
        });
        box.appendChild(label);
        box.appendChild(select);
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
    });
  }

  function updateFacets(counts, total) {
    M.facets.forEach(function (f, fi) {
      var box = facetsBox.querySelector('[data-facet="' + f.key + '"]'), chosen = state.filters[f.key] || [];
      if (fi === 0) {
        var select = box.querySelector("select"), opts = [new Option(t("all-municipalities") + " (" + total + ")", "")];
        f.values.forEach(function (v, vi) {
          var on = chosen.indexOf(v[0]) >= 0;
          if (counts[fi][vi] || on) opts.push(new Option(v[1] + " (" + counts[fi][vi] + ")", v[0], on, on));
        });
        select.replaceChildren.apply(select, opts);
        select.value = chosen.length ? chosen[0] : "";
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
    var any = Object.keys(state.filters).some(function (k) { return state.filters[k].length; });
    clearBtn.hidden = !any;
  }

  function card(row) {
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
      rows.forEach(function (row) { frag.appendChild(card(row)); });
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
    return E.search(q, state.filters).then(function (res) {
      if (g !== generation) return;
      last = res;
      var n = res.docs.length;
      var text = n === 1 ? t("count-one") : t("count", n);
      updateFacets(res.counts, n);
      return showResults(0, Math.min(PAGE, n), g).then(function (ok) {
        if (!ok) return;
        countEl.textContent = text;
        notice.textContent = n === 0 ? t("none") : res.partial ? t("partial") : "";
        notice.hidden = !notice.textContent;
        list.removeAttribute("aria-busy");
        announce(notice.textContent && n === 0 ? text + ". " + notice.textContent : text);
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
    state = { q: s.q, filters: s.filters };
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
    run(true);
    input.focus();
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
    buildFacets();
    root.querySelector(".search-layout").hidden = false;
    applyState(readURL());
    // The filters start open beside the results on wide screens, and whenever the URL has some.
    var filters = $("search-filters");
    if (window.matchMedia("(min-width: 50rem)").matches || Object.keys(state.filters).length) filters.open = true;
    return run();
  }).catch(function (e) { clearTimeout(slow); fail(e); });

  // For tests and the benchmark: the same query engine, without the page.
  window.tilbudSearch = { fold: fold, words: words, stem: stem, search: function (q, f) { return E.search(q, f || {}); }, doc: function (d) { return E.doc(d); } };
})();
