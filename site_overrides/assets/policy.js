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
  // "Compare version [A] with version [B]": straight to the pair's page, older version
  // first. Without this script the form's GET leads to the list of every pair.
  function pairPage(action, from, to) {
    if (from.value === to.value) return null;
    var older = from.selectedIndex < to.selectedIndex ? from : to;
    var newer = older === from ? to : from;
    return new URL(older.value + ".." + newer.value + "/", new URL(action, document.baseURI));
  }
  function compareForms() {
    var forms = document.querySelectorAll("form.policy-compare");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        var url = pairPage(form.getAttribute("action"), form.elements.from, form.elements.to);
        if (url) {
          event.preventDefault();
          window.location.assign(url.href);
        }
      });
    }
  }
  // On the list of pairs, reached by the form's GET before this script ran: go on to the
  // pair's page if the list holds it, or say that two different versions are needed.
  function compareQuery() {
    var same = document.querySelector(".policy-compare-same");
    var form = document.querySelector("form.policy-compare");
    var query = new URLSearchParams(window.location.search);
    if (!same || !form || !query.has("from") || !query.has("to")) return;
    if (query.get("from") === query.get("to")) {
      same.hidden = false;
      return;
    }
    var pairs = [query.get("from") + ".." + query.get("to") + "/",
                 query.get("to") + ".." + query.get("from") + "/"];
    var links = document.querySelectorAll("article a[href]");
    for (var i = 0; i < links.length; i++) {
      if (pairs.indexOf(links[i].getAttribute("href")) !== -1) {
        window.location.replace(links[i].href);
        return;
      }
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
    compareForms();
    compareQuery();
    printAddresses();
    tellMissing();
  }
  window.addEventListener("hashchange", onHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
