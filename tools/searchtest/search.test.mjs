// Tests of assets/js/search.js under node's test runner:
//
//   node --test tools/searchtest/
//
// The normalisation test always runs, against the vectors that the Go tests
// keep in internal/search/testdata/normalize.json. The index test needs a
// built index and the Go reference answers: `go test ./internal/search -run
// TestClient` builds both from 2,000 generated evaluations and runs this
// file with SEARCHTEST_FIXTURE set.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { createSearch, normalize, words } = await import(pathToFileURL(path.join(root, "assets/js/search.js")).href);

test("normalize agrees with Go's search.Normalize", () => {
  const v = JSON.parse(readFileSync(path.join(root, "internal/search/testdata/normalize.json"), "utf8"));
  const changed = new Set();
  for (const [cp, want] of v.codePoints) {
    changed.add(cp);
    assert.equal(normalize(String.fromCodePoint(cp)), want, `U+${cp.toString(16)}`);
  }
  for (const [s, want] of v.strings) assert.equal(normalize(s), want, JSON.stringify(s));
  // Code points Go leaves alone must stay alone, except those Unicode 15
  // (Go's case tables) has not assigned yet; see vectors in normalize_test.go.
  const unassigned = (cp) => v.unassigned.some(([a, b]) => cp >= a && cp <= b);
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || changed.has(cp)) continue;
    const s = String.fromCodePoint(cp);
    if (normalize(s) !== s && !unassigned(cp))
      assert.fail(`U+${cp.toString(16)}: JS ${JSON.stringify(normalize(s))}, Go unchanged`);
  }
});

test("words splits, normalises and drops repeats", () => {
  assert.deepEqual(words("  补贴　ＰＰＰ ppp 补贴 "), ["补贴", "ppp"]);
  assert.deepEqual(words(""), []);
});

const fixturePath = process.env.SEARCHTEST_FIXTURE;
const skip = !fixturePath && "SEARCHTEST_FIXTURE not set: run go test ./internal/search -run TestClient";

// open returns a search bound to the index in dir, and the list of files
// it has read.
function open(dir) {
  const read = [];
  const load = async (name, type) => {
    const data = await readFile(path.join(dir, "search", name));
    read.push({ name, bytes: data.length, gzip: gzipSync(data).length });
    if (type === "json") return JSON.parse(data.toString("utf8"));
    if (type === "text") return data.toString("utf8");
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  };
  return { search: createSearch({ base: pathToFileURL(path.join(dir, "search") + "/"), load }), read };
}

test("totals equal the Go reference", { skip }, async () => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  const { search } = open(fx.dir);
  for (const c of fx.queries) {
    const r = await search(c.q, { filters: c.filters ?? {}, ids: true, limit: 3 });
    const label = `${JSON.stringify(c.q)} ${JSON.stringify(c.filters ?? {})}`;
    assert.equal(r.total, c.total, `total of ${label}`);
    assert.deepEqual(
      [...r.ids].sort((a, b) => a - b),
      c.ids,
      `ids of ${label}`,
    );
    for (const res of r.results) {
      for (const [s, e] of res.marks) assert.ok(s < e && e <= res.excerpt.length, `mark in excerpt of ${label}`);
    }
  }
});

test("ranking, sorting, facets and excerpts", { skip }, async () => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  const { search } = open(fx.dir);
  const r = await search("补贴", { limit: 10 });
  assert.ok(r.total > 0);
  // Title matches first.
  const inTitle = r.results.map((x) => normalize(x.title).includes("补贴"));
  assert.deepEqual(
    inTitle,
    [...inTitle].sort((a, b) => b - a),
    "title matches come first",
  );
  // Facet counts of the unfiltered result add up to the total.
  for (const f of ["year", "grade", "kind"]) {
    assert.equal(
      Object.values(r.facets[f]).reduce((a, b) => a + b, 0),
      r.total,
      `facet ${f}`,
    );
  }
  // A filtered search keeps the counts of the other values of its facet.
  const y = Object.keys(r.facets.year)[0];
  const f = await search("补贴", { filters: { year: y } });
  assert.equal(f.total, r.facets.year[y]);
  assert.deepEqual(f.facets.year, r.facets.year);
  // Excerpts mark the word.
  for (const x of r.results) {
    for (const [s, e] of x.marks) assert.equal(normalize(x.excerpt.slice(s, e)).includes("补贴"), true);
  }
  // Sorts.
  const bs = await search("资金", { sort: "score", limit: 50 });
  const sc = bs.results.map((x) => (x.score === "" ? -1 : Number(x.score)));
  assert.deepEqual(
    sc,
    [...sc].sort((a, b) => b - a),
    "sort by score",
  );
  const by = await search("资金", { sort: "year", limit: 50 });
  const ys = by.results.map((x) => Number(x.year));
  assert.deepEqual(
    ys,
    [...ys].sort((a, b) => b - a),
    "sort by year",
  );
  // Paging.
  const p2 = await search("资金", { limit: 10, offset: 10 });
  const all = await search("资金", { limit: 20 });
  assert.deepEqual(
    p2.results.map((x) => x.id),
    all.results.slice(10).map((x) => x.id),
  );
});

test("cold and warm cost of a common two-character query", { skip }, async (t) => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  for (const q of ["资金", "补贴", "生活补贴"]) {
    const { search, read } = open(fx.dir);
    let start = performance.now();
    const r = await search(q, { limit: 10 });
    const cold = performance.now() - start;
    start = performance.now();
    await search(q, { limit: 10 });
    const warm = performance.now() - start;
    const gz = read.reduce((a, f) => a + f.gzip, 0);
    const client = gzipSync(readFileSync(path.join(root, "assets/js/search.js"))).length;
    const kb = (n) => (n / 1024).toFixed(1);
    const parts = {};
    for (const f of read) {
      const k = f.name.includes("/") ? f.name.split("/")[0] + "/" : f.name;
      parts[k] = (parts[k] ?? 0) + f.gzip;
    }
    const page = r.results.filter((x) => x.excerptFrom === "none").length;
    t.diagnostic(
      `${q}: total ${r.total}, ${read.length} files, ${kb(gz)} KB gzip (${Object.entries(parts)
        .map(([k, v]) => `${k} ${kb(v)}`)
        .join(", ")}) + client ${kb(client)} KB; ` +
        `${page} of ${r.results.length} excerpts need the evaluation page; cold ${cold.toFixed(1)} ms, warm ${warm.toFixed(1)} ms`,
    );
  }
});

test("a phrase many evaluations share is answered by its own list, without positions", { skip }, async () => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  for (const q of ["满意度", "资金使用"]) {
    const { search, read } = open(fx.dir);
    const r = await search(q, { limit: 10 });
    const want = fx.queries.find((x) => x.q === q && !x.filters);
    assert.equal(r.total, want.total, `${q}: total`);
    const pos = read.filter((f) => f.name.startsWith("p/")).map((f) => f.name);
    assert.deepEqual(pos, [], `${q} read position files`);
    const shards = read.filter((f) => f.name.startsWith("t/")).length;
    assert.ok(shards <= 2, `${q} read ${shards} shards, want its own (and its alias's)`);
  }
});

test("a rare word of common bigrams reads the positions of its candidates only", { skip }, async () => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  assert.ok(fx.rare.length >= 7, "rare words in the fixture");
  for (const c of fx.rare) {
    const { search, read } = open(fx.dir);
    const r = await search(c.q, { ids: true, limit: 3 });
    assert.equal(r.total, c.total, `total of ${c.q}`);
    assert.deepEqual(
      [...r.ids].sort((a, b) => a - b),
      c.ids,
      `ids of ${c.q}`,
    );
    const names = new Set(read.map((f) => f.name));
    // A word that no evaluation holds reads no common bigram's positions
    // whole: of its blocks, only some (those of candidates) or none. (A
    // word that some hold may have a candidate in every block.)
    if (c.total > 0) continue;
    for (const g of c.grams) {
      const n = g.blocks.filter((f) => names.has(f)).length;
      if (g.blocks.length >= 4) assert.ok(n < g.blocks.length, `${c.q} read all ${n} blocks of ${g.gram}`);
    }
  }
  // 项目 is in nearly every evaluation; 项目完成及时率 in none. Its rare
  // bigrams confirm it, without 项目's positions, which the previous
  // format read whole.
  const c = fx.rare.find((x) => x.q === "项目完成及时率");
  const xm = c.grams.find((g) => g.gram === "项目");
  assert.ok(xm.blocks.length > 0, "项目 has position blocks");
  const { search, read } = open(fx.dir);
  await search(c.q);
  const pos = read.filter((f) => f.name.startsWith("p/"));
  assert.deepEqual(
    pos.filter((f) => xm.blocks.includes(f.name)).map((f) => f.name),
    [],
    "项目完成及时率 read blocks of 项目",
  );
  const bytes = pos.reduce((a, f) => a + f.bytes, 0);
  assert.ok(bytes < xm.posBytes / 2, `项目完成及时率 read ${bytes} bytes of positions; 项目 has ${xm.posBytes}`);
});

test("a word of common pairs that no evaluation holds reads positions within the budget", { skip }, async () => {
  const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
  if (!fx.posBudget) return;
  for (const c of fx.rare) {
    if (c.total > 0) continue;
    const { search, read } = open(fx.dir);
    const r = await search(c.q, { limit: 10 });
    assert.equal(r.total, 0, `total of ${c.q}`);
    const gz = read.filter((f) => f.name.startsWith("p/")).reduce((a, f) => a + f.gzip, 0);
    assert.ok(gz <= fx.posBudget, `${c.q} read ${gz} bytes gzip of positions, budget ${fx.posBudget}`);
  }
});
