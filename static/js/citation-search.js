// Synthesis editor: search the contributions to cite as the words are typed, without reloading the page.
// Without this script the search form is sent and the page comes back with the same results.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var forms = document.querySelectorAll("form[data-citation-search]");
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector("input[type=search]");
    var results = document.getElementById(form.getAttribute("action").split("#")[1]);
    var status = form.parentNode.querySelector("[data-citation-status]");
    if (!input || !results) { return; }
    var timer = null;
    var last = input.value.trim();

    function search(moveFocus) {
      var words = input.value.trim();
      if (words === last && !moveFocus) { return; }
      last = words;
      fetch(form.getAttribute("data-citation-search") + "?q=" + encodeURIComponent(words), {
        credentials: "same-origin", headers: { "Accept": "text/html" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        if (input.value.trim() !== words) { return; }
        // The fragment is drawn by the server from escaped templates, like the rest of the page.
        results.innerHTML = html;
        if (status) {
          var hint = results.querySelector(".hint, .meta");
          status.textContent = hint ? hint.textContent : "";
        }
        if (moveFocus) { results.focus(); }
      }).catch(function () { form.submit(); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      search(true);
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (input.value.trim().length < 2) { return; }
      timer = window.setTimeout(function () { search(false); }, 400);
    });
  });
})();
