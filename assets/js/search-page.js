// The search page (/search/): enhances the server-rendered form with
// results, facet filters and paging, all kept in the URL
// (?q=补贴&year=2023&grade=优&sort=score&page=2) so that a search can be
// linked, bookmarked and navigated with the back button.
//
// Everything from the index is put in the page with textContent and
// createElement; nothing is ever assigned to innerHTML.
//
// Expected markup (templates/search.html):
//   form#search-form  with input[name=q] and optionally select[name=sort]
//   #search-status    role="status" (announces the result count)
//   #search-facets    empty; filled with the facet filters
//   #search-results   an empty <ol>
//   #search-pages     empty <nav>; filled with paging links
import { search, searchMeta } from "./search.js";

const PAGE = 10;
const FACETS = [
  ["year", "年度"],
  ["department", "部门"],
  ["grade", "评价等级"],
  ["kind", "类型"],
];
const SORTS = { relevance: "相关度", score: "得分", year: "年度" };

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const status = $("search-status");
const facetsEl = $("search-facets");
const list = $("search-results");
const pages = $("search-pages");

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("aria-") || k === "role") e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// marked returns text as nodes, with the ranges [start, end) in <mark>.
function marked(text, marks) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of marks) {
    if (s > at) frag.append(text.slice(at, s));
    frag.append(el("mark", {}, text.slice(s, e)));
    at = e;
  }
  frag.append(text.slice(at));
  return frag;
}

// state reads the query, filters, sort and page from a URL.
function state(url) {
  const p = new URL(url).searchParams;
  const filters = {};
  for (const [f] of FACETS) {
    const v = p.getAll(f).filter(Boolean);
    if (v.length) filters[f] = v;
  }
  const sort = SORTS[p.get("sort")] ? p.get("sort") : "relevance";
  const page = Math.max(1, parseInt(p.get("page"), 10) || 1);
  return { q: p.get("q") ?? "", filters, sort, page };
}

// link returns the URL of the page for state s.
function link(s) {
  const u = new URL(location.href);
  u.search = "";
  if (s.q) u.searchParams.set("q", s.q);
  for (const [f] of FACETS) for (const v of s.filters[f] ?? []) u.searchParams.append(f, v);
  if (s.sort !== "relevance") u.searchParams.set("sort", s.sort);
  if (s.page > 1) u.searchParams.set("page", String(s.page));
  return u.href;
}

function go(s) {
  history.pushState(null, "", link(s));
  run(true);
}

// navLink is a link to state s that stays on the page.
function navLink(text, s, props = {}) {
  const a = el("a", { href: link(s), ...props }, text);
  a.addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    go(s);
  });
  return a;
}

let serial = 0;

async function run(moved) {
  const s = state(location.href);
  const mine = ++serial;
  const input = form?.elements.namedItem("q");
  if (input) input.value = s.q;
  const sortEl = form?.elements.namedItem("sort");
  if (sortEl) sortEl.value = s.sort;
  const filtered = Object.keys(s.filters).length > 0;
  if (!s.q.trim() && !filtered) {
    status.textContent = "请输入要查找的词语，例如项目名称、部门或政策名称。";
    list.replaceChildren();
    facetsEl.replaceChildren();
    pages.replaceChildren();
    return;
  }
  status.textContent = "正在查找…";
  let r, meta;
  try {
    [r, meta] = await Promise.all([
      search(s.q, { filters: s.filters, sort: s.sort, limit: PAGE, offset: (s.page - 1) * PAGE }),
      searchMeta(),
    ]);
  } catch (err) {
    if (mine === serial) status.textContent = "搜索暂时不可用，请通过年度或部门列表浏览。";
    console.error(err);
    return;
  }
  if (mine !== serial) return; // a newer search has started
  renderStatus(s, r);
  renderResults(s, r, meta);
  renderFacets(s, r, meta);
  renderPages(s, r);
  document.title = s.q ? `${s.q} - 搜索` : document.title;
  if (moved) status.focus?.();
}

function renderStatus(s, r) {
  const what = s.q.trim() ? `包含“${s.q.trim()}”的` : "";
  if (r.total === 0) {
    status.textContent = `没有找到${what}评价结果。`;
    return;
  }
  const first = (s.page - 1) * PAGE + 1;
  const last = Math.min(r.total, s.page * PAGE);
  status.textContent = `找到 ${r.total} 项${what}评价结果，这是第 ${first}–${last} 项（按${SORTS[s.sort]}排序）。`;
}

function renderResults(s, r, meta) {
  list.replaceChildren(
    ...r.results.map((x) => {
      const kind = meta.kindNames?.[x.kind] ?? x.kind;
      const facts = [
        x.year + "年",
        x.department,
        kind,
        x.score ? `${x.score} 分` : "",
        x.grade ? `等级：${x.grade}` : "",
      ].filter(Boolean);
      return el(
        "li",
        { class: "search-result" },
        el("h2", {}, el("a", { href: x.href }, marked(x.title, x.titleMarks))),
        el("p", { class: "search-facts" }, facts.join(" · ")),
        // A record with no prose (a list-only record) has no excerpt.
        x.excerpt ? el("p", { class: "search-excerpt" }, marked(x.excerpt, x.marks)) : null,
      );
    }),
  );
  list.start = (s.page - 1) * PAGE + 1;
}

function renderFacets(s, r, meta) {
  const groups = [];
  for (const [f, label] of FACETS) {
    const chosen = new Set(s.filters[f] ?? []);
    const counts = r.facets[f];
    // Values in the index's order (years newest first, grades best
    // first); departments by count. Chosen values stay listed.
    let values = meta.facets[f].filter((v) => v && (counts[v] || chosen.has(v)));
    if (f === "department") values.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b, "zh"));
    if (values.length === 0) continue;
    const name = (v) => (f === "kind" ? (meta.kindNames?.[v] ?? v) : f === "year" ? v + "年" : v);
    const items = values.map((v) => {
      const on = chosen.has(v);
      const next = { ...s, page: 1, filters: { ...s.filters } };
      next.filters[f] = on ? [...chosen].filter((x) => x !== v) : [v];
      if (next.filters[f].length === 0) delete next.filters[f];
      const a = navLink(`${name(v)}（${counts[v] ?? 0}）`, next, on ? { "aria-current": "true", class: "chosen" } : {});
      if (on) a.title = "取消此筛选";
      return el("li", {}, a);
    });
    if (chosen.size) {
      const next = { ...s, page: 1, filters: { ...s.filters } };
      delete next.filters[f];
      items.push(el("li", {}, navLink(`全部${label}`, next)));
    }
    const id = `facet-${f}`;
    groups.push(
      el("section", { class: "search-facet", "aria-labelledby": id }, el("h2", { id }, label), el("ul", {}, ...items)),
    );
  }
  facetsEl.replaceChildren(...groups);
}

function renderPages(s, r) {
  const n = Math.ceil(r.total / PAGE);
  if (n <= 1) {
    pages.replaceChildren();
    return;
  }
  const items = [];
  const to = (p) => ({ ...s, page: p });
  if (s.page > 1) items.push(el("li", {}, navLink("上一页", to(s.page - 1), { rel: "prev" })));
  const shown = new Set([1, n, s.page - 2, s.page - 1, s.page, s.page + 1, s.page + 2].filter((p) => p >= 1 && p <= n));
  let prev = 0;
  for (const p of [...shown].sort((a, b) => a - b)) {
    if (p > prev + 1) items.push(el("li", { "aria-hidden": "true" }, "…"));
    items.push(
      el(
        "li",
        {},
        p === s.page
          ? el("span", { "aria-current": "page" }, String(p))
          : navLink(String(p), to(p), { "aria-label": `第 ${p} 页` }),
      ),
    );
    prev = p;
  }
  if (s.page < n) items.push(el("li", {}, navLink("下一页", to(s.page + 1), { rel: "next" })));
  pages.replaceChildren(el("ul", {}, ...items));
}

if (form && status && list && facetsEl && pages) {
  status.tabIndex = -1; // focus target after a new search, for screen readers
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const s = state(location.href);
    const data = new FormData(form);
    s.q = String(data.get("q") ?? "").trim();
    if (data.has("sort")) s.sort = SORTS[data.get("sort")] ? String(data.get("sort")) : "relevance";
    s.page = 1;
    go(s);
  });
  form.elements.namedItem("sort")?.addEventListener("change", () => form.requestSubmit());
  addEventListener("popstate", () => run(false));
  run(false);
}
