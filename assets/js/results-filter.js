// results-filter.js filters the home page's list of the latest results
// (ul[data-results], one li per evaluation with data-grade and data-dept)
// by the grade and the department chosen in its form
// (form[data-results-filter]). It hides the entries that do not match and
// says in a live region how many are shown.
//
// It is progressive enhancement: without it the form stays hidden and the
// list shows every entry.
//
// A classic deferred script in ES2017, for the reasons given at the top of
// charts.js.
(() => {
  "use strict";

  const form = document.querySelector("form[data-results-filter]");
  const list = document.querySelector("ul[data-results]");
  if (!form || !list) return;
  const items = Array.from(list.children);
  const status = document.querySelector("[data-filter-status]");

  function value(name) {
    const el = form.elements.namedItem(name);
    return el ? el.value : "";
  }

  function apply() {
    const grade = value("grade");
    const dept = value("dept");
    let shown = 0;
    for (const li of items) {
      li.hidden =
        (grade !== "" && li.getAttribute("data-grade") !== grade) ||
        (dept !== "" && li.getAttribute("data-dept") !== dept);
      if (!li.hidden) shown++;
    }
    if (!status) return;
    if (grade === "" && dept === "") {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = `没有符合条件的结果（共 ${items.length} 项）。`;
    } else {
      status.textContent = `显示 ${shown} 项（共 ${items.length} 项）。`;
    }
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    apply();
  });
  // The fields take their first values after the reset event.
  form.addEventListener("reset", () => setTimeout(apply, 0));
  form.hidden = false;
  // A browser that restores the form's fields on going back shows them
  // applied.
  apply();
})();
