"""Sessions: the idle timeout beside the absolute one, polling that never counts as activity, and
signing out everywhere. Time is moved by setting a session's recorded moments back."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import SessionsEnded
from accounts.services import user_sessions_end
from accounts.sessions import ACTIVE_AT, LOGIN_AT
from core.errors import DomainError
from matching.services import RunSettings, match_run_create
from programmes.models import Programme
from tests.conftest import email_of
from tests.second_factor import log_in_through_pages

pytestmark = pytest.mark.django_db
PROFILE = reverse("accounts:profile")
LOGIN = reverse("accounts:login")
IDLE = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def _move_back(client, key, seconds):
    """Pretend the session's `key` moment happened `seconds` earlier."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def _signed_in(client):
    return client.get(PROFILE).status_code == 200


def _login_next(response):
    """Where a redirect to the log-in page will send the person back to."""
    location = urlsplit(response["Location"])
    assert location.path == LOGIN
    return parse_qs(location.query)["next"][0]


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_idle_timeouts_are_configured_with_a_shorter_one_in_production():
    from config.settings import base

    assert 0 < base.SESSION_IDLE_TIMEOUT_MINUTES * 60 < base.SESSION_COOKIE_AGE
    source = (settings.BASE_DIR / "config/settings/production.py").read_text()
    assert 'env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)' in source


def test_idle_session_is_signed_out_and_sent_to_log_in_with_next(client_of):
    client = client_of("coordinator-1")
    page = reverse("programmes:people", args=["cities-grow"]) + "?q=athens"
    assert client.get(page).status_code == 200
    _move_back(client, ACTIVE_AT, IDLE + 1)
    response = client.get(page)
    assert response.status_code == 302
    assert _login_next(response) == page
    login_page = client.get(response["Location"])
    assert _messages(login_page) == [
        f"You were signed out after {IDLE // 60} minutes without activity. Please log in again."
    ]
    assert login_page.context["next"] == page
    assert not _signed_in(client)
    # Logging in again goes back to where the person was.
    back = client.post(
        response["Location"], {"username": email_of("coordinator-1"), "password": "x"}
    )
    assert back.status_code == 200  # wrong password: still on the log-in page
    again = client.post(
        response["Location"],
        {"username": email_of("coordinator-1"), "password": settings.DEMO_PASSWORD},
    )
    assert again["Location"] == page


def test_idle_form_post_goes_back_to_the_page_it_was_sent_from(client_of):
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, IDLE + 1)
    response = client.post(
        reverse("accounts:logout"), HTTP_REFERER="http://testserver/accounts/profile/?tab=1"
    )
    assert _login_next(response) == "/accounts/profile/?tab=1"
    foreign = client_of("coordinator-1")
    _move_back(foreign, ACTIVE_AT, IDLE + 1)
    response = foreign.post(PROFILE, HTTP_REFERER="https://evil.example/phish")
    assert _login_next(response) == "/"


def test_activity_keeps_the_session_alive(client_of):
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, IDLE - 60)
    assert _signed_in(client)
    assert client.session[ACTIVE_AT] >= time.time() - 5  # the visit was recorded
    _move_back(client, ACTIVE_AT, IDLE - 60)
    assert _signed_in(client)  # IDLE - 60 after the last activity, 2 * IDLE - 120 in all


def test_activity_is_written_at_most_once_a_minute(client_of):
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, 30)
    recorded = client.session[ACTIVE_AT]
    with CaptureQueriesContext(connection) as queries:
        assert _signed_in(client)
    assert client.session[ACTIVE_AT] == recorded
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    _move_back(client, ACTIVE_AT, 31)
    with CaptureQueriesContext(connection) as queries:
        assert _signed_in(client)
    assert client.session[ACTIVE_AT] > recorded
    assert [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_polling_the_matching_progress_does_not_keep_the_session_alive(client_of, user_of):
    run = match_run_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        run_settings=RunSettings(pairs={"A": 2, "B": 2, "C": 2, "D": 2}),
    )
    progress = reverse("matching:run_progress", args=["cities-grow", run.pk])
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, IDLE - 60)
    before = client.session[ACTIVE_AT]
    assert client.get(progress).json()["finished"] is False
    assert client.session[ACTIVE_AT] == before  # a poll is not activity
    _move_back(client, ACTIVE_AT, 61)
    # The poll that finds the session idle is answered in JSON for the page's script, which
    # reloads the page: the log-in page then shows why.
    signed_out = client.get(progress)
    assert signed_out.status_code == 401
    assert "without activity" in signed_out.json()["error"]["message"]
    reload = client.get(reverse("matching:run", args=["cities-grow", run.pk]), follow=True)
    assert reload.redirect_chain[-1][0].startswith(LOGIN)
    assert any("without activity" in m for m in _messages(reload))


def test_a_page_reloading_itself_is_not_activity(client_of):
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, IDLE - 60)
    before = client.session[ACTIVE_AT]
    assert client.get(PROFILE + "?auto-refresh=1").status_code == 200
    assert client.session[ACTIVE_AT] == before
    _move_back(client, ACTIVE_AT, 61)
    response = client.get(PROFILE + "?auto-refresh=1")
    # Sent to log in; after it, back to the page without the marker.
    assert _login_next(response) == PROFILE


def test_statement_files_page_reloads_itself_marked_as_automatic():
    script = (settings.BASE_DIR / "static/js/statement-files.js").read_text()
    assert 'searchParams.set("auto-refresh", "1")' in script
    assert "location.reload()" not in script


def test_idle_api_request_gets_a_401_in_the_api_error_format(client_of):
    client = client_of("coordinator-1")
    _move_back(client, ACTIVE_AT, IDLE + 1)
    response = client.get(reverse("api:action_plans", args=["cities-grow"]))
    assert response.status_code == 401
    assert response.json()["error"]["fields"] == {}


def test_absolute_timeout_still_ends_an_active_session(client_of):
    client = client_of("coordinator-1")
    _move_back(client, LOGIN_AT, settings.SESSION_COOKIE_AGE - 60)
    assert _signed_in(client)  # active all along, within the absolute limit
    _move_back(client, LOGIN_AT, 61)
    response = client.get(PROFILE, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert _messages(response) == ["Your session has expired. Please log in again."]


def test_a_session_with_no_log_in_moment_is_ended(client_of):
    client = client_of("coordinator-1")
    session = client.session
    del session[LOGIN_AT]
    session.save()
    assert not _signed_in(client)


def test_sign_out_everywhere_ends_every_session_of_the_person_only(user_of):
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(user_of("coordinator-1"))
    phone.force_login(user_of("coordinator-1"))
    colleague.force_login(user_of("finance-1"))
    page = laptop.get(PROFILE)
    assert "Sign out everywhere" in page.content.decode()
    response = laptop.post(PROFILE, {"sign_out_everywhere": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert _messages(response) == ["You are signed out on every device, this one included."]
    assert not _signed_in(laptop)
    assert _login_next(phone.get(PROFILE)) == PROFILE
    other_device = phone.get(LOGIN)
    assert _messages(other_device) == ["You were signed out on every device. Please log in again."]
    assert not _signed_in(phone)
    assert _signed_in(colleague)
    record = SessionsEnded.objects.get()
    assert record.user == record.actor == user_of("coordinator-1")
    # A new log-in afterwards is valid.
    login = log_in_through_pages(phone, email_of("coordinator-1"), settings.DEMO_PASSWORD)
    assert login.status_code == 302
    assert _signed_in(phone)


def test_only_the_person_or_a_platform_admin_ends_their_sessions(user_of):
    with pytest.raises(DomainError):
        user_sessions_end(user=user_of("finance-1"), actor=user_of("coordinator-1"))
    assert user_sessions_end(user=user_of("finance-1"), actor=user_of("platform-admin"))


def test_platform_admin_signs_a_person_out_everywhere_from_the_admin(client_of, user_of):
    victim = Client()
    victim.force_login(user_of("riga-officer-1"))
    admin = client_of("platform-admin")
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [user_of("riga-officer-1").pk]},
        follow=True,
    )
    assert "Every session of 1 person was ended." in response.content.decode()
    assert not _signed_in(victim)
    assert _signed_in(admin)
    record = SessionsEnded.objects.get()
    assert (record.user, record.actor) == (user_of("riga-officer-1"), user_of("platform-admin"))
    assert admin.get(reverse("admin:accounts_sessionsended_changelist")).status_code == 200
