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
  // A reader sent to a clause this page lacks (the other language has it) is told so, in
  // the page's language, at the top of the article; the notice takes focus so that a
  // screen reader announces it. A clause under another number has the same #id: no notice.
  function tellMissing() {
    var notice = document.querySelector(".policy-missing[data-text]");
    if (!notice) {
      return;
    }
    var id = window.location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (malformed) {
      // '#%zz' names no element either: the notice shows, nothing throws
    }
    var missing = id !== "" && document.getElementById(id) === null;
    notice.hidden = !missing;
    notice.textContent = missing ? notice.getAttribute("data-text") : "";
    if (missing) {
      notice.focus();
    }
  }
  function onHash() {
    carryHash();
    tellMissing();
  }
  function start() {
    carryHash();
    nameSearch();
    tellMissing();
  }
  window.addEventListener("hashchange", onHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
