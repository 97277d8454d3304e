"""The second factor: enrolment at the first log-in of the roles that require it, codes and
recovery codes after the password, the lock-out on wrong codes, optional enrolment for others,
and a platform admin's audited reset. Real devices and real codes throughout."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorReset
from accounts.notification_kinds import SECOND_FACTOR_RESET
from accounts.selectors import second_factor_required
from notifications.models import Notification
from programmes.models import Person
from tests.conftest import email_of
from tests.core.test_access_table import NAMESPACE_RULES, URL_TABLE
from tests.second_factor import authenticator_app_for, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = settings.DEMO_PASSWORD
VERIFY = reverse("accounts:second_factor")
ENROL = reverse("accounts:enrol")
PROFILE = reverse("accounts:profile")


def _password(client, key):
    response = client.post(
        reverse("accounts:login"), {"username": email_of(key), "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _next_of(location):
    return parse_qs(urlsplit(location).query).get("next", [""])[0]


def test_roles_that_require_a_second_factor(user_of):
    for key in ("coordinator-1", "finance-1", "auditor-1", "platform-admin"):
        assert second_factor_required(user_of(key)), key
    for key in ("athens-officer-1", "facilitator-b", "athens-approver-political"):
        assert not second_factor_required(user_of(key)), key


def test_an_unverified_coordinator_reaches_only_the_second_factor_pages(client, user_of):
    """Every URL of the platform, as a coordinator who gave the password but not the code."""
    authenticator_app_for(user_of("coordinator-1"))
    _password(client, "coordinator-1")
    open_pages = {
        "accounts:second_factor": 200,
        "accounts:enrol": 302,  # they have a factor: sent to give it
        "accounts:logout": 405,  # a POST
        "set_language": 302,  # back to the page, which asks for the code in turn
        "portal:csp_report": 405,
    }
    walked = 0
    table = dict(URL_TABLE)
    table.update({name: (kwargs, None) for name, kwargs, _outcome in NAMESPACE_RULES.values()})
    for name, (kwargs, _expected) in table.items():
        # Each URL's objects are made as the access table makes them, then rolled back (the
        # table's builders expect a database of their own).
        with transaction.atomic():
            url = reverse(name, kwargs={k: v() if callable(v) else v for k, v in kwargs.items()})
            response = client.get(url)
            transaction.set_rollback(True)
        walked += 1
        if name in open_pages:
            assert response.status_code == open_pages[name], name
            if name == "accounts:enrol":
                assert response["Location"].startswith(VERIFY)
        elif name.startswith("otp_webauthn:"):
            # The passkey ceremonies (JSON, POST only) stay open to give a passkey; making a
            # new one is refused before the factor is given (django-otp-webauthn's NotVerified).
            assert response.status_code in (200, 403, 405), name
        elif name.startswith("api:") or name in settings.SESSION_PASSIVE_URL_NAMES:
            # What a script reads gets the API's error format, not a page.
            assert response.status_code == 403, name
            assert "second factor" in response.json()["error"]["message"], name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(VERIFY + "?next="), (name, response["Location"])
            # Back to the page asked for (the log-in page itself: to the home page).
            assert _next_of(response["Location"]) == ("/" if name == "accounts:login" else url)
    assert walked == len(table) > 150
    # A write is held back too.
    assert client.post(PROFILE, {"sign_out_everywhere": "1"})["Location"].startswith(VERIFY)


def test_a_coordinator_without_a_factor_is_sent_to_enrol(client):
    assert not TOTPDevice.objects.filter(user__username=email_of("coordinator-1")).exists()
    _password(client, "coordinator-1")
    page = reverse("programmes:overview", args=["cities-grow"])
    response = client.get(page)
    assert response["Location"].startswith(ENROL + "?next=")
    assert client.get(VERIFY)["Location"].startswith(ENROL)


def test_enrolment_at_first_log_in_then_recovery_codes_shown_once(client, user_of):
    _password(client, "finance-1")
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "style=" not in html
    device = TOTPDevice.objects.get(user=user_of("finance-1"), confirmed=False)
    key = "".join(html.split('id="totp-key"')[1].split(">")[1].split("<")[0].split())
    from base64 import b32encode

    assert key == b32encode(device.bin_key).decode()
    # A wrong code is said next to the field; nothing is confirmed.
    wrong = client.post(ENROL, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "not the one your app shows" in wrong.content.decode()
    device.throttle_reset()
    done = client.post(ENROL + "?next=/", {"code": totp_code(device), "next": "/"})
    assert done.status_code == 302 and done["Location"].startswith(
        reverse("accounts:recovery_codes")
    )
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(done["Location"]).content.decode()
    codes = list(
        StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True)
    )
    assert len(codes) == settings.MFA_RECOVERY_CODES
    assert all(code in shown for code in codes)
    download = client.get(reverse("accounts:recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    kept = client.post(reverse("accounts:recovery_codes"), {"kept": "1", "next": "/"})
    assert kept["Location"] == "/"
    # Shown once: not again, and not downloadable any more.
    assert codes[0] not in client.get(reverse("accounts:recovery_codes")).content.decode()
    assert client.get(reverse("accounts:recovery_codes_download")).status_code == 404
    assert client.get(PROFILE).status_code == 200


def test_code_after_password_then_recovery_code_works_once(user_of):
    user = user_of("coordinator-1")
    device = authenticator_app_for(user)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes")
    recovery.token_set.create(token="abcd2345")
    client = Client()
    _password(client, "coordinator-1")
    target = reverse("programmes:overview", args=["cities-grow"])
    asked = client.get(target)
    assert asked["Location"] == f"{VERIFY}?next={target.replace('/', '%2F')}"
    signed = client.post(asked["Location"], {"code": totp_code(device), "next": target})
    assert signed["Location"] == target
    assert client.get(target).status_code == 200
    # Another log-in, with the recovery code (spaces and capitals do not matter) ...
    other = Client()
    _password(other, "coordinator-1")
    used = other.post(VERIFY, {"code": "ABCD 2345"}, follow=True)
    assert used.status_code == 200
    assert "You used a recovery code: 0 are left" in used.content.decode()
    assert other.get(target).status_code == 200
    # ... which no longer works.
    third = Client()
    _password(third, "coordinator-1")
    again = third.post(VERIFY, {"code": "abcd2345"})
    assert again.status_code == 200 and "This code is not valid" in again.content.decode()
    assert third.get(target).status_code == 302


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, user_of):
    device = authenticator_app_for(user_of("auditor-1"))
    _password(client, "auditor-1")
    right = totp_code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = client.post(VERIFY, {"code": wrong})
        assert refused.status_code == 200
    assert AccessAttempt.objects.get(username=email_of("auditor-1")).failures_since_start == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    locked = client.post(VERIFY, {"code": wrong})
    assert locked.status_code == settings.AXES_HTTP_RESPONSE_CODE
    # Signed out, and the password is refused too until the cool-off ends.
    assert client.get(PROFILE)["Location"].startswith(reverse("accounts:login"))
    again = client.post(
        reverse("accounts:login"), {"username": email_of("auditor-1"), "password": PASSWORD}
    )
    assert again.status_code == settings.AXES_HTTP_RESPONSE_CODE


def test_an_officer_may_go_without_and_enrol_from_my_account(client, user_of):
    _password(client, "athens-officer-1")
    assert client.get(PROFILE).status_code == 200
    assert "Set up a second factor" in client.get(PROFILE).content.decode()
    client.get(ENROL + f"?next={PROFILE}")
    device = TOTPDevice.objects.get(user=user_of("athens-officer-1"), confirmed=False)
    done = client.post(ENROL, {"code": totp_code(device), "next": PROFILE})
    assert done["Location"].startswith(reverse("accounts:recovery_codes"))
    assert client.get(PROFILE).status_code == 200
    # From now on the officer gives it at each log-in.
    later = Client()
    _password(later, "athens-officer-1")
    assert later.get(PROFILE)["Location"].startswith(VERIFY)


def test_a_platform_admin_resets_a_factor_audited_and_notified(client_of, user_of):
    person = user_of("finance-1")
    authenticator_app_for(person)
    finance = Client()
    finance.force_login(person)
    assert finance.get(PROFILE).status_code == 200
    # Nobody else may.
    coordinator = client_of("coordinator-1")
    url = reverse("accounts:second_factor_reset", args=[person.pk])
    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, {"reason": "x"}).status_code == 404
    admin = client_of("platform-admin")
    listed = admin.get(reverse("accounts:second_factor_people"), {"q": email_of("finance-1")[:8]})
    assert email_of("finance-1") in listed.content.decode()
    # A reason is required, next to its field.
    empty = admin.post(url, {"reason": " "})
    assert empty.status_code == 200 and "field-error" in empty.content.decode()
    done = admin.post(url, {"reason": "Lost phone, called on Monday"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    record = SecondFactorReset.objects.get(user=person)
    assert record.actor == user_of("platform-admin") and record.at is not None
    assert "authenticator app" in record.removed and record.reason.startswith("Lost phone")
    notice = Notification.objects.get(kind=SECOND_FACTOR_RESET)
    assert notice.recipient == Person.objects.get(user=person)
    # Their session ended; at the next log-in they enrol again.
    assert finance.get(PROFILE)["Location"].startswith(reverse("accounts:login"))
    again = Client()
    _password(again, "finance-1")
    assert again.get(PROFILE)["Location"].startswith(ENROL)


def test_the_last_factor_of_a_required_role_cannot_be_removed(client_of, user_of):
    device = authenticator_app_for(user_of("coordinator-1"))
    client = client_of("coordinator-1")
    response = client.post(reverse("accounts:factor_remove", args=["app", device.pk]), follow=True)
    assert "Your role requires a second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize(("role", "enrols"), [("finance_officer", True), ("city_officer", False)])
def test_an_invitation_leads_into_enrolment_when_the_role_requires_it(
    role, enrols, client, user_of, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    from core.roles import Role
    from programmes.models import City, Programme
    from programmes.services.people import invitation_create

    athens = City.objects.get(slug="athens")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=user_of("coordinator-1"),
            programme=Programme.objects.get(slug="cities-grow"),
            email="new.person@athens.test.invalid",
            first_name="New",
            last_name="Person",
            organisation=athens.organisation,
            role=role,
            city=athens if role == Role.CITY_OFFICER else None,
            language="en",
        )
    link = re.search(r"/accounts/invitation/[\w-]+/", mail.outbox[-1].body)
    assert link
    password = "a-long-and-unusual-passphrase-42"
    accepted = client.post(link.group(0), {"password1": password, "password2": password})
    assert accepted.status_code == 302
    assert accepted["Location"].startswith(ENROL) is enrols
    assert (client.get(PROFILE).status_code == 302) is enrols
