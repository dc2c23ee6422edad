// Tilbud: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";
  // Keep the search box filled with the query after a search submit.
  var params = new URLSearchParams(window.location.search);
  var q = params.get("q");
  var input = document.getElementById("q");
  if (input && q && !input.value) { input.value = q; }
})();
