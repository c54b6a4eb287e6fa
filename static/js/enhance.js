// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Bring the error summary of a failed form into view and focus, for screen readers.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
