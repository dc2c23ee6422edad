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

// The lists (topic, municipality, audience, kind, provider): a sort, and long lists shown a part at a time. Without
// this file every card is shown, in the order of the next start.
(function () {
  "use strict";
  var tools = document.querySelector(".list-sort");
  if (!tools) return;
  var FIRST = 12, lists = Array.prototype.slice.call(document.querySelectorAll("main ul.cards"));
  var select = document.getElementById("list-sort"), lang = document.documentElement.lang || "nb";
  function title(li) { return li.querySelector(".card-title a").textContent; }
  function sort() {
    lists.forEach(function (ul) {
      var cards = Array.prototype.slice.call(ul.children);
      cards.sort(select.value === "title"
        ? function (a, b) { return title(a).localeCompare(title(b), lang); }
        : function (a, b) { return (+a.getAttribute("data-start")) - (+b.getAttribute("data-start")); });
      cards.forEach(function (li) { ul.appendChild(li); });
      ul.dispatchEvent(new Event("tilbud:sorted"));
    });
  }
  lists.forEach(function (ul) {
    var cards = ul.children;
    if (cards.length <= FIRST + 3) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "list-more";
    function show(n) {
      for (var i = 0; i < cards.length; i++) cards[i].hidden = i >= n;
      var left = cards.length - Math.min(n, cards.length);
      button.textContent = tools.getAttribute("data-more").replace("{n}", left);
      button.hidden = !left;
    }
    var shown = FIRST;
    button.addEventListener("click", function () {
      var first = cards[shown];
      shown += FIRST * 2;
      show(shown);
      if (first) { var a = first.querySelector("a"); if (a) a.focus(); }
    });
    ul.addEventListener("tilbud:sorted", function () { show(shown); });
    ul.parentNode.insertBefore(button, ul.nextSibling);
    show(shown);
  });
  select.addEventListener("change", sort);
  tools.hidden = false;
})();
