// Qingzhai: small enhancements on top of plain forms; every page also works without this file.
(function () {
  "use strict";

  // "/" jumps to the search box, as in most work queues.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var search = document.querySelector("[data-search]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  // "Select all on this page" ticks every row checkbox of the same table.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-select-all]")) return;
    var scope = box.closest("form") || document;
    scope.querySelectorAll("input[type=checkbox][name=case_ids]").forEach(function (row) {
      row.checked = box.checked;
    });
  });

  // After htmx replaces a part of the page, move focus to its first error or to its notice,
  // so keyboard and screen-reader users land where the answer is.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) return;
    var focusable = target.querySelector(".invalid input, .invalid select, .invalid textarea, [data-focus]");
    if (focusable) focusable.focus();
  });
})();
