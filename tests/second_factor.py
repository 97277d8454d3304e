"""The second factor in tests: real django-otp devices and real codes, never a bypass.

- The test client's `force_login` (every helper and test that signs a person in with it) also
  passes the second factor as the log-in page would: the person's confirmed authenticator app
  (one is enrolled for them if their role requires one and they have none) verifies the session
  through django-otp's own `login`. A person with no factor and no role requiring one stays
  unverified, as in real life. Installed by tests/conftest.py at import, so scripts that import
  it in another process get it too.
- `totp_code` computes the code an authenticator app would show for a device, as the browser
  tests type it.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from django.http import HttpRequest
from django.test import Client

APP_NAME = "test authenticator"


def authenticator_app_for(user: Any) -> Any:
    """The person's confirmed authenticator app, enrolled now if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=True)
    return device


def totp_code(device: Any) -> str:
    """The code the app shows now, or the next one when the current one was used already
    (django-otp refuses a code twice and accepts the next step's; past that, wait a step)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        now = totp.t()
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            # t() counts the device's drift (django-otp moves it when a code of a neighbouring
            # step is accepted): the time whose t() is `step` is that many steps earlier.
            totp.time = device.t0 + (step - device.drift) * device.step
            return f"{totp.token():0{device.digits}d}"
        time.sleep(1)


def _needs_factor(user: Any) -> bool:
    from accounts.selectors import has_factor, second_factor_required

    return has_factor(user) or second_factor_required(user)


_plain_force_login = Client.force_login


def _force_login_with_second_factor(self: Client, user: Any, backend: str | None = None) -> None:
    import django_otp

    _plain_force_login(self, user, backend)
    if not _needs_factor(user):
        return
    request = HttpRequest()
    request.session = self.session
    request.user = copy.copy(user)  # the test's own object is left as it was
    django_otp.login(request, authenticator_app_for(user))
    request.session.save()


def install() -> None:
    Client.force_login = _force_login_with_second_factor  # type: ignore[method-assign]


def log_in_through_pages(client: Client, email: str, password: str) -> Any:
    """Log in as a person does: the password on the log-in page, then, when the platform asks
    for it, the code of their authenticator app (enrolled now if their role requires one)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    if response.status_code != 302:
        return response
    asked = client.get(response["Location"])
    if asked.status_code == 302 and asked["Location"].startswith(
        (reverse("accounts:second_factor"), reverse("accounts:enrol"))
    ):
        user = get_user_model().objects.get(username=email.lower())
        device = authenticator_app_for(user)
        response = client.post(asked["Location"], {"code": totp_code(device)})
    return response


def demo_totp_code() -> str:
    """The code of the demo's shared authenticator key (DEMO_TOTP_KEY), as an app shows it now:
    for a platform set up by `make setup`, whose database the test does not share."""
    from django.conf import settings
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(settings.DEMO_TOTP_KEY)):06d}"


def browser_log_in(page: Any, email: str, password: str) -> None:
    """The log-in page in the browser, then, for a person whose role requires a second factor
    (or who has one), the code of their authenticator app: enrolled in the database first if
    they have none, and typed as computed from its key."""
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    from programmes.models import Person

    user = get_user_model().objects.get(username=email)
    device = authenticator_app_for(user) if _needs_factor(user) else None
    # Once the password is accepted, the pages follow the person's own language.
    stored = Person.objects.filter(user=user).values_list("language", flat=True).first()
    said = _in_either("en", stored or "en")
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(said("Second factor"))
        page.get_by_label(said("Code")).fill(totp_code(device))
        page.get_by_role("button", name=said("Continue")).click()
    expect(page.get_by_role("button", name=said("Log out")).first).to_be_visible()


def _in_either(first: str, second: str) -> Any:
    """A text as either language says it (a pattern Playwright finds within a name or text, as
    it finds a plain string)."""
    import re

    from django.utils import translation

    def said(text: str) -> Any:
        variants = []
        for language in (first, second):
            with translation.override(language):
                variants.append(re.escape(translation.gettext(text)))
        return re.compile("|".join(dict.fromkeys(variants)))

    return said
