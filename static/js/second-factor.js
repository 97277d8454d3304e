// The second factor's pages. A file rather than inline script or handlers: the
// Content-Security-Policy refuses those.
// - Enrolment: when django-otp-webauthn's script has registered a passkey (its
//   "otp_webauthn.register_complete" event), the hidden form tells the platform, which shows
//   the recovery codes next.
// - Recovery codes: the "Print" button (hidden without JavaScript) prints the page.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var form = document.getElementById("passkey-registered-form");
    if (form) { form.submit(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-second-factor-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
