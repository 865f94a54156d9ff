// sort-table.js makes tables marked data-sortable sortable by any column
// whose header has data-sort-type ("number" or "text"). It is progressive
// enhancement: without it the table is complete, in the bureau's order.
// (The congress table's filter, which shows only the rows sent to the
// congress among others, is congress-filter.js.)
//
// Each sortable header gets a button, so keyboard users can sort; the
// header's aria-sort tells screen readers the current order. A cell's
// data-sort, if present, is its sort key (a number for numeric columns);
// cells without one (a dash for "not given") sort last either way.
//
// A classic script in ES2017, for the reasons given at the top of
// charts.js: the congress list must work when opened from the disk too.
// Most pages load it deferred. The congress page runs it right after its
// table's head, before the rows: once a table of thousands of rows is
// laid out, buttons put in its head make the browser lay it all out
// again (some 2 s for 15,000 rows). A table it already made sortable is left
// as it is, should a page load it twice.
(() => {
  "use strict";

  const collator = new Intl.Collator("zh-CN");

  // key returns the cell's sort key: a number, or null for none, in a
  // numeric column; the text, "" for none, in a text column.
  function key(cell, numeric) {
    const v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) return v;
    const n = parseFloat(v);
    return isNaN(n) ? null : n;
  }

  const missing = (k) => k === null || k === "";

  function sortBy(table, th, index, numeric) {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const h of table.tHead.rows[0].cells) h.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows, (row, i) => ({ row, key: key(row.cells[index], numeric), i }));
    rows.sort((a, b) => {
      const ma = missing(a.key);
      const mb = missing(b.key);
      if (ma || mb) {
        if (ma !== mb) return ma ? 1 : -1;
        return a.i - b.i;
      }
      let c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      if (!ascending) c = -c;
      return c || a.i - b.i;
    });
    // The line breaks between the rows are text nodes. As the rows move
    // they would gather in one run, which the browser looks through at
    // each move: the second sort of a table of 15,000 rows took four
    // minutes. Without them it takes under a second of script.
    for (const node of Array.from(body.childNodes)) {
      if (node.nodeType !== Node.ELEMENT_NODE) body.removeChild(node);
    }
    for (const r of rows) body.appendChild(r.row);
  }

  function enhance(table) {
    if (table.tHead.querySelector("button.sort")) return;
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      const type = th.getAttribute("data-sort-type");
      if (!type) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", () => sortBy(table, th, index, type === "number"));
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(enhance);
})();
