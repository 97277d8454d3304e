"""Every URL pattern x every role, with the outcome each must get. A new URL pattern that is not
in URL_TABLE makes test_every_url_pattern_is_in_the_table fail."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programmes.models import City
from tests.html_checks import accessibility_problems

ROLES = {
    "anonymous": None,
    "outsider": "outsider",  # an account with no membership
    "coordinator": "coordinator-1",
    "facilitator_b": "facilitator-b",  # facilitates scheme B (Munich mentors Athens)
    "officer_athens": "athens-officer-1",
    "officer_munich": "munich-officer-1",  # Athens' mentor city
    "officer_rotterdam": "rotterdam-officer-1",  # another scheme
    "approver_athens": "athens-approver-political",
    "finance": "finance-1",
    "auditor": "auditor-1",
    "platform_admin": "platform-admin",
}

ANON_LOGIN = 302  # redirected to the log-in page


def _all(code, **overrides):
    outcome = dict.fromkeys(ROLES, code)
    outcome.update(overrides)
    return outcome


def _members(code, **overrides):
    """Anonymous goes to log-in, an outsider gets 404, everyone else `code`, unless overridden."""
    return _all(code, anonymous=ANON_LOGIN, outsider=404, **overrides)


def _athens_pk():
    return City.objects.get(slug="athens").pk


# name -> (kwargs, expected status per role)
URL_TABLE = {
    "portal:home": ({}, _all(200)),
    "accounts:login": ({}, _all(302, anonymous=200)),
    "accounts:logout": ({}, _all(405)),  # log-out is a POST only
    "accounts:profile": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:password_change": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:password_change_done": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:password_reset": ({}, _all(200)),
    "accounts:password_reset_done": ({}, _all(200)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "bad-token"}, _all(200)),
    "accounts:password_reset_complete": ({}, _all(200)),
    "set_language": ({}, _all(302)),
    "programmes:overview": ({"slug": "cities-grow"}, _members(200)),
    "programmes:people": ({"slug": "cities-grow"}, _members(200)),
    "programmes:scheme": (
        {"slug": "cities-grow", "code": "B"},
        _members(200, officer_rotterdam=404),
    ),
    "programmes:city": (
        {"slug": "cities-grow", "city": "athens"},
        _members(200, officer_rotterdam=404),
    ),
    "programmes:city_edit": (
        {"slug": "cities-grow", "city": "athens"},
        _members(
            403, coordinator=200, officer_athens=200, platform_admin=200, officer_rotterdam=404
        ),
    ),
    "programmes:history": (
        {"slug": "cities-grow", "kind": "city", "pk": _athens_pk},
        _members(404, coordinator=200, auditor=200, platform_admin=200),
    ),
}
# The Django admin is one rule for the whole namespace: platform admins only.
NAMESPACE_RULES = {"admin": ("admin:index", {}, _all(302, platform_admin=200))}


def _pattern_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _pattern_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def test_every_url_pattern_is_in_the_table():
    names = set(_pattern_names(get_resolver().url_patterns))
    uncovered = {n for n in names if n not in URL_TABLE and n.split(":")[0] not in NAMESPACE_RULES}
    assert not uncovered, f"URL patterns without an access rule in URL_TABLE: {sorted(uncovered)}"


CASES = [(name, role) for name in URL_TABLE for role in ROLES] + [
    (f"namespace:{ns}", role) for ns in NAMESPACE_RULES for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_role_gets_expected_outcome(url_name, role, client, client_of, django_user_model):
    if url_name.startswith("namespace:"):
        name, kwargs, expected = NAMESPACE_RULES[url_name.split(":", 1)[1]]
    else:
        name = url_name
        kwargs, expected = URL_TABLE[url_name]
    kwargs = {k: v() if callable(v) else v for k, v in kwargs.items()}
    if role == "outsider":
        client.force_login(
            django_user_model.objects.create_user("outsider@test.invalid", "outsider@test.invalid")
        )
    elif ROLES[role]:
        client = client_of(ROLES[role])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected[role], (
        f"{role} on {name}: got {response.status_code}, expected {expected[role]}"
    )
    if response.status_code == 200 and not name.startswith("admin:"):
        assert accessibility_problems(response.content.decode()) == []


@pytest.mark.django_db
def test_officer_cannot_see_other_city_private_pages(client_of):
    client = client_of("rotterdam-officer-1")
    for name in ("programmes:city", "programmes:city_edit"):
        response = client.get(reverse(name, kwargs={"slug": "cities-grow", "city": "athens"}))
        assert response.status_code == 404
    # ... while their own city is open to them.
    own = client.get(
        reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "rotterdam"})
    )
    assert own.status_code == 200
    assert "Rotterdam" in own.content.decode()
