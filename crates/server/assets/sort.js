// mosy: sortable tables. Served by the hub itself (/assets/sort.js, CSP script-src 'self'); no
// inline script, nothing loaded from elsewhere. Every table with a header row becomes sortable:
// activating a column header (click, Enter or Space) sorts its rows by that column, numbers as
// numbers (whatever the language's separators), withheld or empty cells last; activating it again
// reverses the order. The header's aria-sort tells assistive technology the current order.
(function () {
  "use strict";
  function key(cell) {
    if (!cell || cell.querySelector(".flag")) return null;
    var text = (cell.textContent || "").trim();
    if (text === "" || text === "–" || text === "-") return null;
    var digits = text.replace(/[\s\u00a0\u202f]/g, "");
    // A number: thousands separators ("." or ","), one decimal mark, an optional sign or %.
    if (/^[-+]?[0-9.,]+%?$/.test(digits)) {
      var lastDot = digits.lastIndexOf("."), lastComma = digits.lastIndexOf(",");
      var decimal = lastDot > lastComma ? "." : ",";
      var parts = digits.replace("%", "").split(decimal);
      var whole = parts[0].replace(/[.,]/g, "");
      var frac = parts.length > 1 && parts[parts.length - 1].length !== 3 ? parts[parts.length - 1] : "";
      if (frac === "" && parts.length > 1) whole = digits.replace("%", "").replace(/[.,]/g, "");
      var n = parseFloat(whole + (frac ? "." + frac : ""));
      if (!isNaN(n)) return n;
    }
    return text.toLowerCase();
  }
  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }
  function sortBy(table, th, column) {
    var body = table.tBodies[0];
    if (!body) return;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var c = compare(key(r1.cells[column]), key(r2.cells[column]));
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function init() {
    var tables = document.querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.tHead || !table.tHead.rows.length || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, column) {
        th.tabIndex = 0;
        th.classList.add("sortable");
        th.addEventListener("click", function () { sortBy(table, th, column); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, column); }
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
