// Progressive enhancement: while a matching run is going on, poll its progress and reload the
// page when it has finished. Without JavaScript, the page's "Refresh" link does the same.
(function () {
  "use strict";
  var status = document.getElementById("run-status");
  var progress = document.getElementById("run-progress");
  if (!status || status.dataset.finished === "true") { return; }
  function poll() {
    fetch(status.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) {
        // Signed out meanwhile (idle or ended session): the page's reload goes to the log-in page.
        if (response.status === 401) { window.location.reload(); return new Promise(function () {}); }
        return response.json();
      })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        if (progress && data.progress && data.progress.objective !== undefined) {
          var gap = data.progress.gap_percent === null || data.progress.gap_percent === undefined ? "" : ", " + Number(data.progress.gap_percent).toFixed(2) + " %";
          progress.firstChild.textContent = data.progress.objective + " / " + data.progress.bound + " (" + Number(data.progress.seconds).toFixed(1) + " s" + gap + ") ";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
