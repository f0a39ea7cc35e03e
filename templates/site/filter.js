/* Filter for the project list: no framework, no build step. Without JavaScript the full table
   stays visible and the (hidden) form is never shown. */
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("projekte");
  if (!form || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("filter-count");
  var template = count.getAttribute("data-template");

  function norm(text) { return (text || "").toLocaleLowerCase("de-DE"); }

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
        && (!text || norm(row.textContent).indexOf(text) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
}());
