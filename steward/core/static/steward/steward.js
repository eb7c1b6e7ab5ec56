// Small behaviours the markup asks for; no inline scripts, so the CSP can forbid them.
(function () {
  "use strict";
  // Filter forms submit as the user types or picks (debounced by htmx's trigger on the form).
  document.addEventListener("htmx:afterSwap", function (event) {
    // Move focus to a swapped region's heading so screen readers announce the change.
    var target = event.detail.target;
    if (target && target.id === "tab-content") {
      var heading = target.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });
})();

// Pickers: choosing an offered row stores its id in the hidden input and its name in the box.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-pick-id]");
    if (!option) { return; }
    var picker = option.closest("[data-picker]");
    picker.querySelector("[data-picker-value]").value = option.getAttribute("data-pick-id");
    picker.querySelector("input[type=search]").value = option.getAttribute("data-pick-label");
    option.parentElement.innerHTML = "";
  });
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.matches("[data-picker] input[type=search]") && box.value === "") {
      box.closest("[data-picker]").querySelector("[data-picker-value]").value = "";
    }
  });
})();

// Tabs: arrow keys move between tabs, as screen-reader users expect of a tab list.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("[role=tab]");
    if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) { return; }
    var tabs = Array.prototype.slice.call(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
    var next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    event.preventDefault();
  });
  // Keep aria-selected in step when htmx swaps a tab's content in place.
  document.addEventListener("htmx:afterRequest", function (event) {
    var source = event.detail.elt;
    if (!source || source.getAttribute("role") !== "tab") { return; }
    source.closest("[role=tablist]").querySelectorAll("[role=tab]").forEach(function (other) {
      var selected = other === source;
      other.classList.toggle("active", selected);
      other.setAttribute("aria-selected", selected ? "true" : "false");
    });
  });
})();
