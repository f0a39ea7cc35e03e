/* Filter and search for the project list: no framework, no build step, no requests (the search
   data comes from suchindex.js, so it works from file:// too). The filter state lives in the
   address (?status=umgesetzt&text=...): it can be shared, and it is restored on load and when
   the browser shows the page again (Back, bfcache). Without JavaScript the full table stays
   visible and the (hidden) form is never shown. */
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("projekte");
  if (!form || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("filter-count");
  var template = count.getAttribute("data-template");
  var index = window.NHR_SUCHINDEX || {};
  var names = ["text", "field", "status", "department", "municipality"];

  function norm(text) { return (text || "").toLocaleLowerCase("de-DE"); }

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      var el = form.elements[name];
      var value = params.get(name) || "";
      if (el.tagName === "SELECT" && value &&
          !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        value = "";
      }
      el.value = value;
    });
  }

  function toAddress() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { params.set(name, value); }
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try {
      window.history.replaceState(null, "", url);
    } catch (ignored) { /* some browsers refuse it for file:// pages: the filter still works */ }
  }

  function apply() {
    var text = norm(form.elements.text.value).trim();
    var field = form.elements.field.value;
    var status = form.elements.status.value;
    var department = form.elements.department.value;
    var municipality = norm(form.elements.municipality.value).trim();
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!field || d.field === field)
        && (!status || d.status === status)
        && (!department || d.departments.split("|").indexOf(department) !== -1)
        && (!municipality || norm(d.municipalities).indexOf(municipality) !== -1)
        && (!text || norm(row.textContent).indexOf(text) !== -1
            || (index[d.id] || "").indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
  }

  function changed() { apply(); toAddress(); }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); changed(); });
  form.addEventListener("reset", function () { window.setTimeout(changed, 0); });
  window.addEventListener("pageshow", function () { fromAddress(); apply(); });
  form.hidden = false;
  fromAddress();
  apply();
}());
