// Progressive enhancement: while a report's files are being generated on the queue, reload the
// page every few seconds; it then shows the links (or, on a file's own address, the download
// starts). Without JavaScript, the "Refresh" link does the same.
// The reload carries ?auto-refresh=1 so that it does not count as the person's activity (the
// idle session timeout, accounts/sessions.py); the address bar is then given back without it.
(function () {
  "use strict";
  var here = new URL(window.location.href);
  if (here.searchParams.has("auto-refresh")) {
    here.searchParams.delete("auto-refresh");
    window.history.replaceState(window.history.state, "", here.toString());
  }
  var section = document.getElementById("report-files");
  if (!section || section.dataset.waiting !== "true") { return; }
  window.setTimeout(function () {
    here.searchParams.set("auto-refresh", "1");
    window.location.replace(here.toString());
  }, 3000);
})();
