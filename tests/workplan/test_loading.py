"""The work plan is programme data: loaded with the programme from its data file, the same
twice (a second run writes nothing), and an item the coordinators changed is theirs."""

import io

import pytest
from django.core.management import call_command

from programmes.services.loading import DATA_DIR, programme_load_file
from tests.workplan.builders import deliverable
from workplan.models import Deliverable, Milestone, Task, WorkPackage
from workplan.services import DeliverableInput, deliverable_save

pytestmark = pytest.mark.django_db


def test_cities_grow_work_plan_is_loaded_with_the_programme():
    packages = list(
        WorkPackage.objects.filter(programme__slug="cities-grow").values_list("number", "title")
    )
    assert [n for n, _t in packages] == [1, 2, 3, 4, 5]
    assert "The four mentoring schemes" in dict(packages).values()
    # The four schemes are the tasks of WP2, each led by its facilitator.
    schemes = Task.objects.filter(work_package__number=2).select_related("lead__organisation")
    assert {t.theme.code: t.lead.organisation.slug for t in schemes} == {
        "A": "mpg",
        "B": "migrationwork",
        "C": "mpi-europe",
        "D": "mpg",
    }
    # The concept note's deliverables: counts, kinds and months.
    found = {
        f"D{d.work_package.number}.{d.number}": (d.kind, d.target, d.due_month, d.source)
        for d in Deliverable.objects.filter(work_package__programme__slug="cities-grow")
    }
    assert found == {
        "D2.1": ("action_plan", 8, 22, "adopted_plans"),
        "D3.1": ("toolkit", 4, 23, "published_toolkits"),
        "D4.1": ("infographic", 8, 22, "upload"),
        "D4.2": ("video", 4, 23, "upload"),
        "D4.3": ("event", 1, 23, "held_conference"),
        "D5.1": ("report", 1, 14, "upload"),
        "D5.2": ("report", 1, 26, "upload"),
    }
    assert deliverable("D5.1").dissemination == "SEN"
    assert Milestone.objects.filter(work_package__programme__slug="cities-grow").count() == 5


def test_loading_twice_changes_nothing_and_says_so():
    report = programme_load_file(DATA_DIR / "cities-grow.json")
    assert not report.changed_anything, (report.created, report.updated)
    out = io.StringIO()
    call_command("load_programme", stdout=out)
    assert "already up to date" in out.getvalue()


def test_the_file_never_overwrites_what_a_coordinator_changed(user_of):
    infographics = deliverable("D4.1")
    deliverable_save(
        actor=user_of("coordinator-1"),
        work_package=infographics.work_package,
        deliverable=infographics,
        expected_revision=infographics.revision,
        data=DeliverableInput(
            number=1,
            title="8 infographics",
            lead_id=infographics.lead_id,
            kind="infographic",
            target=8,
            due_month=21,
            dissemination="PU",
            task_id=infographics.task_id,
        ),
    )
    report = programme_load_file(DATA_DIR / "cities-grow.json")
    assert not report.changed_anything
    assert deliverable("D4.1").due_month == 21
