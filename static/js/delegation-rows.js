// A city's delegation form: "Add a delegate" copies the last row as a blank one (the server
// still decides whether the quota allows it). Without JavaScript the form offers one row per
// place left.
(function () {
  "use strict";
  var form = document.querySelector("form[data-delegation]");
  if (!form) { return; }
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = form.getAttribute("data-add-label");
  button.addEventListener("click", function () {
    var rows = form.querySelectorAll("fieldset[data-row]");
    var last = rows[rows.length - 1];
    var index = parseInt(total.value, 10);
    var pattern = new RegExp(prefix + "-\\d+-", "g");
    var row = last.cloneNode(true);
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-")); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
    });
    row.querySelectorAll(".errorlist").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field-error").forEach(function (el) { el.classList.remove("field-error"); });
    row.querySelector("legend").textContent = form.getAttribute("data-row-label").replace("0", index + 1);
    last.after(row);
    total.value = index + 1;
    row.querySelector("select, input").focus();
  });
  form.querySelector(".actions").prepend(button);
}());
