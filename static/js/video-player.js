// Privacy-friendly players (videos app): an external video (YouTube, Vimeo) is a button until the
// visitor presses it; only then is the provider's player framed, so no request reaches the
// provider before. An uploaded video is a <video preload="none">: nothing loads before play.
(function () {
  "use strict";
  function play(container) {
    var frame = document.createElement("iframe");
    frame.src = container.getAttribute("data-embed");
    frame.title = container.getAttribute("data-title") || "";
    frame.width = "640";
    frame.height = "360";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    container.replaceChildren(frame);
    frame.focus();
  }
  document.querySelectorAll(".video-consent-player").forEach(function (container) {
    var button = container.querySelector(".video-play");
    if (button) {
      button.addEventListener("click", function () { play(container); });
    }
  });
})();
