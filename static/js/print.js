// Progressive enhancement: a "Print" button (data-print) prints the page. It is hidden in the
// HTML, and shown here, so that no one without JavaScript meets a button that does nothing.
// A file rather than an onclick attribute: the Content-Security-Policy refuses inline handlers.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
