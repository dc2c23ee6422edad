// Tilbud: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";
  // Keep the search box filled with the query after a search submit.
  var params = new URLSearchParams(window.location.search);
  var q = params.get("q");
  var input = document.getElementById("q");
  if (input && q && !input.value) { input.value = q; }

  // An offer's "Print" and "Copy link" buttons: shown only when they can work.
  var tools = document.querySelector(".page-tools");
  if (tools) {
    var status = tools.querySelector(".copied");
    tools.querySelector("[data-action=print]").addEventListener("click", function () { window.print(); });
    var copy = tools.querySelector("[data-action=copy]");
    if (navigator.clipboard && window.isSecureContext) {
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(tools.getAttribute("data-url")).then(function () {
          status.textContent = tools.getAttribute("data-copied");
        });
      });
    } else {
      copy.hidden = true;
    }
    tools.hidden = false;
  }
})();
