// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Bring the error summary of a failed form into view and focus, for screen readers.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  // Votes: send a support, its withdrawal or a mention without leaving the page.
  // The server answers JSON with the texts to show; any other answer falls back to a normal submit.
  function voteFormSubmitted(event) {
    var form = event.target.closest("[data-vote-form]");
    if (!form || !window.fetch || !window.FormData) { return; }
    var panel = form.closest("[data-vote-panel]");
    var status = panel && panel.querySelector("[data-vote-status]");
    var button = form.querySelector("button[type=submit]");
    event.preventDefault();
    // While the vote is sent, the button refuses a second press but keeps the focus: a disabled
    // button would drop a keyboard user's focus to the top of the page.
    if (form.hasAttribute("data-pending")) { return; }
    function settle() {
      form.removeAttribute("data-pending");
      if (button) { button.removeAttribute("aria-disabled"); }
    }
    form.setAttribute("data-pending", "");
    if (button) { button.setAttribute("aria-disabled", "true"); }
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("json") === -1) { throw new Error("not json"); }
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      settle();
      if (!answer.ok) {
        if (status) { status.textContent = answer.data.detail || answer.data.title || ""; }
        return;
      }
      var data = answer.data;
      if (status) { status.textContent = data.message || ""; }
      if (form.getAttribute("data-vote-form") !== "support") { return; }
      var action = form.getAttribute("data-alt-action");
      var label = form.getAttribute("data-alt-label");
      var current = button.querySelector("[data-label]");
      form.setAttribute("data-alt-action", form.getAttribute("action"));
      form.setAttribute("data-alt-label", current.textContent);
      form.setAttribute("action", action);
      current.textContent = label;
      button.classList.toggle("button-secondary", data.supported);
      var mine = panel.querySelector("[data-vote-mine]");
      if (mine) { mine.hidden = !data.supported; }
      var count = panel.querySelector("[data-count-text]");
      if (count && data.count_text) { count.textContent = data.count_text; }
      var remaining = panel.querySelector("[data-remaining-text]");
      if (remaining && data.remaining_text) { remaining.textContent = data.remaining_text; }
    }).catch(function () {
      settle();
      form.submit();
    });
  }
  document.addEventListener("submit", voteFormSubmitted);
})();
