"""The work plan's screens: every member reads it, the coordinators change it through forms
posted as the page renders them (bad input kept, the message next to its field, a stale copy
refused), record a submission with its file, and public deliverables reach the public site."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.action_plans.builders import adopt, athens_plan
from tests.rendered_forms import form_data
from tests.workplan.builders import deliverable
from workplan import selectors
from workplan.models import Deliverable, DeliverableStep, Task

pytestmark = pytest.mark.django_db

PLAN = reverse("workplan:plan", args=["cities-grow"])
TODAY = date(2018, 6, 15)  # month 18


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(selectors, "_today", lambda today=None: today or TODAY)


def _error_next_to(response, field):
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html, html
    return response.context["form"].errors[field][0]


def _url(name, d):
    return reverse(f"workplan:{name}", args=["cities-grow", d.pk])


def test_the_plan_shows_packages_counts_and_flags_what_is_overdue(client_of, user_of):
    adopt(user_of, athens_plan(user_of))
    response = client_of("coordinator-1").get(PLAN)
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("WP1 Management and coordination", "WP5 Evaluation and reporting"):
        assert title in html
    assert "Today, 15 June 2018, is month 18." in html
    page = response.context["page"]
    rows = {r.deliverable.code: r for v in page.packages for r in v.deliverables}
    assert rows["D2.1"].standing.count == 1 and "1 of 8" in html
    assert rows["D5.1"].standing.overdue  # the interim report, due in February 2018
    assert not rows["D4.3"].standing.overdue  # the conference, due in November 2018
    assert page.overdue_deliverables == 1
    assert "M14 · February 2018" in html
    assert "Add a work package" in html and "Latest changes to the work plan" in html


def test_filters_narrow_the_plan(client_of):
    client = client_of("athens-officer-1")
    overdue = client.get(PLAN + "?overdue=1").context["page"]
    assert [r.deliverable.code for v in overdue.packages for r in v.deliverables] == ["D5.1"]
    wp3 = client.get(PLAN + "?wp=3").context["page"]
    assert [v.work_package.number for v in wp3.packages] == [3]
    toolkits = client.get(PLAN + "?kind=toolkit&state=planned").context["page"]
    assert [r.deliverable.code for v in toolkits.packages for r in v.deliverables] == ["D3.1"]
    assert client.get(PLAN + "?wp=x&state=<b>&lead=-1").status_code == 200


def test_members_read_auditors_change_nothing(client_of):
    for key in ("athens-officer-1", "auditor-1", "finance-1", "facilitator-b"):
        client = client_of(key)
        html = client.get(PLAN).content.decode()
        assert "D5.1 Interim report" in html
        assert "Add a work package" not in html and "Change<span" not in html
        interim = deliverable("D5.1")
        assert client.get(_url("deliverable", interim)).status_code == 200
        assert client.get(_url("deliverable_edit", interim)).status_code == 403
        response = client.post(
            reverse("workplan:deliverable_step", args=["cities-grow", interim.pk, "start"]),
            {"on": "2018-01-08", "comment": ""},
        )
        assert response.status_code == 403
    assert not DeliverableStep.objects.exists()
    # The change history: coordinators and auditors only.
    assert "Latest changes" in client_of("auditor-1").get(PLAN).content.decode()
    assert "Latest changes" not in client_of("athens-officer-1").get(PLAN).content.decode()


def test_deliverable_form_as_rendered_keeps_bad_input_next_to_its_field(client_of):
    client = client_of("coordinator-1")
    infographics = deliverable("D4.1")
    url = _url("deliverable_edit", infographics)
    data = form_data(client.get(url).content.decode(), url)
    assert data["due_month"] == ["22"] and data["kind"] == ["infographic"]
    for field, value, words in [
        ("due_month", "twenty", "whole number"),
        ("due_month", "0", "greater than or equal to 1"),
        ("target", "", "required"),
        ("title", "", "required"),
        ("source", "adopted_plans", "count deliverables of the kind"),
        ("number", "3", "D4.3 exists already"),
    ]:
        response = client.post(url, {**data, field: value})
        assert response.status_code == 400, field
        assert words in _error_next_to(response, field), field
        assert response.context["form"][field].value() == value
    response = client.post(url, {**data, "due_month": "21", "target": "9"})
    assert response.status_code == 302
    saved = deliverable("D4.1")
    assert (saved.due_month, saved.target, saved.revision) == (21, 9, infographics.revision + 1)
    # The change is in its history, on its page, with who made it.
    page = client.get(_url("deliverable", saved)).content.decode()
    assert "History of changes" in page and "deliverable saved" in page


def test_a_stale_form_is_refused_with_both_versions(client_of):
    first, second = client_of("coordinator-1"), client_of("coordinator-2")
    videos = deliverable("D4.2")
    url = _url("deliverable_edit", videos)
    mine = form_data(first.get(url).content.decode(), url)
    theirs = form_data(second.get(url).content.decode(), url)
    assert first.post(url, {**mine, "target": "5"}).status_code == 302
    response = second.post(url, {**theirs, "target": "6"})
    assert response.status_code == 409
    assert "Someone else saved this item" in response.content.decode()
    assert response.context["form"]["target"].value() == "6"
    assert deliverable("D4.2").target == 5
    # Saving the refused page again goes through: it carries the revision now saved.
    again = form_data(response.content.decode(), url)
    assert second.post(url, again).status_code == 302
    assert deliverable("D4.2").target == 6


def test_task_and_work_package_forms_keep_months_inside(client_of):
    client = client_of("coordinator-1")
    url = reverse("workplan:task_new", args=["cities-grow", 3])
    data = form_data(client.get(url).content.decode(), url)
    lead = Task.objects.filter(work_package__number=3).first().lead_id
    response = client.post(
        url,
        {
            **data,
            "number": "3",
            "title": "Translations",
            "lead_id": lead,
            "start_month": "2",
            "end_month": "9",
        },
    )
    assert response.status_code == 400
    assert "WP3 starts in month 6" in _error_next_to(response, "start_month")
    response = client.post(
        url,
        {
            **data,
            "number": "3",
            "title": "Translations",
            "lead_id": lead,
            "start_month": "9",
            "end_month": "7",
        },
    )
    assert "cannot come before" in _error_next_to(response, "end_month")
    response = client.post(
        url,
        {
            **data,
            "number": "3",
            "title": "Translations",
            "lead_id": lead,
            "start_month": "9",
            "end_month": "12",
        },
    )
    assert response.status_code == 302
    assert Task.objects.filter(work_package__number=3, number=3, title="Translations").exists()
    wp_url = reverse("workplan:work_package_edit", args=["cities-grow", 3])
    wp = form_data(client.get(wp_url).content.decode(), wp_url)
    response = client.post(wp_url, {**wp, "start_month": "10"})
    assert "T3.1 runs from month 6" in _error_next_to(response, "start_month")


def test_new_deliverable_and_milestone_through_their_forms(client_of):
    client = client_of("coordinator-1")
    url = reverse("workplan:deliverable_new", args=["cities-grow", 4])
    data = form_data(client.get(url).content.decode(), url)
    lead = deliverable("D4.1").lead_id
    response = client.post(
        url,
        {
            **data,
            "number": "4",
            "title": "Press kit",
            "lead_id": lead,
            "kind": "other",
            "target": "1",
            "due_month": "20",
            "dissemination": "PU",
            "source": "upload",
        },
    )
    assert response.status_code == 302
    assert deliverable("D4.4").title == "Press kit"
    url = reverse("workplan:milestone_new", args=["cities-grow", 4])
    data = form_data(client.get(url).content.decode(), url)
    response = client.post(
        url,
        {
            **data,
            "number": "2",
            "title": "Website live",
            "lead_id": lead,
            "due_month": "3",
            "dissemination": "PU",
            "reached_on": "2099-01-01",
        },
    )
    assert "in the future" in _error_next_to(response, "reached_on")
    assert response.context["form"]["title"].value() == "Website live"


def test_the_coordinator_records_a_submission_with_its_file(client, client_of):
    coordinator = client_of("coordinator-1")
    interim = deliverable("D5.1")
    page = coordinator.get(_url("deliverable", interim)).content.decode()
    assert "Overdue" in page
    url = reverse("workplan:deliverable_step", args=["cities-grow", interim.pk, "submit"])
    assert f'href="{url}"' in page
    data = form_data(coordinator.get(url).content.decode(), url)
    response = coordinator.post(url, {**data, "on": "", "comment": "Through the portal"})
    assert response.status_code == 400
    assert "required" in _error_next_to(response, "on")
    assert response.context["form"]["comment"].value() == "Through the portal"
    response = coordinator.post(url, {**data, "on": "2018-03-05", "comment": "Through the portal"})
    assert "file, or a link" in _error_next_to(response, "file")
    report = SimpleUploadedFile("Interim report.pdf", b"%PDF-1.4\n% report\n", "application/pdf")
    response = coordinator.post(
        url, {**data, "on": "2018-03-05", "comment": "Through the portal", "file": report}
    )
    assert response.status_code == 302
    page = coordinator.get(_url("deliverable", interim))
    assert page.context["page"].standing.state == "submitted"
    assert "Interim report.pdf" in page.content.decode()
    step = DeliverableStep.objects.get(deliverable=interim)
    download = client_of("auditor-1").get(
        reverse("workplan:step_file", args=["cities-grow", interim.pk, step.pk])
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Sensitive (SEN): never on the public site, nor its file.
    client.logout()
    assert "Interim report" not in client.get(reverse("workplan:public_index")).content.decode()
    assert (
        client.get(reverse("workplan:public_file", args=["cities-grow", interim.pk])).status_code
        == 404
    )


def test_public_deliverables_reach_the_public_site_with_their_files(client, client_of, user_of):
    infographics = deliverable("D4.1")
    public = reverse("workplan:public_index")
    assert "8 infographics" not in client.get(public).content.decode()  # nothing to show yet
    adopt(user_of, athens_plan(user_of))  # counted: the public list of plans shows it
    coordinator = client_of("coordinator-1")
    url = reverse("workplan:deliverable_step", args=["cities-grow", infographics.pk, "submit"])
    image = SimpleUploadedFile("athens-munich.pdf", b"%PDF-1.4\n% infographic\n")
    assert (
        coordinator.post(url, {"on": "2018-05-02", "file": image, "comment": ""}).status_code == 302
    )
    client.logout()
    html = client.get(public).content.decode()
    assert "D4.1 8 infographics" in html and "D2.1 8 local action plans" in html
    file_url = reverse("workplan:public_file", args=["cities-grow", infographics.pk])
    assert file_url in html
    assert b"".join(client.get(file_url).streaming_content).startswith(b"%PDF")
    # Returned by the funder: the version is no longer public.
    returned = reverse("workplan:deliverable_step", args=["cities-grow", infographics.pk, "return"])
    response = client_of("coordinator-1").post(
        returned, {"on": "2018-05-20", "comment": "Wrong logo"}
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(file_url).status_code == 404
    assert Deliverable.objects.filter(pk=infographics.pk).exists()
