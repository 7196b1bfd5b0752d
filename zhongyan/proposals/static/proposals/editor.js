// Proposal editor: dim the "saved" line while typing (htmx autosaves after a pause), and keep a
// double-clicked submit button from sending twice (the server is idempotent anyway).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  form.addEventListener("input", function () {
    var status = document.getElementById("autosave-status");
    if (status) { status.classList.add("opacity-50"); }
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-submit-once")) { return; }
    if (button.dataset.sent) { event.preventDefault(); return; }
    button.dataset.sent = "1";
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
