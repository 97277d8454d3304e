// Suggestions for a typed field (input[data-suggest="<url>"] with list="<a datalist's id>"):
// as one types, the first matches come from the scoped endpoint (ask-as-you-type.js) into the
// field's datalist, which the browser offers under the field. Without JavaScript the field is a
// plain text field: the server resolves what was typed on submit, or says next to the field
// what to type instead.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    window.askAsYouType(input, input.dataset.suggest, function (data) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      data.results.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.label;  // text, never markup
        list.appendChild(option);
      });
    });
  });
})();
