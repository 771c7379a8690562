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
  window.addEventListener("hashchange", carryHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", carryHash);
  } else {
    carryHash();
  }
})();
