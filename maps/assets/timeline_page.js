// gazamap timeline page: the date slider shows one version's map layers and area table.
// Data-free: everything it needs is in the page's elements (data-* attributes, hidden).
(function () {
  "use strict";
  var root = document.querySelector("[data-gz-timeline]");
  if (!root) { return; }
  var slider = root.querySelector("input.tl-slider");
  var out = root.querySelector("output.tl-date");
  var groups = root.querySelectorAll(".tl-version");
  var tables = root.querySelectorAll(".tl-table");
  var ticks = root.querySelectorAll(".tl-tick");
  var dates = JSON.parse(slider.getAttribute("data-dates"));
  // the attribute, not the property: SVG elements have no `hidden` property
  function toggle(el, on) {
    if (on) { el.removeAttribute("hidden"); } else { el.setAttribute("hidden", ""); }
  }
  function show(i) {
    var k;
    for (k = 0; k < groups.length; k++) { toggle(groups[k], k === i); }
    for (k = 0; k < tables.length; k++) { toggle(tables[k], k === i); }
    for (k = 0; k < ticks.length; k++) {
      if (k === i) { ticks[k].setAttribute("aria-current", "true"); }
      else { ticks[k].removeAttribute("aria-current"); }
    }
    slider.setAttribute("aria-valuetext", dates[i]);
    out.textContent = dates[i];
    root.setAttribute("data-selected", String(i));
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  slider.addEventListener("change", function () { show(Number(slider.value)); });
  for (var k = 0; k < ticks.length; k++) {
    ticks[k].addEventListener("click", (function (i) {
      return function () { slider.value = String(i); show(i); slider.focus(); };
    })(k));
  }
  show(Number(slider.value));
})();
