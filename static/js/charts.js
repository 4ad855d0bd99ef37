// Draws every chart on the page from its figure (a json_script element named by data-figure), and keeps them
// right across htmx swaps: Plotly.react after a swap brings new content in, Plotly.purge before htmx removes a
// drawn chart, so a page that redraws on every keystroke (the draft editor) does not leak plots or listeners.
// The containers carry no id on purpose: htmx's settle step would swap their attributes (and Plotly's class).
(function () {
  "use strict";
  var stats = { drawn: 0, purged: 0 };
  window.plannerCharts = stats; // read by the browser tests (no leak after many redraws)

  function figureOf(container) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(container) {
    // The room the chart will take, reserved before Plotly draws (a style property set from script is allowed
    // by the Content-Security-Policy; a style attribute in the page would not be).
    var height = parseInt(container.getAttribute("data-height"), 10);
    if (height > 0) {
      container.style.minHeight = height + "px";
    }
    var figure = figureOf(container);
    if (!figure || !window.Plotly) {
      return;
    }
    // A JS property, not a class: htmx copies an old element's attributes onto its replacement during a swap.
    var fresh = !container.plannerDrawn;
    container.plannerDrawn = true;
    window.Plotly.react(container, figure.data, figure.layout, figure.config).then(function () {
      // The drawing's SVG text (ticks, labels) read one by one would drown the chart's accessible name,
      // summary and table; the toolbar buttons stay reachable.
      container.querySelectorAll("svg.main-svg").forEach(function (svg) {
        svg.setAttribute("aria-hidden", "true");
      });
      container.setAttribute("data-drawn", String(Date.now()));
    });
    if (fresh) {
      stats.drawn += 1;
      if (container.hasAttribute("data-clickable")) {
        // A click on a bar opens what it stands for (a campaign, or a pool's own timeline).
        container.on("plotly_click", function (event) {
          var link = linkOf(event);
          if (link) {
            window.location.assign(link);
          }
        });
        // A pointer where a click opens something: a class (planner.css), never a style attribute (CSP).
        container.on("plotly_hover", function (event) {
          container.classList.toggle("chart-pointing", Boolean(linkOf(event)));
        });
        container.on("plotly_unhover", function () {
          container.classList.remove("chart-pointing");
        });
      }
    }
  }

  function linkOf(event) {
    var point = event && event.points && event.points[0];
    var link = point && point.customdata;
    return typeof link === "string" && link ? link : "";
  }

  function drawAll(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-figure]").forEach(function (container) {
      // Charts the swap left alone are already drawn from the same figure.
      if (!container.plannerDrawn) {
        draw(container);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-figure]").forEach(draw);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    // Whatever the swap targeted (inner or outer), draw the charts it brought in.
    drawAll(document);
  });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = event.detail.elt || event.target;
    if (element && element.classList && element.classList.contains("js-plotly-plot") && window.Plotly) {
      window.Plotly.purge(element);
      stats.purged += 1;
    }
  });
})();
