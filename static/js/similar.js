// While a proposal's title is typed, list the consultation's proposals that look similar.
// Without this script the same list appears on the preview step.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  var region = document.getElementById("similar-proposals");
  if (!form || !region || !window.fetch) { return; }
  var input = form.querySelector("#title");
  if (!input) { return; }
  var timer = null;
  var last = "";

  function show(items) {
    region.textContent = "";
    if (!items.length) { return; }
    var heading = document.createElement("p");
    heading.className = "similar-heading";
    heading.textContent = region.getAttribute("data-heading");
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      link.target = "_blank";
      li.appendChild(link);
      if (typeof item.support_count === "number") {  // absent while the vote's counts are secret
        li.appendChild(document.createTextNode(" (" + item.support_count + " " + region.getAttribute("data-supports") + ")"));
      }
      list.appendChild(li);
    });
    region.appendChild(heading);
    region.appendChild(list);
  }

  function search() {
    var title = input.value.trim();
    if (title.length < 6 || title === last) { return; }
    last = title;
    fetch(form.getAttribute("data-similar-url") + "?titre=" + encodeURIComponent(title), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : { proposals: [] };
    }).then(function (data) {
      if (input.value.trim() === title) { show(data.proposals || []); }
    }).catch(function () { /* the preview step still shows them */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 400);
  });
})();
