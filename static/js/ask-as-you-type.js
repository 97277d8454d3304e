// The questions to a scoped JSON endpoint as one types, shared by suggest.js and lookup.js:
// `?q=<the text>` a moment after the last key, the answer {results: [{id, label}], more} given
// to `answer` only if it answers the latest text. A refusal, or a browser offline, leaves the
// plain form as it is: the server answers on submit.
window.askAsYouType = function (input, address, answer, cleared) {
  "use strict";
  var WAIT_MS = 250;
  var timer = null;
  var asked = 0;
  input.setAttribute("autocomplete", "off");
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var text = input.value.trim();
      var ask = ++asked;
      if (!text) { if (cleared) { cleared(); } return; }
      var url = new URL(address, window.location.href);
      url.searchParams.set("q", text);
      fetch(url.toString(), {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && ask === asked) { answer(data); } })
        .catch(function () { /* offline: the server answers on submit */ });
    }, WAIT_MS);
  });
};
