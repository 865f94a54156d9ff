// Measures what a cold search costs a reader, for `make bench`:
//
//   node tools/searchtest/measure.mjs PUBLIC_DIR QUERY...
//
// For each query, with an empty cache, it runs the shipped search.js
// against the built index in PUBLIC_DIR, counting the gzip size of every
// file the query reads (index shards and the metadata of the first 10
// results) plus the client itself, then repeats the query warm. One line a
// query:
//
//   search QUERY total=N files=F index_gzip=B client_gzip=C page_excerpts=P cold_ms=X warm_ms=Y
//
// page_excerpts counts results whose excerpt the browser cuts from the
// evaluation page (the match lies beyond the text kept in the index); those
// page fetches are not in index_gzip.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

const [dir, ...queries] = process.argv.slice(2);
if (!dir || queries.length === 0) {
  console.error("usage: node tools/searchtest/measure.mjs PUBLIC_DIR QUERY...");
  process.exit(2);
}
const client = path.join(dir, "assets/js/search.js");
const { createSearch } = await import(pathToFileURL(client).href);
const clientGzip = gzipSync(readFileSync(client)).length;

for (const q of queries) {
  const read = [];
  const load = async (name, type) => {
    const data = await readFile(path.join(dir, "search", name));
    read.push(gzipSync(data).length);
    if (type === "json") return JSON.parse(data.toString("utf8"));
    if (type === "text") return data.toString("utf8");
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  };
  const search = createSearch({ base: pathToFileURL(path.join(dir, "search") + "/"), load });
  let start = performance.now();
  const r = await search(q, { limit: 10 });
  const cold = performance.now() - start;
  // Warm: the same query again, its files cached, as when a reader pages
  // or changes a filter; the best of five, as a timer's noise is one-sided.
  let warm = Infinity;
  for (let i = 0; i < 5; i++) {
    start = performance.now();
    await search(q, { limit: 10 });
    warm = Math.min(warm, performance.now() - start);
  }
  const pages = r.results.filter((x) => x.excerptFrom === "none").length;
  const gz = read.reduce((a, b) => a + b, 0);
  console.log(
    `search ${q} total=${r.total} files=${read.length} index_gzip=${gz} client_gzip=${clientGzip} ` +
      `page_excerpts=${pages} cold_ms=${cold.toFixed(1)} warm_ms=${warm.toFixed(1)}`,
  );
}
