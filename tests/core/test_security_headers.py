"""The Content-Security-Policy and the other security headers on every page of the platform, no
inline code anywhere a policy without 'unsafe-inline' would refuse it, the violation report
endpoint, and the security.txt file with its disclosure policy page.

The walk reuses the access table (tests/core/test_access_table.py): every URL pattern, for a few
roles, whatever the answer (a page, a redirect to log in, a 404, a file). The browser tests run
with the same policy enforced and fail on any violation (tests/e2e/conftest.py)."""

import ast
import contextlib
import json
import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.middleware import ADMIN_STYLE_ATTRIBUTES, permissions_policy_header
from tests.core.test_access_table import ROLES, URL_TABLE
from tests.core.test_template_formats import _project_template_folders

WALK_ROLES = ("anonymous", "coordinator", "officer_athens")
CSP = "Content-Security-Policy"


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


_PAGE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-report/"],
}


def policy_problems(response, *, admin_page: bool = False) -> list[str]:
    """What is missing or too loose in a response's security headers."""
    if CSP not in response:
        return [f"no {CSP} header"]
    header = response[CSP]
    directives = _directives(header)
    problems = [
        f"{word} in the policy" for word in ("'unsafe-inline'", "'unsafe-eval'") if word in header
    ]
    if "'unsafe-hashes'" in header and not admin_page:
        problems.append("'unsafe-hashes' outside the admin")
    # A stored file (core.files.private_file_response) carries its own, stricter policy: it
    # loads nothing and runs nothing, even opened in the browser.
    file_policy = directives == {"default-src": ["'none'"], "sandbox": []}
    expected = {} if file_policy else _PAGE_POLICY
    problems += [
        f"{name}: {directives.get(name)}, expected {values}"
        for name, values in expected.items()
        if directives.get(name) != values
    ]
    for name, value in {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }.items():
        if response.get(name) != value:
            problems.append(f"{name}: {response.get(name)!r}, expected {value!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy: {response.get('Permissions-Policy')!r}")
    return problems


# Script types a browser does not run (data blocks): the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EVENT_HANDLER = re.compile(r"on[a-z]+")


class _InlineCode(HTMLParser):
    def __init__(self, allowed_styles: tuple[str, ...]) -> None:
        super().__init__()
        self.allowed_styles = allowed_styles
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        data_block = (attributes.get("type") or "").lower() in DATA_SCRIPT_TYPES
        if tag == "script" and not attributes.get("src") and not data_block:
            self.problems.append(f"line {line}: inline <script>")
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")
        for name, value in attrs:
            if name == "style" and (value or "").strip() not in self.allowed_styles:
                self.problems.append(f'line {line}: <{tag} style="{value}">')
            elif EVENT_HANDLER.fullmatch(name):
                self.problems.append(f"line {line}: <{tag} {name}=...> handler")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: <{tag} {name}={value}>")


def inline_code_problems(html: str, allowed_styles: tuple[str, ...] = ()) -> list[str]:
    """The inline scripts, style elements and attributes, event handlers and javascript: URLs of
    a rendered page, which the policy refuses."""
    parser = _InlineCode(allowed_styles)
    parser.feed(html)
    parser.close()
    return parser.problems


def _get(client, url):
    response = client.get(url)
    if response.streaming:  # a file: reading it whole closes it
        b"".join(response.streaming_content)
    return response


CASES = [(name, role) for name in URL_TABLE for role in WALK_ROLES]
CROSS_ORIGIN_IMAGES = {"infographics:file"}

FRAMEABLE_PAGES = {"videos:embed"}


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_every_page_carries_the_policy_and_no_inline_code(url_name, role, client, client_of):
    kwargs, _expected = URL_TABLE[url_name]
    kwargs = {k: v() if callable(v) else v for k, v in kwargs.items()}
    if ROLES[role]:
        client = client_of(ROLES[role])
    response = _get(client, reverse(url_name, kwargs=kwargs))
    if url_name in CROSS_ORIGIN_IMAGES and response.status_code == 200:
        # A published infographic's image is shown on the cities' own sites (its embed code):
        # that one view lets another site load it; nothing else does.
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
    if url_name in FRAMEABLE_PAGES and response.status_code == 200:
        # A published video's player is framed by the cities' own sites (its embed code): that
        # one page may be framed by any site; nothing else may.
        assert "frame-ancestors *" in response[CSP] and "X-Frame-Options" not in response
        response[CSP] = response[CSP].replace("frame-ancestors *", "frame-ancestors 'none'")
        response["X-Frame-Options"] = "DENY"
    assert policy_problems(response) == [], f"{role} on {url_name} ({response.status_code})"
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert inline_code_problems(response.content.decode()) == [], f"{role} on {url_name}"


@pytest.mark.django_db
def test_error_pages_and_refusals_carry_the_policy(client, client_of):
    assert policy_problems(client.get("/no-such-page/")) == []  # 404
    assert policy_problems(client.post(reverse("accounts:logout"))) == []  # redirect
    officer = client_of("rotterdam-officer-1")
    refused = officer.get(reverse("programmes:city", args=["cities-grow", "athens"]))
    assert refused.status_code == 404
    assert policy_problems(refused) == []


def _admin_urls():
    """The admin's index, and for every model registered, its list, its add form, and the
    change form and history of its first record."""
    yield reverse("admin:index")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            with contextlib.suppress(NoReverseMatch):  # a plain ModelAdmin has no history view
                yield reverse("admin:{}_{}_history".format(*info), args=[first.pk])


# The admin's forms of models with a URLField warn of Django 6's https default (an error under
# the tests' filterwarnings): a matter of those forms, not of the policy.
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
@pytest.mark.django_db
def test_the_admin_carries_the_policy_and_only_its_known_style_attribute(client_of):
    client = client_of("platform-admin")
    pages = 0
    for url in _admin_urls():
        response = _get(client, url)
        assert policy_problems(response, admin_page=True) == [], url
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages += 1
            problems = inline_code_problems(response.content.decode(), ADMIN_STYLE_ATTRIBUTES)
            assert problems == [], url
    assert pages > 50


# ---- no inline code in the sources


HTML_PATTERNS = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)"),
    "<style> element": re.compile(r"<style\b"),
    "style attribute": re.compile(r"\sstyle\s*=\s*[\"'{]"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"'{]"),
    "javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE),
}
HANDLER_NAMES = re.compile(
    r"on(click|dblclick|change|input|submit|reset|load|unload|error|focus|blur|key\w+|mouse\w+"
    r"|pointer\w+|touch\w+|drag\w*|drop|select|scroll|resize|wheel|contextmenu|beforeunload)"
)


def _html_problems(text: str) -> list[str]:
    return [name for name, pattern in HTML_PATTERNS.items() if pattern.search(text)]


def test_no_template_has_inline_script_style_or_handler():
    templates = [t for folder in _project_template_folders() for t in folder.rglob("*.html")]
    assert len(templates) > 50
    problems = {
        str(template): found
        for template in templates
        if (found := _html_problems(template.read_text(encoding="utf-8")))
    }
    assert problems == {}


def _project_python_files():
    """The project's own modules. The walk prunes hidden and generated folders and skips a file
    that vanishes while it runs (other test workers write and remove files under the project)."""
    base = Path(settings.BASE_DIR)
    skipped = {"var", "tests", "migrations", "node_modules", "__pycache__", "staticfiles"}
    for folder, subfolders, names in os.walk(base, onerror=lambda error: None):
        subfolders[:] = [s for s in subfolders if s not in skipped and not s.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if name.endswith(".py") and path.is_file():
                yield path


def _read_if_present(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _python_html_problems(source: str) -> list[str]:
    """HTML written by Python: string literals with inline code, and attribute dicts (a widget's
    attrs) with a style or handler key. Docstrings and other bare strings are not HTML."""
    tree = ast.parse(source)
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare:
            problems += [f"line {node.lineno}: {p}" for p in _html_problems(node.value)]
        if isinstance(node, ast.Dict):
            for key in node.keys:
                name = key.value if isinstance(key, ast.Constant) else None
                if isinstance(name, str) and (name == "style" or HANDLER_NAMES.fullmatch(name)):
                    problems.append(f"line {key.lineno}: attribute {name!r}")
    return problems


def test_no_python_writes_inline_script_style_or_handler():
    files = list(_project_python_files())
    assert len(files) > 100
    problems = {
        str(path): found
        for path in files
        if (found := _python_html_problems(_read_if_present(path)))
    }
    assert problems == {}


JS_PATTERNS = {
    "style or handler set as an attribute": re.compile(
        r"setAttribute\(\s*[\"'](style|on[a-z]+)[\"']"
    ),
    "code from a string": re.compile(r"\beval\(|new Function\(|set(Timeout|Interval)\(\s*[\"'`]"),
    "HTML from a string": re.compile(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write"),
}


def test_no_script_sets_inline_styles_handlers_or_evaluates_strings():
    scripts = list(Path(settings.BASE_DIR, "static").rglob("*.js"))
    assert scripts
    problems = {
        str(script): [name for name, p in JS_PATTERNS.items() if p.search(text)]
        for script in scripts
        if any(p.search(text := script.read_text(encoding="utf-8")) for p in JS_PATTERNS.values())
    }
    assert problems == {}


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('<p style="color: red">', ["style attribute"]),
        ("<button onclick='go()'>", ["event handler attribute"]),
        ("<script>alert(1)</script>", ["inline <script>"]),
        ('<script src="/static/js/x.js" defer></script>', []),
        ('<script type="application/json" id="data">{}</script>', []),
        ("<style>p {}</style>", ["<style> element"]),
        ('<a href="javascript:go()">', ["javascript: URL"]),
        ('<p class="note">Styles on one page</p>', []),
    ],
)
def test_the_source_scan_finds_inline_code(source, found):
    assert _html_problems(source) == found


def test_the_python_scan_finds_attrs_and_literals_but_not_docstrings():
    source = '''
"""A docstring may say style="x"."""
widget = {"style": "width: 5em"}
other = {"onchange": "go()"}
html = '<span style="color: red">'
'''
    assert _python_html_problems(source) == [
        "line 3: attribute 'style'",
        "line 4: attribute 'onchange'",
        "line 5: style attribute",
    ]


def test_the_rendered_scan_finds_inline_code():
    html = (
        '<main><p style="x">a</p><script>go()</script><script src="/s.js"></script>'
        '<button onclick="go()">b</button><svg><style>g{}</style></svg></main>'
    )
    assert [p.split(": ", 1)[1] for p in inline_code_problems(html)] == [
        '<p style="x">',
        "inline <script>",
        "<button onclick=...> handler",
        "<style> element",
    ]
    assert inline_code_problems('<p style="border-top: 0">', ADMIN_STYLE_ATTRIBUTES) == []


# ---- the policy's settings


def test_the_permissions_policy_header_syntax():
    header = permissions_policy_header(
        {"camera": [], "fullscreen": ["self"], "payment": ["self", "https://pay.example"]}
    )
    assert header == 'camera=(), fullscreen=(self), payment=(self "https://pay.example")'


def _production_policy(base_url):
    """The policy's directives as production settings compute them for this address."""
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "platform.example",
        "PLATFORM_BASE_URL": base_url,
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # named, never reached
    }
    code = (
        "import json; from config.settings import production as s; "
        "d = s.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
        "print(json.dumps({'upgrade': d['upgrade-insecure-requests'], 'debug': s.DEBUG}))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_upgrades_insecure_requests_and_the_embedded_mode_does_not():
    assert _production_policy("https://platform.example") == {"upgrade": True, "debug": False}
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] is False


# ---- the violation report endpoint


REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/programmes/cities-grow/?token=secret",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
        "source-file": "http://testserver/static/js/x.js",
        "line-number": 12,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "http://testserver/",
        "body": {
            "documentURL": "http://testserver/finance/",
            "effectiveDirective": "script-src-elem",
            "blockedURL": "http://evil.example/x.js",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


@pytest.fixture
def reporter(db):
    """A client as a browser posts reports: without a CSRF token, and checked for one."""
    from django.core.cache import cache

    cache.clear()
    return Client(enforce_csrf_checks=True)


def _post(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(reverse("portal:csp_report"), data=data, content_type=content_type)


def test_a_report_is_logged_without_its_query_string(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = _post(reporter, REPORT)
    assert response.status_code == 204
    assert [r.getMessage() for r in caplog.records] == [
        "Content-Security-Policy violation: style-src-attr blocked inline on "
        "http://testserver/programmes/cities-grow/ (http://testserver/static/js/x.js:12)"
    ]


def test_a_reporting_api_batch_logs_its_violations_only(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = _post(reporter, REPORTING_API, "application/reports+json")
    assert response.status_code == 204
    assert [r.getMessage() for r in caplog.records] == [
        "Content-Security-Policy violation: script-src-elem blocked http://evil.example/x.js on "
        "http://testserver/finance/ (:3)"
    ]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"\xff\xfe\x00garbage", 400),
        (b"42", 400),
        (b'"text"', 400),
        (b"null", 400),
        (b"[1, 2]", 400),
        (b'{"csp-report": "text"}', 400),
        (b'{"csp-report": {"line-number": {"deep": [null]}}}', 204),
        (b"[]", 204),
        (b'[{"type": "csp-violation", "body": null}]', 204),
    ],
)
def test_hostile_bodies_are_answered_never_with_a_500(reporter, body, status):
    assert _post(reporter, body).status_code == status


def test_a_body_over_the_limit_is_refused_unread(reporter, settings, caplog):
    settings.CSP_REPORT_MAX_BYTES = 1000
    big = {"csp-report": {"script-sample": "x" * 2000}}
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        assert _post(reporter, big).status_code == 413
    assert caplog.records == []


def test_long_fields_are_cut_and_stay_on_one_line(reporter, caplog):
    report = {"csp-report": {"effective-directive": "a\nb" * 500, "document-uri": "x" * 5000}}
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        assert _post(reporter, report).status_code == 204
    (message,) = [r.getMessage() for r in caplog.records]
    assert "\n" not in message
    assert len(message) < 1000


def test_a_flood_of_reports_is_answered_and_logged_only_up_to_the_limit(reporter, settings, caplog):
    settings.CSP_REPORTS_LOGGED_PER_MINUTE = 5
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        statuses = {_post(reporter, REPORT).status_code for _ in range(40)}
    assert statuses == {204}
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) <= 2 * (5 + 1)  # at most two minutes' worth if the minute turned
    assert any("the others are not logged" in m for m in messages)


def test_the_endpoint_takes_posts_only(reporter):
    url = reverse("portal:csp_report")
    assert reporter.get(url).status_code == 405
    assert reporter.put(url, data="{}").status_code == 405


def test_a_cache_failure_still_answers(reporter, monkeypatch, caplog):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        assert _post(reporter, REPORT).status_code == 204
    assert "Could not record" in caplog.text


# ---- security.txt and the disclosure policy


@pytest.mark.django_db
def test_security_txt_follows_rfc_9116(client, settings):
    settings.PLATFORM_BASE_URL = "https://platform.example"
    settings.SECURITY_CONTACTS = ["mailto:security@platform.example", "https://platform.example/c"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    fields = [line.split(": ", 1) for line in lines]
    assert [name for name, _value in fields] == [
        "Contact",
        "Contact",
        "Expires",
        "Preferred-Languages",
        "Policy",
        "Canonical",
    ]
    values = dict(fields)
    assert [v for n, v in fields if n == "Contact"] == settings.SECURITY_CONTACTS
    expires = datetime.fromisoformat(values["Expires"].replace("Z", "+00:00"))
    assert values["Expires"].endswith("Z")
    now = datetime.now(UTC)
    assert now + timedelta(days=360) < expires < now + timedelta(days=365)
    assert values["Preferred-Languages"] == "en, fr"
    assert values["Policy"] == "https://platform.example/security/"
    assert values["Canonical"] == "https://platform.example/.well-known/security.txt"


@pytest.mark.django_db
def test_the_disclosure_policy_is_public_and_linked_from_every_page(client, settings):
    settings.SECURITY_CONTACTS = ["mailto:security@platform.example"]
    page = client.get(reverse("portal:disclosure"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<a href="mailto:security@platform.example">security@platform.example</a>' in html
    assert 'href="/.well-known/security.txt"' in html
    assert "90 days after your report" in html
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:disclosure")}"' in home
