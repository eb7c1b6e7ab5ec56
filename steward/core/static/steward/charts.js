// Charts: draws every [data-chart] container from the figure JSON the server put beside it
// (a json_script element), with plotly.js loaded once, only on pages that have a chart.
// Loaded by includes/chart.html, possibly more than once (htmx swaps), so it sets up only once.
(function () {
  "use strict";
  if (window.StewardCharts) { window.StewardCharts.drawPending(document); return; }

  var loading = null;

  // A local path only: customdata never sends the browser to another site or a javascript: URL.
  function localUrl(customdata) {
    var value = Array.isArray(customdata) ? customdata[0] : customdata;
    if (typeof value !== "string") { return null; }
    return value.charAt(0) === "/" && value.charAt(1) !== "/" && value.charAt(1) !== "\\" ? value : null;
  }

  function loadPlotly(src) {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { loading = null; reject(new Error("plotly.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function setCursor(container, cursor) {
    container.querySelectorAll(".nsewdrag").forEach(function (layer) { layer.style.cursor = cursor; });
  }

  function draw(Plotly, container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source || !container.isConnected) { return; }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(container, figure.data, figure.layout, figure.config).then(function () {
      container.setAttribute("data-chart-state", "drawn");
      container.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point && localUrl(point.customdata);
        if (url) { window.location.assign(url); }
      });
      // A pointer over points that lead somewhere (set through the CSSOM, which the CSP allows).
      container.on("plotly_hover", function (event) {
        var point = event && event.points && event.points[0];
        setCursor(container, point && localUrl(point.customdata) ? "pointer" : "");
      });
      container.on("plotly_unhover", function () { setCursor(container, ""); });
    });
  }

  function drawPending(root) {
    var pending = Array.prototype.filter.call(
      root.querySelectorAll("[data-chart]"),
      function (el) { return !el.hasAttribute("data-chart-state"); }
    );
    if (!pending.length) { return; }
    pending.forEach(function (el) { el.setAttribute("data-chart-state", "loading"); });
    loadPlotly(pending[0].getAttribute("data-plotly-src")).then(function (Plotly) {
      pending.forEach(function (el) { draw(Plotly, el); });
    }, function () {
      pending.forEach(function (el) {
        el.setAttribute("data-chart-state", "failed");
        el.textContent = "The chart could not be drawn; the table shows the same data.";
      });
    });
  }

  window.StewardCharts = { drawPending: drawPending };

  // Free plotly's resize listeners of charts htmx is about to replace.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!window.Plotly || !target) { return; }
    target.querySelectorAll("[data-chart-state=drawn]").forEach(function (el) { window.Plotly.purge(el); });
  });
  document.addEventListener("htmx:afterSettle", function () { drawPending(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawPending(document); });
  } else {
    drawPending(document);
  }
})();
