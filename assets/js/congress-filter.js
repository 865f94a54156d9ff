// congress-filter.js filters the congress table (table[data-filterable])
// by the fields of its form (form[data-congress-filter]): department,
// grade, result-use decision, "sent to the congress", "has overdue
// findings" and words of the title. It hides the rows that do not match
// and recomputes the summary rows in the table's foot for the rows shown,
// and says in a live region how many are shown (printed too, so that a
// filtered printout says it is one).
//
// It is progressive enhancement: without it the form stays hidden and the
// table shows every row, with the summary of all of them as the server
// computed it (internal/site/congress.go). The figures here must come out
// exactly as the server's would for the same rows, so amounts are summed as
// BigInt counts of millionths from the rows' data attributes (data-budget,
// data-total), never as floats, and formatted as the decimal package does:
// no trailing zeros, thousands separators for amounts (decimal.Group), the
// average rounded once, half away from zero, to two places (Sum.Mean).
//
// A classic deferred script, for the reasons given at the top of
// charts.js: the congress table must work when opened from the disk too.
// It needs BigInt but avoids its literal syntax, so that a browser without
// BigInt parses it, leaves the form hidden and shows the whole table.
(() => {
  "use strict";

  if (typeof BigInt !== "function") return;
  const form = document.querySelector("form[data-congress-filter]");
  const table = document.querySelector("table[data-filterable]");
  if (!form || !table || !table.tBodies[0] || !table.tFoot) return;

  const ZERO = BigInt(0);
  const ONE = BigInt(1);
  const SCALE = BigInt(1000000); // millionths in a unit (decimal.Scale)
  const HUNDREDTH = BigInt(10000); // millionths in a hundredth

  const rows = Array.from(table.tBodies[0].rows);
  const foot = table.tFoot;
  const status = document.querySelector("[data-filter-status]");

  // plain formats a count of millionths as decimal.D's String does.
  function plain(m) {
    const neg = m < ZERO;
    if (neg) m = -m;
    const frac = (m % SCALE).toString().padStart(6, "0").replace(/0+$/, "");
    return (neg ? "-" : "") + (m / SCALE).toString() + (frac ? "." + frac : "");
  }

  // grouped formats a count of millionths as an amount of the page:
  // plain, with a comma every three digits of the whole part.
  function grouped(m) {
    const s = plain(m);
    const dot = s.indexOf(".");
    const whole = dot < 0 ? s : s.slice(0, dot);
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (dot < 0 ? "" : s.slice(dot));
  }

  // mean is sum/n rounded once, half away from zero, to hundredths, in
  // millionths, as decimal.Sum.Mean computes it.
  function mean(sum, n) {
    const neg = sum < ZERO;
    const a = neg ? -sum : sum;
    const unit = BigInt(n) * HUNDREDTH;
    let q = a / unit;
    const r = a % unit;
    if (r >= unit - r) q += ONE;
    return neg ? -q * HUNDREDTH : q * HUNDREDTH;
  }

  function field(name) {
    const el = form.elements.namedItem(name);
    if (!el) return "";
    if (el.type === "checkbox") return el.checked;
    return el.value;
  }

  function matches(row) {
    const d = row.dataset;
    const dept = field("dept");
    const grade = field("grade");
    const decision = field("decision");
    const words = field("q").trim().toLowerCase().split(/\s+/).filter(Boolean);
    const title = row.cells[0].textContent.toLowerCase();
    return (
      (!dept || d.dept === dept) &&
      (!grade || d.grade === grade) &&
      (!decision || d.decision === decision) &&
      (!field("congress") || "congress" in d) &&
      (!field("overdue") || Number(d.overdue) > 0) &&
      words.every((w) => title.includes(w))
    );
  }

  function show(name, text) {
    const el = foot.querySelector('[data-summary="' + name + '"]');
    if (el) el.textContent = text;
  }

  // summarise writes the summary rows for the rows shown, in the words of
  // templates/congress.html.
  function summarise(shown) {
    let sent = 0;
    let funded = 0;
    let scored = 0;
    let open = 0;
    let overdue = 0;
    let funds = ZERO;
    let totals = ZERO;
    const grades = new Map();
    for (const row of shown) {
      const d = row.dataset;
      if ("congress" in d) sent++;
      if (d.budget !== undefined) {
        funded++;
        funds += BigInt(d.budget);
      }
      if (d.total !== undefined) {
        scored++;
        totals += BigInt(d.total);
      }
      grades.set(d.grade, (grades.get(d.grade) || 0) + 1);
      open += Number(d.open);
      overdue += Number(d.overdue);
    }
    show(
      "total",
      `共 ${shown.length} 项，其中报送人大 ${sent} 项；` +
        (funded ? `${funded} 项列明预算，合计 ${grouped(funds)} 万元` : "均未列明预算") +
        "。",
    );
    show("average", scored ? `${plain(mean(totals, scored))} 分（${scored} 项有综合得分）` : "—");
    for (const span of foot.querySelectorAll("[data-grade]")) {
      const g = span.getAttribute("data-grade");
      span.textContent = `${g} ${grades.get(g) || 0} 项`;
    }
    show("findings", `未完成整改的问题 ${open} 个，其中逾期 ${overdue} 个。`);
  }

  function apply() {
    const shown = [];
    for (const row of rows) {
      row.hidden = !matches(row);
      if (!row.hidden) shown.push(row);
    }
    summarise(shown);
    if (status) {
      status.textContent =
        shown.length === rows.length
          ? `显示全部 ${rows.length} 项。`
          : `显示 ${shown.length} 项（共 ${rows.length} 项），表尾合计按显示的项目计算。`;
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (ev) => ev.preventDefault());
  // The fields take their first values after the reset event.
  form.addEventListener("reset", () => setTimeout(apply, 0));
  form.hidden = false;
})();
