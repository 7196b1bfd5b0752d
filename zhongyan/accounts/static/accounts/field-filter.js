// Narrows a long list of checkboxes as the user types (fields of expertise). No dependencies.
(function () {
  "use strict";
  function normalise(text) { return (text || "").toLocaleLowerCase().trim(); }
  document.querySelectorAll("input.field-filter").forEach(function (input) {
    var container = document.querySelector(input.dataset.target);
    if (!container) { return; }
    input.addEventListener("input", function () {
      var wanted = normalise(input.value);
      container.querySelectorAll(".form-check-col").forEach(function (item) {
        var box = item.querySelector("input");
        var match = !wanted || normalise(item.textContent).indexOf(wanted) !== -1 || (box && box.checked);
        item.hidden = !match;
      });
    });
  });
})();
