// Scanning a badge's QR code with the phone's camera inside the check-in page, where the
// browser offers BarcodeDetector; elsewhere the camera app opens the badge's address itself.
// Only addresses of this conference's check-in pages are followed.
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var prefix = new URL(box.dataset.prefix, window.location.href);
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  box.hidden = false;

  function follow(text) {
    var target;
    try { target = new URL(text, window.location.href); } catch (e) { return false; }
    if (target.origin !== prefix.origin || target.pathname.indexOf(prefix.pathname) !== 0) { return false; }
    window.location.assign(target.href);
    return true;
  }

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      return video.play().then(function () {
        function scan() {
          detector.detect(video).then(function (codes) {
            for (var i = 0; i < codes.length; i += 1) {
              if (follow(codes[i].rawValue)) {
                stream.getTracks().forEach(function (t) { t.stop(); });
                return;
              }
            }
            window.requestAnimationFrame(scan);
          }, function () { window.requestAnimationFrame(scan); });
        }
        scan();
      });
    }).catch(function () {
      status.textContent = box.dataset.denied || "";
    });
  });
}());
