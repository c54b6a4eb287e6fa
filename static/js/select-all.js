// Organisers' list: "Tout sélectionner" ticks every proposal of the page, so that the choice shows.
// Without this script the same box still works: the server answers every proposal of the page.
(function () {
  "use strict";
  var all = document.querySelector("input[data-select-all]");
  if (!all || !all.form) { return; }
  var name = all.getAttribute("data-select-all");
  var formId = all.form.id;
  function boxes() {
    return Array.prototype.filter.call(document.querySelectorAll("input[type=checkbox][name='" + name + "']"),
      function (box) { return box.getAttribute("form") === formId || box.form === all.form; });
  }
  all.addEventListener("change", function () {
    boxes().forEach(function (box) { box.checked = all.checked; });
  });
  boxes().forEach(function (box) {
    box.addEventListener("change", function () {
      // One box unticked by hand: the choice is the boxes, no longer "all the page".
      if (!box.checked) { all.checked = false; }
      else if (boxes().every(function (b) { return b.checked; })) { all.checked = true; }
    });
  });
})();
