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
