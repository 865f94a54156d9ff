// Full-text search of an evalpress site, in the browser, with no server.
//
// The index (written by the Go package internal/search) lives in search/ at
// the site root; this module finds it relative to its own URL, so the site
// works under any base path. It downloads only what a query needs: the
// shards of the query's terms, the facet table, and the metadata of the
// results shown. See internal/search/doc.go for the design and write.go for
// the file formats.
//
//   const r = await search("补贴", { filters: { year: "2023" }, sort: "relevance", limit: 10 });
//   // r.total, r.results[i].{url, href, title, department, year, grade, score,
//   // kind, excerpt, marks, titleMarks}, r.facets.{year, department, grade, kind}
//
// Query semantics: the query is normalised (normalize below) and split at
// spaces; every word must occur in an evaluation's text as an exact
// substring (AND). Excerpts and titles come back as plain text with match
// ranges ([start, end) in UTF-16 units): the caller marks them up with
// textContent and <mark>, never innerHTML.

const VERSION = 2;
const FACETS = ["year", "department", "grade", "kind"];
const NO_RUNE = 0x1fffff;
// MAX_PHRASE is phraseMax of internal/search/phrases.go: no longer word
// can be a phrase term.
const MAX_PHRASE = 8;

// WS is the whitespace of Normalize in internal/search (wsChars).
const WS = /[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

/** normalize returns s as the index sees it: NFKC, lower case, ς as σ,
 * whitespace runs as one space, trimmed. It must equal Go's
 * search.Normalize; testdata/normalize.json checks both. */
export function normalize(s) {
  return String(s).normalize("NFKC").toLowerCase().replace(/ς/g, "σ").replace(WS, " ").trim();
}

/** words returns the distinct words of a query, normalised. */
export function words(q) {
  const out = [];
  for (const w of normalize(q).split(" ")) if (w && !out.includes(w)) out.push(w);
  return out;
}

// termHash is termHash of internal/search/builder.go; b is NO_RUNE for a
// unigram.
function termHash(a, b) {
  let h = (Math.imul(a, 0x9e3779b1) ^ b) >>> 0;
  h ^= h >>> 15;
  return mixHash(h);
}

// mixHash is mixHash of internal/search/builder.go.
function mixHash(h) {
  h = Math.imul(h, 0x85ebca77) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

// phraseHash is phraseHash of internal/search/phrases.go, for terms of
// three characters or more.
function phraseHash(cps) {
  let h = cps.length >>> 0;
  for (const r of cps) {
    h = Math.imul((h ^ r) >>> 0, 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
  }
  return mixHash(h);
}

// Reader decodes unsigned LEB128 varints.
class Reader {
  constructor(bytes, pos = 0) {
    this.b = bytes;
    this.p = pos;
  }
  uv() {
    let x = 0;
    let mul = 1;
    for (;;) {
      const c = this.b[this.p++];
      x += (c & 0x7f) * mul;
      if (c < 0x80) return x;
      mul *= 128;
    }
  }
}

function defaultLoad(base) {
  return async (name, type) => {
    const res = await fetch(new URL(name, base));
    if (!res.ok) throw new Error(`search: ${name}: HTTP ${res.status}`);
    if (type === "json") return res.json();
    if (type === "text") return res.text();
    return new Uint8Array(await res.arrayBuffer());
  };
}

/**
 * createSearch returns a search function bound to one index.
 * options.base: URL of the index directory (ends in "/"); default: the
 *   search/ directory of the site this module belongs to (../../search/).
 * options.load(name, type): optional loader, for tests or other transports;
 *   type is "json", "text" or "bytes" (resolve to a Uint8Array).
 * options.loadPage(href): optional loader of an evaluation page's HTML, for
 *   excerpts of matches beyond the text kept in the index; by default
 *   fetch, in a browser, when options.load is not given.
 */
export function createSearch(options = {}) {
  const base = options.base ?? new URL("../../search/", import.meta.url);
  const load = options.load ?? defaultLoad(base);
  const siteRoot = new URL("../", base);
  const files = new Map(); // name → Promise of contents
  const pages = new Map(); // evaluation page URL → Promise of its prose
  const get = (name, type) => {
    let p = files.get(name);
    if (!p) {
      p = load(name, type);
      files.set(name, p);
      p.catch(() => files.delete(name)); // let a failed fetch be retried
    }
    return p;
  };

  let metaP;
  const meta = () =>
    (metaP ??= get("meta.json", "json").then((m) => {
      if (m.version !== VERSION) throw new Error(`search: index version ${m.version}, want ${VERSION}`);
      return m;
    }));

  // facets() decodes facets.bin into one Uint16Array of codes per facet.
  let facetsP;
  const facets = () =>
    (facetsP ??= Promise.all([meta(), get("facets.bin", "bytes")]).then(([m, b]) => {
      const cols = {};
      let off = 0;
      for (const f of FACETS) {
        const w = m.widths[f];
        const col = new Uint16Array(m.docs);
        for (let i = 0; i < m.docs; i++, off += w) col[i] = w === 1 ? b[off] : b[off] | (b[off + 1] << 8);
        cols[f] = col;
      }
      return cols;
    }));

  const shards = new Map(); // shard → Promise of {terms: Map, bytes}
  const shard = (s) => {
    let p = shards.get(s);
    if (!p) {
      p = get(`t/${s}.bin`, "bytes").then((bytes) => {
        const r = new Reader(bytes);
        const n = r.uv();
        const runes = () => {
          let out = "";
          for (let k = r.uv(); k > 0; k--) out += String.fromCodePoint(r.uv());
          return out;
        };
        const list = [];
        for (let i = 0; i < n; i++) {
          const key = runes();
          const [df, dl, pl] = [r.uv(), r.uv(), r.uv()];
          // A phrase names the phrase whose list it shares, if any.
          const alias = Array.from(key).length >= 3 ? runes() : "";
          list.push([key, df, dl, pl, alias]);
        }
        const terms = new Map();
        let docOff = r.p;
        let posOff = 0;
        for (const [key, df, dl, pl, alias] of list) {
          terms.set(key, { shard: s, df, docOff, docLen: dl, posOff, posLen: pl, alias, list: null, pos: null });
          docOff += dl;
          posOff += pl;
        }
        return { terms, bytes };
      });
      shards.set(s, p);
      p.catch(() => shards.delete(s));
    }
    return p;
  };

  // term returns the postings of a term: a unigram, a bigram or a phrase
  // of the index (following an alias to the phrase whose list it shares),
  // or null.
  const term = async (t) => {
    const m = await meta();
    const cps = Array.from(t, (c) => c.codePointAt(0));
    const h = cps.length <= 2 ? termHash(cps[0], cps.length > 1 ? cps[1] : NO_RUNE) : phraseHash(cps);
    const { terms, bytes } = await shard(h & (m.shards - 1));
    const e = terms.get(t);
    if (!e) return null;
    if (e.alias) return term(e.alias);
    if (!e.list) {
      const docs = new Int32Array(e.df);
      const info = new Int32Array(e.df); // tf << 1 | in title
      const r = new Reader(bytes, e.docOff);
      let d = -1;
      for (let i = 0; i < e.df; i++) {
        d += r.uv() + 1;
        docs[i] = d;
        info[i] = r.uv();
      }
      e.list = { docs, info };
    }
    return e;
  };

  // positions returns, for a bigram's entry, its positions: pos.at[pos.off[i]
  // .. pos.off[i+1]) for the i-th document of its list.
  const positions = async (e) => {
    if (!e.pos) {
      const bytes = await get(`p/${e.shard}.bin`, "bytes");
      if (!e.pos) {
        const { info } = e.list;
        const off = new Int32Array(info.length + 1);
        let n = 0;
        for (let i = 0; i < info.length; i++) {
          off[i] = n;
          n += info[i] >>> 1;
        }
        off[info.length] = n;
        const at = new Int32Array(n);
        const r = new Reader(bytes, e.posOff);
        for (let i = 0; i < info.length; i++) {
          let p = 0;
          for (let j = off[i]; j < off[i + 1]; j++) {
            p = j === off[i] ? r.uv() : p + r.uv();
            at[j] = p;
          }
        }
        e.pos = { off, at };
      }
    }
    return e.pos;
  };

  let titlesP;
  const titles = () => (titlesP ??= get("titles.bin", "bytes"));
  let scoresP;
  const scores = () =>
    (scoresP ??= get("scores.bin", "bytes").then(
      (b) => new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
    ));

  // match returns the documents containing word w: {docs, tf, title}, docs
  // increasing.
  const match = async (w) => {
    const cps = Array.from(w);
    // A word of one or two characters is a term; so is a phrase that many
    // evaluations share. Either has its exact list.
    const own = cps.length <= 2 || cps.length <= MAX_PHRASE ? await term(w) : null;
    if (own || cps.length <= 2) {
      if (!own) return { docs: new Int32Array(0), tf: new Int32Array(0), title: new Uint8Array(0) };
      const { docs, info } = own.list;
      return { docs, tf: info.map((v) => v >>> 1), title: Uint8Array.from(info, (v) => v & 1) };
    }
    // Any other word: all bigrams narrow the candidates; a cover of them
    // confirms the word by positions.
    const grams = [];
    for (let i = 0; i + 1 < cps.length; i++) grams.push(cps[i] + cps[i + 1]);
    const entries = await Promise.all(grams.map(term));
    if (entries.some((e) => !e)) return { docs: new Int32Array(0), tf: new Int32Array(0), title: new Uint8Array(0) };
    let cand = null;
    for (const e of [...new Set(entries)].sort((a, b) => a.df - b.df))
      cand = cand ? intersect(cand, e.list.docs) : e.list.docs;
    if (cand.length === 0) return { docs: cand, tf: new Int32Array(0), title: new Uint8Array(0) };
    const cover = coverOf(entries);
    const [pos, tl] = await Promise.all([Promise.all(cover.map((o) => positions(entries[o]))), titles()]);
    // For each cover bigram, walk its list alongside the candidates.
    const idx = cover.map(() => 0);
    const docs = [];
    const tfs = [];
    const ttl = [];
    for (const d of cand) {
      const lists = cover.map((o, k) => {
        const ds = entries[o].list.docs;
        let i = idx[k];
        while (ds[i] < d) i++;
        idx[k] = i;
        return pos[k].at.subarray(pos[k].off[i], pos[k].off[i + 1]);
      });
      // Start positions from the shortest list, checked in the others.
      let best = 0;
      for (let k = 1; k < lists.length; k++) if (lists[k].length < lists[best].length) best = k;
      let tf = 0;
      let inTitle = 0;
      for (const q of lists[best]) {
        const p = q - cover[best];
        let ok = p >= 0;
        for (let k = 0; ok && k < lists.length; k++) if (k !== best && !has(lists[k], p + cover[k])) ok = false;
        if (ok) {
          tf++;
          if (p < tl[d]) inTitle = 1;
        }
      }
      if (tf) {
        docs.push(d);
        tfs.push(tf);
        ttl.push(inTitle);
      }
    }
    return { docs: Int32Array.from(docs), tf: Int32Array.from(tfs), title: Uint8Array.from(ttl) };
  };

  const run = async function search(query, opts = {}) {
    const { filters = {}, sort = "relevance", limit = 10, offset = 0 } = opts;
    const [m, cols] = await Promise.all([meta(), facets()]);
    const ws = words(query ?? "");
    const n = m.docs;

    // Matching documents, with their relevance parts.
    const titleHits = new Uint8Array(n);
    const rel = new Float64Array(n);
    let hit = null; // Uint8Array of matches, null for all
    const matches = await Promise.all(ws.map(match));
    for (const r of matches) {
      const mark = new Uint8Array(n);
      const idf = Math.log(1 + n / Math.max(1, r.docs.length));
      for (let i = 0; i < r.docs.length; i++) {
        const d = r.docs[i];
        if (hit && !hit[d]) continue;
        mark[d] = 1;
        titleHits[d] += r.title[i];
        rel[d] += idf * (1 + Math.log(r.tf[i]));
      }
      hit = mark;
    }

    // Filters: per facet the accepted codes; facet counts leave out the
    // facet's own filter, so that another value can be chosen.
    const want = {};
    for (const f of FACETS) {
      let v = filters[f];
      if (v == null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
      const vals = Array.isArray(v) ? v : [v];
      const ok = new Uint8Array(m.facets[f].length);
      for (const x of vals) {
        const c = m.facets[f].indexOf(String(x));
        if (c >= 0) ok[c] = 1;
      }
      want[f] = ok;
    }
    const active = Object.keys(want);
    const counts = {};
    const countArr = {};
    for (const f of FACETS) countArr[f] = new Int32Array(m.facets[f].length);
    const ids = [];
    for (let d = 0; d < n; d++) {
      if (hit && !hit[d]) continue;
      let failed = null;
      let fails = 0;
      for (const f of active) {
        if (!want[f][cols[f][d]]) {
          fails++;
          failed = f;
        }
      }
      if (fails === 0) {
        ids.push(d);
        for (const f of FACETS) countArr[f][cols[f][d]]++;
      } else if (fails === 1) {
        countArr[failed][cols[failed][d]]++;
      }
    }
    for (const f of FACETS) {
      counts[f] = {};
      m.facets[f].forEach((v, c) => {
        if (v !== "" && countArr[f][c] > 0) counts[f][v] = countArr[f][c];
      });
    }

    // Order: relevance is title hits, then relevance, then newer years
    // (lower year codes), then id.
    const year = cols.year;
    const byRel = (a, b) => titleHits[b] - titleHits[a] || rel[b] - rel[a] || year[a] - year[b] || a - b;
    if (sort === "score") {
      const sc = await scores();
      const key = (d) => (sc[d] === 0xffff ? -1 : sc[d]);
      ids.sort((a, b) => key(b) - key(a) || byRel(a, b));
    } else if (sort === "year") {
      ids.sort((a, b) => year[a] - year[b] || byRel(a, b));
    } else {
      ids.sort(byRel);
    }

    const shown = ids.slice(offset, offset + limit);
    const results = await Promise.all(shown.map((d) => result(d, ws)));
    const out = { total: ids.length, results, facets: counts, words: ws };
    if (opts.ids) out.ids = ids;
    return out;
  };
  run.meta = meta;
  return run;

  async function result(id, ws) {
    const m = await meta();
    const doc = (await get(`d/${Math.floor(id / m.chunk)}.json`, "json"))[id % m.chunk];
    const href = new URL(doc.url, siteRoot).href;
    let ex = excerpt(doc.text, ws);
    let from = ex ? "index" : "none";
    if (!ex && doc.more && ws.length) {
      ex = await pageExcerpt(href, ws);
      from = ex ? "page" : "none";
    }
    if (!ex) ex = excerpt(doc.text, []);
    const t = mapped(doc.title);
    return {
      id,
      url: doc.url,
      href,
      title: doc.title,
      department: doc.department,
      year: doc.year,
      grade: doc.grade,
      score: doc.score,
      kind: doc.kind,
      excerpt: ex.text,
      marks: ex.marks,
      titleMarks: findAll(t, ws, 0, doc.title.length),
      // excerptFrom says where the excerpt was cut: "index" (the head of
      // text in the index), "page" (the evaluation's page, fetched because
      // the match lies further on) or "none" (no match shown: the start).
      excerptFrom: from,
    };
  }

  // pageExcerpt cuts the excerpt from the evaluation's own page when the
  // match lies beyond the head of text in the index: rare for common words,
  // and it spares the index a file per evaluation. Only in a browser
  // (DOMParser; the parsed page is inert: no script runs, nothing is
  // inserted) and only when the page is on the index's origin.
  async function pageExcerpt(href, ws) {
    const text = await pageText(href);
    return text == null ? null : excerpt(text, ws);
  }

  // pageText returns the prose of an evaluation page, fetched and parsed
  // once per page: a reader paging back or changing a filter gets the same
  // excerpts without the page being fetched and parsed again.
  function pageText(href) {
    if (!pages.has(href)) pages.set(href, fetchPageText(href));
    return pages.get(href);
  }

  async function fetchPageText(href) {
    const loadPage =
      options.loadPage ??
      (typeof DOMParser !== "undefined" && !options.load
        ? async (u) => {
            const res = await fetch(u);
            return res.ok ? res.text() : null;
          }
        : null);
    if (!loadPage) return null;
    try {
      const html = await loadPage(href);
      if (html == null || typeof DOMParser === "undefined") return null;
      const page = new DOMParser().parseFromString(html, "text/html");
      // The narrative's prose only, as the index's head of text: headings
      // and the score tables' lists of indicator names read as a run of
      // words when cut into an excerpt.
      const parts = [...page.querySelectorAll("section.narrative")].map((e) => {
        for (const h of e.querySelectorAll("h1, h2, h3, h4, h5, h6")) h.remove();
        return [...e.querySelectorAll("p, li, td, th, blockquote, pre")]
          .filter((x) => !x.querySelector("p, li, td, th, blockquote, pre"))
          .map((x) => x.textContent)
          .join(" ");
      });
      return parts.join(" ").replace(WS, " ").trim();
    } catch {
      return null;
    }
  }
}

// intersect returns the values of sorted a that are in sorted b.
function intersect(a, b) {
  const out = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j === b.length) break;
    if (b[j] === x) out.push(x);
  }
  return Int32Array.from(out);
}

// has reports whether sorted a holds x.
function has(a, x) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === x;
}

// coverOf chooses the offsets of bigrams whose positions confirm a phrase:
// every character covered (offsets 0 and last are forced, and consecutive
// chosen offsets are at most 2 apart), with the fewest position bytes.
function coverOf(entries) {
  const n = entries.length;
  const cost = entries.map((e) => e.posLen + 1);
  const best = new Float64Array(n);
  const from = new Int32Array(n).fill(-1);
  best[0] = cost[0];
  for (let i = 1; i < n; i++) {
    let b = best[i - 1];
    from[i] = i - 1;
    if (i >= 2 && best[i - 2] < b) {
      b = best[i - 2];
      from[i] = i - 2;
    }
    best[i] = b + cost[i];
  }
  const out = [];
  for (let i = n - 1; i >= 0; i = from[i]) out.push(i);
  return out.reverse();
}

// mapped normalises text piece by piece (a character with its combining
// marks), recording for each UTF-16 unit of the normalised string the range
// of text it came from, so that matches found in normalised form can be
// marked in the original.
function mapped(text) {
  let norm = "";
  const start = [];
  const end = [];
  for (const m of text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    let s = m[0].normalize("NFKC").toLowerCase().replace(/ς/g, "σ").replace(WS, " ");
    if (s === " " && (norm === "" || norm.endsWith(" "))) continue;
    norm += s;
    for (let k = 0; k < s.length; k++) {
      start.push(m.index);
      end.push(m.index + m[0].length);
    }
  }
  return { text, norm, start, end };
}

// findAll returns the merged ranges, in text's UTF-16 units, of every
// occurrence of the words inside text[from, to).
function findAll(t, ws, from, to) {
  const rs = [];
  for (const w of ws) {
    for (let i = t.norm.indexOf(w); i >= 0; i = t.norm.indexOf(w, i + 1)) {
      const s = t.start[i];
      const e = t.end[i + w.length - 1];
      if (s >= from && e <= to) rs.push([s, e]);
    }
  }
  rs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

const BEFORE = 30; // UTF-16 units of context before the first match
const WIDTH = 110; // UTF-16 units of excerpt

// excerpt cuts a window of text around the first match of any word, or its
// beginning when ws is empty; null when no word occurs. marks are relative
// to the returned text, which starts or ends with "…" where it was cut.
function excerpt(text, ws) {
  const t = mapped(text);
  let first = -1;
  for (const w of ws) {
    const i = t.norm.indexOf(w);
    if (i >= 0 && (first < 0 || t.start[i] < first)) first = t.start[i];
  }
  if (ws.length && first < 0) return null;
  let from = Math.max(0, first - BEFORE);
  let to = Math.min(text.length, from + WIDTH);
  from = Math.max(0, Math.min(from, to - WIDTH));
  // Never split a surrogate pair.
  if (from > 0 && /[\udc00-\udfff]/.test(text[from])) from--;
  if (to < text.length && /[\udc00-\udfff]/.test(text[to])) to++;
  const pre = from > 0 ? "…" : "";
  const post = to < text.length ? "…" : "";
  const marks = findAll(t, ws, from, to).map(([s, e]) => [s - from + pre.length, e - from + pre.length]);
  return { text: pre + text.slice(from, to) + post, marks };
}

let instance;

/**
 * search runs a query against this site's index.
 * opts.filters: {year, department, grade, kind}: a value or an array of
 *   values (any of them) per facet.
 * opts.sort: "relevance" (default; title matches first), "score" or "year".
 * opts.limit (default 10), opts.offset (default 0): the page of results.
 * opts.ids: also return ids, the document ids of every match in order.
 * Returns {total, results, facets, words}; total is exact.
 */
export function search(query, opts) {
  instance ??= createSearch();
  return instance(query, opts);
}

/** searchMeta resolves to the index's meta.json: facet values in display
 * order (years newest first, grades best first) and kindNames, the Chinese
 * names of the kinds. */
export function searchMeta() {
  instance ??= createSearch();
  return instance.meta();
}
