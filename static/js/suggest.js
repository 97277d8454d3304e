// Suggestions for a typed field (input[data-suggest="<url>"] with list="<a datalist's id>"):
// as one types, the first matches come from the scoped endpoint (`?q=`, JSON {results:
// [{id, label}], more}) into the field's datalist, which the browser offers under the field.
// Without JavaScript the field is a plain text field: the server resolves what was typed on
// submit, or says next to the field what to type instead.
(function () {
  "use strict";
  var WAIT_MS = 250;

  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        var ask = ++asked;
        if (!text) { return; }
        var url = new URL(input.dataset.suggest, window.location.href);
        url.searchParams.set("q", text);
        fetch(url.toString(), {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data || ask !== asked) { return; }  // an older answer, or a refusal
            while (list.firstChild) { list.removeChild(list.firstChild); }
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.label;  // text, never markup
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline: the server resolves the name on submit */ });
      }, WAIT_MS);
    });
  });
})();
