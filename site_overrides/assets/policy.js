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
  // On paper a link cannot be followed: the print stylesheet writes the absolute address
  // of each link of the text after it (data-print-href), unless the link is within the
  // page (a clause, its permalink) or its text already is its address.
  function printAddresses() {
    var links = document.querySelectorAll(".md-content a[href]:not(.headerlink)");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var href = link.getAttribute("href");
      if (href.charAt(0) === "#") continue;
      var address = link.href.replace(/^mailto:/, "");
      var text = link.textContent.replace(/\s+/g, " ").trim();
      if (text === address || text === address.replace(/^[a-z]+:\/\//, "").replace(/\/$/, "")) {
        continue;
      }
      link.setAttribute("data-print-href", address);
    }
  }
  function start() {
    carryHash();
    nameSearch();
    printAddresses();
  }
  window.addEventListener("hashchange", carryHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
