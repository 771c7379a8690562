// The language switcher keeps the reader's place: carry the clause anchor (#collection)
// over to the same page in the other language, whose clause has the same anchor.
(function () {
  function carryHash() {
    var links = document.querySelectorAll("a.md-select__link[hreflang]");
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].getAttribute("href"), document.baseURI);
      url.hash = window.location.hash;
      links[i].setAttribute("href", url.href);
    }
  }
  // Material's search dialog has no accessible name (axe: aria-dialog-name): give it the
  // name of its search field, in the page's language.
  function nameSearch() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    var field = document.querySelector(".md-search__input[aria-label]");
    if (dialog && field && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
    }
  }
  function start() {
    carryHash();
    nameSearch();
  }
  window.addEventListener("hashchange", carryHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
