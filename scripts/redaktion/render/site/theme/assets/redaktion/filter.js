/* Filter the Praxisbeispiele index by member, Bundesland and topic. Local, no dependencies;
   without JavaScript the page shows the full, grouped list. */
(function () {
  "use strict";
  function setup(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-rk-item]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-rk-group]"));
    var count = form.querySelector("[data-rk-count]");
    function matches(item, key, value) {
      if (!value) { return true; }
      var values = (item.getAttribute("data-" + key) || "").split(key === "land" ? "|" : " ");
      return values.indexOf(value) !== -1;
    }
    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = ["mitglied", "land", "thema"].every(function (key) {
          return matches(item, key, form.elements[key].value);
        });
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-rk-item]:not([hidden])");
      });
      count.textContent = shown === 1 ? "1 Praxisbeispiel wird angezeigt." : shown + " Praxisbeispiele werden angezeigt.";
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  var form = document.querySelector("[data-rk-filter]");
  if (form) { setup(form); }
})();
