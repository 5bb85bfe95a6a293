/* Small keyboard helpers for every page (no library, no build step). */
(function () {
  "use strict";
  // Ctrl+Enter (or ⌘+Enter) in a text area submits its form, as plain Enter does in a one-line field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var target = event.target;
    if (target && target.form && target.tagName === "TEXTAREA") {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });
  // Forms that change something hard to undo ask first (data-confirm="…").
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
  // A print button (工单打印) prints the page: no inline script is allowed (CSP).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  // Double submits (a second Enter while the page loads) would be refused anyway; spare the user the message.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    window.setTimeout(function () { delete form.dataset.submitted; }, 4000);
  });
})();
/* A page re-shown with messages puts the cursor on the first field to correct. */
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
});
