"""No dead ends: for each demo role, follow the links reachable from its home page (bounded) on
the living demo (month 18) as `make run` loads it. No page answers 5xx, and no link a page
shows answers 403 or 404, or sends a signed-in person back to the log-in page: a link is shown
only when its target will open for the viewer."""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import email_of

ROLES = {
    "anonymous": None,
    "coordinator": "coordinator-1",
    "facilitator_b": "facilitator-b",
    "officer_athens": "athens-officer-1",
    "officer_munich": "munich-officer-1",
    "officer_rotterdam": "rotterdam-officer-1",
    "approver_athens_admin": "athens-approver-admin",
    "approver_athens_political": "athens-approver-political",
    "finance": "finance-1",
    "auditor": "auditor-1",
}

# Pages opened (and their links read) per role, and distinct URLs opened per URL name: a
# practice page stands for the 144 others, a page of a list for its neighbours.
PAGES_PER_ROLE = 220
PER_URL_NAME = 4
# Not followed: Django's admin (a third-party tool for the platform admin), media files, and
# downloads whose content is checked by their own tests (their links are still checked).
SKIPPED_PREFIXES = ("/admin/", "/media/", "/static/")
NOT_READ_SUFFIXES = (".pdf", ".ics", ".xlsx", ".docx", ".csv", ".json")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, base_path: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        if not href:
            continue
        if href.startswith("?"):
            href = base_path + href
        if not href.startswith("/"):
            continue
        found.append(href)
    return found


def url_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name


@dataclass
class Crawl:
    client: Client
    signed_in: bool
    problems: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    opened_per_name: dict[str, int] = field(default_factory=dict)
    # The HTML pages opened, in the order they were reached.
    html_pages: list[str] = field(default_factory=list)
    pages_per_role: int = PAGES_PER_ROLE
    per_url_name: int = PER_URL_NAME

    def status(self, url: str, shown_on: str) -> tuple[int, str]:
        response = self.client.get(url)
        code = response.status_code
        self.statuses[url] = code
        if code >= 500:
            self.problems.append(f"{url} answers {code} (linked from {shown_on})")
        elif code in (403, 404):
            self.problems.append(f"{url} answers {code} but {shown_on} shows a link to it")
        elif code in (301, 302) and self.signed_in and "/accounts/login" in response["Location"]:
            self.problems.append(f"{url} sends a signed-in person to log in ({shown_on})")
        content_type = response.get("Content-Type", "")
        if response.streaming:
            # Reading a download to its end closes its file the way a server does; calling
            # response.close() again would fire request_finished and close the database
            # connection inside the demo's transaction.
            b"".join(response.streaming_content)
            return code, ""
        body = response.content.decode() if code == 200 and "text/html" in content_type else ""
        if body:
            self.html_pages.append(url)
        return code, body

    def run(self, start: str) -> None:
        queue: deque[tuple[str, str]] = deque([(start, "the start")])
        seen = {start}
        opened = 0
        while queue and opened < self.pages_per_role:
            url, shown_on = queue.popleft()
            name = url_name(url)
            if self.opened_per_name.get(name, 0) >= self.per_url_name:
                continue
            self.opened_per_name[name] = self.opened_per_name.get(name, 0) + 1
            opened += 1
            _code, body = self.status(url, shown_on)
            if not body:
                continue
            for link in _links(body, urlsplit(url).path):
                if link in seen or link.startswith(SKIPPED_PREFIXES):
                    continue
                seen.add(link)
                if urlsplit(link).path.endswith(NOT_READ_SUFFIXES):
                    # A download is checked for its status, not read for links.
                    if self.opened_per_name.get(url_name(link), 0) < self.per_url_name:
                        self.opened_per_name[url_name(link)] = (
                            self.opened_per_name.get(url_name(link), 0) + 1
                        )
                        self.status(link, url)
                    continue
                queue.append((link, url))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_link_shown_to_a_role_is_a_dead_end(role, living_demo, django_user_model):
    client = Client()
    key = ROLES[role]
    if key:
        client.force_login(django_user_model.objects.get(username=email_of(key)))
    crawl = Crawl(client=client, signed_in=bool(key))
    crawl.run("/")
    opened = sum(crawl.opened_per_name.values())
    assert opened > (5 if key is None else 15), f"{role} reached only {opened} pages"
    assert not crawl.problems, "\n".join(crawl.problems)
