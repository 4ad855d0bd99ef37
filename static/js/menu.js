// The top bar on narrow screens: the navigation folds behind a Menu button (a disclosure: aria-expanded says
// whether it is open). Without JavaScript the whole navigation shows, as before. The "More" list of the
// navigation closes on a click elsewhere or on Escape, as menus do.
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");

  function closeMore(except) {
    document.querySelectorAll(".nav-more details[open]").forEach(function (details) {
      if (details !== except) {
        details.open = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("topbar-menu");
    if (button && menu) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("open", open);
      });
    }
  });
  document.addEventListener("click", function (event) {
    var inside = event.target.closest ? event.target.closest(".nav-more details") : null;
    closeMore(inside);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector(".nav-more details[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();
