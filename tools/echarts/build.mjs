// Builds the ECharts file that sites ship, from the echarts npm package
// pinned in package.json and verified against package-lock.json's integrity
// hash by `npm ci`:
//
//   npm ci && node tools/echarts/build.mjs assets/vendor/echarts/echarts.min.js
//
// It bundles tools/echarts/entry.js (only the parts internal/chart uses),
// minifies it for production (process.env.NODE_ENV, which drops ECharts'
// development warnings), writes it with echarts' LICENSE and NOTICE beside
// it, and prints the sizes. It fails if the gzip size exceeds the budget.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// The target for the ECharts file: 250 KB gzipped.
const gzipBudget = 250 * 1024;

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || "assets/vendor/echarts/echarts.min.js");
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("echarts/package.json"));
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

// The lock file names the version and hash npm ci verified; refuse an
// installed echarts that is not the locked one (a stale node_modules).
const lock = JSON.parse(readFileSync(join(here, "..", "..", "package-lock.json"), "utf8"));
const locked = lock.packages && lock.packages["node_modules/echarts"];
if (!locked || locked.version !== pkg.version || !locked.integrity) {
  console.error(
    `echarts ${pkg.version} in node_modules is not the version in package-lock.json` +
      ` (${locked ? locked.version : "none"}); run npm ci`,
  );
  process.exit(1);
}

const result = await build({
  entryPoints: [join(here, "entry.js")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "echarts",
  target: ["es2017"],
  platform: "browser",
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none", // the licence texts ship as files beside the bundle
  write: false,
  logLevel: "warning",
});
const banner = `/*! ECharts ${pkg.version} (Apache-2.0), custom build for evalpress: bar, grid, legend, aria, SVG renderer. See LICENSE and NOTICE. */\n`;
const code = Buffer.concat([Buffer.from(banner), Buffer.from(result.outputFiles[0].contents)]);

mkdirSync(dirname(out), { recursive: true });
// Write then rename, so that make never sees a half-written file.
writeFileSync(out + ".tmp", code);
renameSync(out + ".tmp", out);
copyFileSync(join(pkgDir, "LICENSE"), join(dirname(out), "LICENSE"));
copyFileSync(join(pkgDir, "NOTICE"), join(dirname(out), "NOTICE"));

const gz = gzipSync(code, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + " KB";
console.log(
  `${out}: echarts ${pkg.version} (${locked.integrity.slice(0, 20)}…), ${kb(code.length)} raw, ${kb(gz)} gzip (budget ${kb(gzipBudget)})`,
);
if (gz > gzipBudget) {
  console.error(`gzip size ${kb(gz)} exceeds the budget of ${kb(gzipBudget)}`);
  process.exit(1);
}
