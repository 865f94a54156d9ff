// sort-table.js makes tables marked data-sortable sortable by any column
// whose header has data-sort-type ("number" or "text"), and adds a toggle
// that shows only the rows marked class="congress". It is progressive
// enhancement: without it the table is complete, in the bureau's order.
//
// Each sortable header gets a button, so keyboard users can sort; the
// header's aria-sort tells screen readers the current order. A cell's
// data-sort, if present, is its sort key (a number for numeric columns);
// cells without one (a dash for "not given") sort last either way.
(function () {
  'use strict';

  var collator = new Intl.Collator('zh-CN');

  function key(cell, numeric) {
    var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    if (!numeric) return v;
    var n = parseFloat(v);
    return isNaN(n) ? null : n;
  }

  function sortBy(table, th, index, numeric) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return { row: row, key: key(row.cells[index], numeric), i: i };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null || a.key === '' || b.key === '') {
        var ma = a.key === null || a.key === '', mb = b.key === null || b.key === '';
        if (ma !== mb) return ma ? 1 : -1;
        return a.i - b.i;
      }
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      if (!ascending) c = -c;
      return c || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function filterToggle(table) {
    if (!table.querySelector('tbody tr.congress')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'congress-filter';
    button.setAttribute('aria-pressed', 'false');
    button.textContent = '只看报送人大的项目';
    button.addEventListener('click', function () {
      var only = button.getAttribute('aria-pressed') !== 'true';
      button.setAttribute('aria-pressed', only ? 'true' : 'false');
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = only && !row.classList.contains('congress');
      });
    });
    var wrap = table.closest('.table-scroll') || table;
    wrap.parentNode.insertBefore(button, wrap);
  }

  function enhance(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var type = th.getAttribute('data-sort-type');
      if (!type) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        sortBy(table, th, index, type === 'number');
      });
    });
    filterToggle(table);
  }

  document.querySelectorAll('table[data-sortable]').forEach(enhance);
})();
