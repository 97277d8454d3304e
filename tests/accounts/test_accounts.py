"""Log-in, lock-out, password reset, session expiry, password hashing."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from config.settings import base as embedded_settings
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
PASSWORD = settings.DEMO_PASSWORD
LOGIN = reverse("accounts:login")


def test_demo_person_logs_in_and_out(client):
    response = client.post(LOGIN, {"username": email_of("athens-officer-1"), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_email_is_matched_case_insensitively(client):
    response = client.post(LOGIN, {"username": email_of("auditor-1").upper(), "password": PASSWORD})
    assert response.status_code == 302


def test_account_locks_after_repeated_failures(client):
    email = email_of("finance-1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": email, "password": "wrong password"})
        assert response.status_code == 200
        assert "Please enter a correct" in response.content.decode()
    last_failure = client.post(LOGIN, {"username": email, "password": "wrong again"})
    assert last_failure.status_code == 429
    # now even the right password is refused until the cool-off ends
    locked = client.post(LOGIN, {"username": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "This field is required."),
        ("not-an-email", "x", "Enter a valid email address."),
        ("a" * 250 + "@x.eu", "x", "at most 254 characters"),
        ("<script>alert(1)</script>", "x", "Enter a valid email address."),
    ],
)
def test_login_form_explains_bad_input_and_keeps_it(client, username, password, message):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in " ".join(response.context["form"].errors.get("username", []))
    assert 'id="id_username_error"' in html
    assert response.context["form"]["username"].value() == username
    assert "<script>alert(1)</script>" not in html


def test_password_reset_by_email_sets_a_new_password(client):
    email = email_of("riga-officer-1")
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a-brand-new-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert client.post(LOGIN, {"username": email, "password": new}).status_code == 302


def test_password_reset_rejects_bad_email_next_to_field(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "<b>nope"})
    assert response.status_code == 200
    assert response.context["form"]["email"].value() == "<b>nope"
    assert 'id="id_email_error"' in response.content.decode()


def test_sessions_expire():
    assert embedded_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert embedded_settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_session_of_logged_in_user_has_bounded_age(client_of):
    client = client_of("coordinator-1")
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()


def test_passwords_are_hashed_with_argon2_outside_tests():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert embedded_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    encoded = Argon2PasswordHasher().encode("secret words", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$")
