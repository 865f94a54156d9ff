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

const VERSION = 4;
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

  const shards = new Map(); // shard → Promise of {terms: Map, bytes, lLen, pLen}
  const shard = (s) => {
    let p = shards.get(s);
    if (!p) {
      p = get(`t/${s}.bin`, "bytes").then((bytes) => {
        const r = new Reader(bytes);
        const n = r.uv();
        const lLen = r.uv();
        const pLen = r.uv();
        const runes = () => {
          let out = "";
          for (let k = r.uv(); k > 0; k--) out += String.fromCodePoint(r.uv());
          return out;
        };
        const list = [];
        for (let i = 0; i < n; i++) {
          const key = runes();
          const df = r.uv();
          const dl = r.uv();
          const e = { shard: s, df, long: dl % 2 === 1, docLen: Math.floor(dl / 2), alias: "", list: null };
          e.docOff = 0;
          e.posLen = 0;
          e.blocks = null;
          const len = Array.from(key).length;
          if (len === 2) {
            // k is the block count << 1 | 1 when the blocks hold
            // contexts; 0 for a light bigram.
            const k = r.uv();
            if (k === 0) e.posLen = r.uv();
            else {
              e.blocks = [];
              e.ctx = k % 2 === 1;
              let first = 0;
              for (let j = 0; j < k >>> 1; j++) {
                first += r.uv();
                e.blocks.push({ first, len: r.uv(), file: "", pos: null });
              }
            }
          } else if (len >= 3) {
            // A phrase names the phrase whose list it shares, if any.
            e.alias = runes();
          }
          list.push([key, e]);
        }
        const terms = new Map();
        let docOff = r.p;
        let longOff = 0;
        let posOff = 0;
        let block = 0;
        for (const [key, e] of list) {
          if (e.long) {
            e.docOff = longOff;
            longOff += e.docLen;
          } else {
            e.docOff = docOff;
            docOff += e.docLen;
          }
          e.posOff = posOff;
          posOff += e.posLen;
          if (e.blocks) for (const b of e.blocks) b.file = `p/${s}-${block++}.bin`;
          terms.set(key, e);
        }
        return { terms, bytes, lLen, pLen };
      });
      shards.set(s, p);
      p.catch(() => shards.delete(s));
    }
    return p;
  };

  // entry returns the directory entry of a term: a unigram, a bigram or a
  // phrase of the index (following an alias to the phrase whose list it
  // shares), or null. Its document list is not read (see list).
  const entry = async (t) => {
    const m = await meta();
    const cps = Array.from(t, (c) => c.codePointAt(0));
    const h = cps.length <= 2 ? termHash(cps[0], cps.length > 1 ? cps[1] : NO_RUNE) : phraseHash(cps);
    const sh = await shard(h & (m.shards - 1));
    const e = sh.terms.get(t);
    if (!e) return null;
    if (e.alias) return entry(e.alias);
    e.lLen = sh.lLen;
    e.pLen = sh.pLen;
    e.tBytes = sh.bytes;
    return e;
  };

  // list reads an entry's document list: {docs, info}, info being
  // tf << 1 | in title.
  const list = async (e) => {
    if (!e.list) {
      const bytes = e.long ? await get(`l/${e.shard}.bin`, "bytes") : e.tBytes;
      if (!e.list) {
        const docs = new Int32Array(e.df);
        const info = new Int32Array(e.df);
        const r = new Reader(bytes, e.docOff);
        let d = -1;
        for (let i = 0; i < e.df; i++) {
          d += r.uv() + 1;
          docs[i] = d;
          info[i] = r.uv();
        }
        e.list = { docs, info };
      }
    }
    return e.list;
  };

  // term returns the entry of a term with its document list, or null.
  const term = async (t) => {
    const e = await entry(t);
    if (e) await list(e);
    return e;
  };

  // lightPositions returns a light bigram's positions and contexts (see
  // internal/search/context.go): for its i-th document docs[i], its
  // positions at[off[i] .. off[i+1]), and for the j-th position the code
  // points of the k characters before it, nearest first, at prev[j*k ..
  // j*k+k) and of those after it at next[j*k .. j*k+k), -1 for none; k is
  // meta.json's context.
  const lightPositions = async (e) => {
    if (!e.pos) {
      const [m, bytes] = await Promise.all([meta(), get(`p/${e.shard}.bin`, "bytes")]);
      if (!e.pos) {
        const r = new Reader(bytes, e.posOff);
        e.pos = withContexts(r, section(r, e.df), m.context);
      }
    }
    return e.pos;
  };

  // blockPositions returns the positions of one block of a heavy bigram
  // (e), as lightPositions does, with contexts when its blocks have them.
  const blockPositions = async (e, b) => {
    if (!b.pos) {
      const [m, bytes] = await Promise.all([meta(), get(b.file, "bytes")]);
      if (!b.pos) {
        const r = new Reader(bytes);
        b.pos = e.ctx ? withContexts(r, section(r, r.uv()), m.context) : section(r, Infinity);
      }
    }
    return b.pos;
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
    const none = { docs: new Int32Array(0), tf: new Int32Array(0), title: new Uint8Array(0) };
    // A word of one or two characters is a term; so is a phrase that many
    // evaluations share. Either has its exact list.
    const own = cps.length <= MAX_PHRASE ? await term(w) : null;
    if (own || cps.length <= 2) {
      if (!own) return none;
      const { docs, info } = own.list;
      return { docs, tf: info.map((v) => v >>> 1), title: Uint8Array.from(info, (v) => v & 1) };
    }
    // Any other word: its bigrams' directory entries, and their short
    // lists, which come with them, narrow the candidates; a cover of its
    // characters by pieces of positions confirms it.
    const grams = [];
    for (let i = 0; i + 1 < cps.length; i++) grams.push(cps[i] + cps[i + 1]);
    const entries = await Promise.all(grams.map(entry));
    if (entries.some((e) => !e)) return none;
    const uniq = [...new Set(entries)].sort((a, b) => a.df - b.df);
    const k = (await meta()).context;
    const code = cps.map((c) => c.codePointAt(0));
    let cand = null; // null: every document
    const narrowed = new Set();
    const narrow = (e, docs) => {
      cand = cand ? intersect(cand, docs) : docs;
      narrowed.add(e);
    };
    for (const e of uniq) if (!e.long) narrow(e, (await list(e)).docs);
    if (cand && cand.length === 0) return none;
    // fits says whether occurrence j of pos, the positions and contexts
    // of the bigram at offset o, has the word's characters around it,
    // where the word has any; positions without contexts always fit.
    const fits = (o, pos, j) => {
      if (!pos.prev) return true;
      for (let i = 1; i <= k && o - i >= 0; i++) if (pos.prev[j * k + i - 1] !== code[o - i]) return false;
      for (let i = 1; i <= k && o + 1 + i < code.length; i++)
        if (pos.next[j * k + i - 1] !== code[o + 1 + i]) return false;
      return true;
    };
    // fitting returns the documents where the bigram at offset o has an
    // occurrence that fits: the word can be in no other.
    const fitting = (o, pos) => {
      const out = [];
      for (let i = 0; i < pos.docs.length; i++) {
        for (let j = pos.off[i]; j < pos.off[i + 1]; j++) {
          if (fits(o, pos, j)) {
            out.push(pos.docs[i]);
            break;
          }
        }
      }
      return Int32Array.from(out);
    };
    let cover = coverOf(code, entries, cand, cached, k);
    // The cover's light pieces are read first: their contexts narrow the
    // candidates to the documents where they occur with the word around
    // them, before any block is chosen (often to none, for a word that no
    // evaluation holds). So is any other light piece that costs less than
    // the cover's blocks, which it may spare.
    const blocks = cover.reduce((a, o) => a + (entries[o].blocks ? blocksCost(entries[o], cand, cached) : 0), 0);
    const light = entries
      .map((e, o) => o)
      .filter((o) => !entries[o].blocks && (cover.includes(o) || entries[o].pLen + PER_FILE < blocks));
    const lp = await Promise.all(light.map((o) => lightPositions(entries[o])));
    light.forEach((o, i) => narrow(entries[o], fitting(o, lp[i])));
    if (cand && cand.length === 0) return none;
    cover = coverOf(code, entries, cand, cached, k);
    // A long list is read when that costs less than the position blocks
    // it can be expected to spare, rarest first: a block whose c
    // candidates all miss a list holding a share s of the documents is
    // spared with a chance of (1 − s)^c.
    const docCount = (await meta()).docs;
    for (const e of uniq) {
      if (narrowed.has(e)) continue;
      const miss = 1 - e.df / docCount;
      let spared = 0;
      for (const o of cover) {
        const h = entries[o];
        if (!h.blocks) continue;
        h.blocks.forEach((b, i) => {
          if (!cached(b.file))
            spared += b.len * miss ** (cand ? count(cand, b.first, blockEnd(h, i)) : h.df / h.blocks.length);
        });
      }
      const cost = cached(`l/${e.shard}.bin`) ? 0 : e.lLen;
      if (cost >= spared) continue;
      narrow(e, (await list(e)).docs);
      if (cand.length === 0) return none;
      cover = coverOf(code, entries, cand, cached, k);
    }
    const pieces = await Promise.all(
      cover.map(async (o) => {
        const e = entries[o];
        if (!e.blocks) return { o, e, light: true, pos: await lightPositions(e) };
        const bs = cand ? e.blocks.filter((b, i) => holds(cand, b.first, blockEnd(e, i))) : e.blocks;
        return { o, e, light: false, blocks: await Promise.all(bs.map((b) => blockPositions(e, b))) };
      }),
    );
    // occ returns a piece's occurrences in document d: its positions and,
    // for a light piece, where they start in its contexts; null for none.
    const occ = (pc, d) => {
      let pos = pc.pos;
      if (!pc.light) {
        pos = null;
        for (const b of pc.blocks) if (b.docs.length && b.docs[0] <= d) pos = b;
      }
      if (!pos) return null;
      const i = find(pos.docs, d);
      if (i < 0) return null;
      return { pos, from: pos.off[i], at: pos.at.subarray(pos.off[i], pos.off[i + 1]) };
    };
    const docs = [];
    const tfs = [];
    const starts = []; // of each match, where it first occurs
    const first = pieces[0].light ? pieces[0].pos.docs : null;
    for (const d of cand ?? allDocs(pieces, first)) {
      const occs = pieces.map((pc) => occ(pc, d));
      if (occs.some((x) => !x)) continue;
      // Start positions from the piece with fewest, checked in the others.
      let best = 0;
      for (let x = 1; x < occs.length; x++) if (occs[x].at.length < occs[best].at.length) best = x;
      let tf = 0;
      let start = Infinity;
      for (let j = 0; j < occs[best].at.length; j++) {
        if (!fits(pieces[best].o, occs[best].pos, occs[best].from + j)) continue;
        const p = occs[best].at[j] - pieces[best].o;
        let ok = p >= 0;
        for (let x = 0; ok && x < occs.length; x++) {
          if (x === best) continue;
          const i = find(occs[x].at, p + pieces[x].o);
          ok = i >= 0 && fits(pieces[x].o, occs[x].pos, occs[x].from + i);
        }
        if (ok) {
          tf++;
          start = Math.min(start, p);
        }
      }
      if (tf) {
        docs.push(d);
        tfs.push(tf);
        starts.push(start);
      }
    }
    // The titles' lengths tell title matches, and are read only when there
    // is a match: at 100,000 evaluations they are 33 KB gzip.
    const tl = docs.length ? await titles() : null;
    const title = Uint8Array.from(docs, (d, i) => (starts[i] < tl[d] ? 1 : 0));
    return { docs: Int32Array.from(docs), tf: Int32Array.from(tfs), title };
  };

  // cached says whether a file has been read (or is being read).
  function cached(name) {
    return files.has(name);
  }

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

// find returns the index of x in sorted a, or -1.
function find(a, x) {
  const i = lowerBound(a, x);
  return i < a.length && a[i] === x ? i : -1;
}

// lowerBound returns the index of the first value of sorted a not below x.
function lowerBound(a, x) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// holds says whether sorted a has a value in [from, to).
function holds(a, from, to) {
  const i = lowerBound(a, from);
  return i < a.length && a[i] < to;
}

// count returns how many values of sorted a are in [from, to).
function count(a, from, to) {
  return lowerBound(a, to) - lowerBound(a, from);
}

// blockEnd returns the first document after block i of a heavy bigram.
function blockEnd(e, i) {
  return i + 1 < e.blocks.length ? e.blocks[i + 1].first : Infinity;
}

// withContexts decodes the contexts (see internal/search/context.go)
// that follow pos, a section just read from r, into pos.prev and
// pos.next: for its j-th position, the code points of the k characters
// before it, nearest first, at prev[j*k .. j*k+k) and of those after it at
// next[j*k .. j*k+k), -1 for none. It returns pos.
function withContexts(r, pos, k) {
  const table = new Array(r.uv());
  for (let i = 0, c = 0; i < table.length; i++) table[i] = c += r.uv();
  const n = pos.at.length * k;
  pos.prev = new Int32Array(n);
  pos.next = new Int32Array(n);
  for (let j = 0; j < n; j += k) {
    for (let i = 0; i < k; i++) {
      const a = r.uv();
      pos.prev[j + i] = a ? table[a - 1] : -1;
    }
    for (let i = 0; i < k; i++) {
      const b = r.uv();
      pos.next[j + i] = b ? table[b - 1] : -1;
    }
  }
  return pos;
}

// section decodes a section of positions (see internal/search/write.go)
// of at most n documents: {docs, off, at}, the i-th document's positions
// being at[off[i] .. off[i+1]).
function section(r, n) {
  const docs = [];
  const off = [0];
  const at = [];
  let d = -1;
  for (let i = 0; i < n && r.p < r.b.length; i++) {
    d += r.uv() + 1;
    docs.push(d);
    let p = 0;
    for (let k = r.uv(), first = true; k > 0; k--, first = false) {
      p = first ? r.uv() : p + r.uv();
      at.push(p);
    }
    off.push(at.length);
  }
  return { docs: Int32Array.from(docs), off: Int32Array.from(off), at: Int32Array.from(at) };
}

// allDocs returns the documents of the first piece of a cover, when there
// are no candidates: a light piece's, or its blocks' (all read).
function allDocs(pieces, first) {
  if (first) return first;
  const out = [];
  for (const b of pieces[0].blocks) out.push(...b.docs);
  return out;
}

// PER_FILE is what reading one more file is taken to cost, in bytes, when
// choosing a cover.
const PER_FILE = 300;

// blocksCost is what reading a heavy bigram's blocks that hold
// candidates (cand; null for every document) costs, in bytes: those
// already read cost nothing.
function blocksCost(e, cand, cached) {
  let cost = 0;
  e.blocks.forEach((b, i) => {
    if (!cached(b.file) && (!cand || holds(cand, b.first, blockEnd(e, i)))) cost += b.len + PER_FILE;
  });
  return cost;
}

// coverOf chooses the pieces of positions that confirm a word of code
// points cps, whose bigram at offset o has the directory entry
// entries[o]: a set of offsets whose pieces cover every character, with
// the fewest bytes to read. A light bigram's piece covers its two
// characters and, by its contexts, the k before and the k after; a heavy
// bigram's covers its two, or as many as a light one's when its blocks
// hold contexts, and costs the blocks that hold candidates (cand; null
// for every document). Files already read cost nothing. It returns the
// offsets, increasing.
function coverOf(cps, entries, cand, cached, k) {
  const n = cps.length;
  const pieces = entries.map((e, o) => {
    if (!e.blocks) {
      const cost = cached(`p/${e.shard}.bin`) ? 0 : e.pLen + PER_FILE;
      return { o, a: Math.max(0, o - k), b: Math.min(n - 1, o + 1 + k), cost };
    }
    const cost = blocksCost(e, cand, cached);
    if (e.ctx) return { o, a: Math.max(0, o - k), b: Math.min(n - 1, o + 1 + k), cost };
    return { o, a: o, b: o + 1, cost };
  });
  // best[x + 1] is the least cost of covering characters 0 … x exactly
  // up to x; from[x + 1] the piece that ends there and prev its start.
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Array(n + 1).fill(null);
  best[0] = 0;
  const byEnd = [...pieces].sort((x, y) => x.b - y.b || x.o - y.o);
  for (const pc of byEnd) {
    let bx = pc.a - 1;
    for (let x = pc.a; x < pc.b; x++) if (best[x + 1] < best[bx + 1]) bx = x;
    if (best[bx + 1] === Infinity) continue;
    const c = best[bx + 1] + pc.cost;
    if (c < best[pc.b + 1]) {
      best[pc.b + 1] = c;
      from[pc.b + 1] = { pc, prev: bx };
    }
  }
  const out = [];
  for (let x = n - 1; x >= 0;) {
    const f = from[x + 1];
    out.push(f.pc.o);
    x = f.prev;
  }
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
