"""The report's one inline script: sort, filter and search the findings table in the page.

Plain ES2015, no library, nothing fetched. Headings become buttons that sort by their column
(numbers by their exact digits in ``data-v``, text by the Chinese collation); the status
select and the search box hide the rows that do not match; the state is kept in the address's
fragment (``#status=non_compliant&q=教育&sort=shortfall:desc``), so a view can be linked and
is restored on load. Without scripts the controls stay hidden and every row is shown.
"""

from __future__ import annotations

__all__ = ["SCRIPT"]

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var controls = document.getElementById("controls");
  if (!table || !controls) { return; }
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var search = document.getElementById("search");
  var select = document.getElementById("status-filter");
  var count = document.getElementById("shown-count");
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  var state = {status: "", q: "", sort: ""};

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (numeric) {
      var v = cell.getAttribute("data-v");
      return v === null || v === "" ? null : parseFloat(v);
    }
    return cell.textContent;
  }

  function sortRows() {
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    if (!state.sort) { return; }
    var parts = state.sort.split(":");
    var index = heads.findIndex(function (th) { return th.dataset.key === parts[0]; });
    if (index < 0) { return; }
    var th = heads[index];
    var numeric = th.dataset.type === "num";
    var sign = parts[1] === "desc" ? -1 : 1;
    th.setAttribute("aria-sort", sign < 0 ? "descending" : "ascending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      if (x === null || y === null) { return (x === null) - (y === null); }  // blanks last
      var c = numeric ? x - y : collator.compare(x, y);
      return c * sign || (Number(a.dataset.order) - Number(b.dataset.order));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function filterRows() {
    var q = state.q.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = (!state.status || row.dataset.status === state.status) &&
        (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    count.textContent = count.dataset.template
      .replace("{shown}", shown).replace("{total}", body.rows.length);
    table.dataset.shown = String(shown);
  }

  function save() {
    var parts = [];
    ["status", "q", "sort"].forEach(function (k) {
      if (state[k]) { parts.push(k + "=" + encodeURIComponent(state[k])); }
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }

  function load() {
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv[0] in state) { state[kv[0]] = decodeURIComponent(kv[1] || ""); }
    });
    search.value = state.q;
    select.value = state.status;
  }

  function apply() { sortRows(); filterRows(); save(); }

  Array.prototype.forEach.call(body.rows, function (row, i) { row.dataset.order = String(i); });
  heads.forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = th.dataset.key;
      var first = th.dataset.type === "num" ? "desc" : "asc";
      var current = state.sort.split(":");
      var dir = current[0] === key ? (current[1] === "asc" ? "desc" : "asc") : first;
      state.sort = key + ":" + dir;
      apply();
    });
  });
  search.addEventListener("input", function () { state.q = search.value; apply(); });
  select.addEventListener("change", function () { state.status = select.value; apply(); });
  controls.hidden = false;
  load();
  apply();
})();
"""
