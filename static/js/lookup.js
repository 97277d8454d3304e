// Progressive enhancement of a search field (a form with data-lookup="<url>" and
// data-lookup-input="<the text input's id>"): as one types, the matches come from the
// scoped endpoint (ask-as-you-type.js) and are drawn as the same
// radio buttons the server draws after a submit (templates/includes/lookup_matches.html), with
// their count in a polite live region. Without JavaScript the form works as it is: submitting
// lists the matches, or takes the only one.
(function () {
  "use strict";

  function draw(box, data) {
    var name = box.dataset.name;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!data.results.length) { return; }
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = box.dataset.legend;
    set.appendChild(legend);
    data.results.forEach(function (item) {
      var row = document.createElement("div");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = name;
      radio.value = String(item.id);
      radio.id = name + "-" + item.id;
      var label = document.createElement("label");
      label.htmlFor = radio.id;
      label.textContent = item.label;  // text, never markup: names are typed by people
      row.appendChild(radio);
      row.appendChild(label);
      set.appendChild(row);
    });
    box.appendChild(set);
    if (data.more) {
      var more = document.createElement("p");
      more.className = "small";
      more.textContent = box.dataset.more;
      box.appendChild(more);
    }
  }

  function said(box, data) {
    var n = data.results.length;
    if (!n) { return box.dataset.none; }
    if (n === 1 && !data.more) { return box.dataset.one; }
    return box.dataset.many.replace("%(n)s", data.more ? n + "+" : String(n));
  }

  document.querySelectorAll("form[data-lookup]").forEach(function (form) {
    var input = document.getElementById(form.dataset.lookupInput);
    var box = form.querySelector("[data-lookup-matches]");
    var status = form.querySelector("[data-lookup-status]");
    if (!input || !box) { return; }
    window.askAsYouType(
      input,
      form.dataset.lookup,
      function (data) { draw(box, data); status.textContent = said(box, data); },
      function () { draw(box, {results: [], more: false}); status.textContent = ""; }
    );
  });
})();
