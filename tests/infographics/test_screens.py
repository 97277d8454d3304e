"""The infographic screens on the living demo: facilitator-b starts the Munich-Athens
infographic, rewords, hides and adds items through the browser's formset (blank extra rows
ignored), previews and publishes it; an anonymous visitor reads the public page (text
alternative, embed code) and downloads every file. Scope: 404 outside it, log-in for drafts."""

import re
import struct

import pytest
from django.urls import reverse

from infographics.choices import FileFormat
from infographics.models import Infographic
from programmes.models import MentoringPair
from tests.html_checks import accessibility_problems

SLUG = "cities-grow"


@pytest.fixture(scope="module")
def demo(living_demo):
    return living_demo


@pytest.fixture
def pair(demo):
    return MentoringPair.objects.current().get(
        mentor__city__slug="munich", implementing__city__slug="athens"
    )


def _formset_data(html: str) -> dict:
    """What the browser posts: every input's value, checked boxes only, selects' first option."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            else:
                data.pop(name.group(1), None)
        elif name and 'value="' not in tag:
            data.setdefault(name.group(1), "")
    for name in re.findall(r'<select[^>]*name="([^"]+)"', html):
        data.setdefault(name, "")
    return data


def _start(client, pair):
    response = client.post(
        reverse("infographics:start", args=[SLUG]),
        {"subject": f"pair-{pair.pk}", "language": "en"},
    )
    assert response.status_code == 302
    return Infographic.objects.get(pair=pair, language="en")


def test_facilitator_builds_edits_previews_and_publishes(client_of, client, pair):
    editor = client_of("facilitator-b")
    home = editor.get(reverse("infographics:index", args=[SLUG]))
    assert home.status_code == 200
    assert "Munich \u2013 Athens" in home.content.decode()
    assert accessibility_problems(home.content.decode()) == []
    infographic = _start(editor, pair)
    url = reverse("infographics:edit", args=[SLUG, infographic.pk])
    page = editor.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert accessibility_problems(html) == []
    data = _formset_data(html)
    items = list(infographic.items.order_by("order", "pk"))
    data["items-0-text"] = "One shared list of young people, one contact each."
    data.pop("items-1-shown", None)  # hidden
    candidates = re.findall(r'<option value="((?:finding|action)-\d+)"', html)
    assert candidates, "the records offer more findings or actions to add"
    extra = len(items)
    data[f"items-{extra}-source"] = candidates[0]
    # The second extra row stays blank: ignored.
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    infographic.refresh_from_db()
    texts = {i.text: i.shown for i in infographic.items.all()}
    assert texts["One shared list of young people, one contact each."] is True
    assert infographic.items.get(pk=items[1].pk).shown is False
    assert infographic.items.count() == len(items) + 1

    preview = editor.get(reverse("infographics:preview", args=[SLUG, infographic.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/svg+xml"
    assert b"One shared list of young people" in preview.content

    published = editor.post(reverse("infographics:publish", args=[SLUG, infographic.pk]))
    public_url = reverse("infographics:public", args=[infographic.pk])
    assert published.status_code == 302 and published["Location"] == public_url

    client.logout()
    page = client.get(public_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert accessibility_problems(html) == []
    assert "One shared list of young people, one contact each." in html
    assert 'id="infographic-text"' in html and "&lt;img src=" in html  # the embed code, shown
    assert "Asylum, Migration and Integration Fund" in html
    listing = client.get(reverse("infographics:public_list")).content.decode()
    assert public_url in listing
    for fmt in FileFormat:
        response = client.get(reverse("infographics:download", args=[infographic.pk, 1, fmt]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == FileFormat.PNG_PORTRAIT:
            assert struct.unpack(">II", content[16:24]) == (1080, 1350)
        if fmt == FileFormat.PNG_LANDSCAPE:
            assert struct.unpack(">II", content[16:24]) == (1200, 630)
        if fmt in (FileFormat.PDF_A4, FileFormat.PDF_A3):
            assert content.startswith(b"%PDF")
    embed = client.get(reverse("infographics:file", args=[infographic.pk, 1, "svg"]))
    assert embed["Content-Disposition"].startswith("inline")
    assert embed["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert b"<title" in embed.content


def test_scope_of_the_editor_screens(client_of, client, pair):
    editor = client_of("facilitator-b")
    infographic = _start(editor, pair)
    edit = reverse("infographics:edit", args=[SLUG, infographic.pk])
    preview = reverse("infographics:preview", args=[SLUG, infographic.pk])
    public = reverse("infographics:public", args=[infographic.pk])
    for key in ("athens-officer-1", "munich-officer-1", "facilitator-a", "auditor-1"):
        other = client_of(key)
        assert other.get(edit).status_code == 404, key
        assert other.get(preview).status_code == 404, key
        assert (
            other.post(reverse("infographics:publish", args=[SLUG, infographic.pk])).status_code
            == 404
        )
    assert client_of("coordinator-1").get(edit).status_code == 200
    client.logout()
    assert client.get(edit).status_code == 302  # log in first
    assert client.get(public).status_code == 404  # not published yet
    assert (
        client.get(reverse("infographics:file", args=[infographic.pk, 1, "svg"])).status_code == 404
    )
    # Facilitator A cannot start one in scheme B either.
    response = client_of("facilitator-a").post(
        reverse("infographics:start", args=[SLUG]), {"subject": f"pair-{pair.pk}", "language": "en"}
    )
    assert response.status_code == 404


def test_scheme_page_and_plan_link_the_published_infographic(client_of, pair):
    editor = client_of("facilitator-b")
    infographic = _start(editor, pair)
    editor.post(reverse("infographics:publish", args=[SLUG, infographic.pk]))
    public = reverse("infographics:public", args=[infographic.pk])
    scheme = editor.get(reverse("programmes:scheme", args=[SLUG, "B"])).content.decode()
    assert public in scheme
    assert reverse("infographics:index", args=[SLUG]) in scheme
    plan = client_of("athens-officer-1").get(reverse("action_plans:plan", args=[SLUG, "athens"]))
    assert public in plan.content.decode()
    public_plan = client_of("athens-officer-1").get(
        reverse("action_plans:public_plan", args=[SLUG, "athens"])
    )
    assert public in public_plan.content.decode()


def test_the_public_list_costs_the_same_queries_for_one_or_two_infographics(
    client_of, client, pair, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    editor = client_of("facilitator-b")
    infographic = _start(editor, pair)
    editor.post(reverse("infographics:publish", args=[SLUG, infographic.pk]))
    client.logout()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("infographics:public_list")).status_code == 200
        return len(queries)

    one = count()
    scheme = client_of("facilitator-b").post(
        reverse("infographics:start", args=[SLUG]),
        {"subject": f"scheme-{pair.scheme.theme.pk}", "language": "en"},
    )
    scheme_pk = int(scheme["Location"].rstrip("/").rsplit("/", 1)[-1])
    client_of("facilitator-b").post(reverse("infographics:publish", args=[SLUG, scheme_pk]))
    client.logout()
    assert count() == one
    with django_assert_max_num_queries(3):
        assert client.get(reverse("infographics:public", args=[scheme_pk])).status_code == 200
