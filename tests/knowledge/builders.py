"""Practices and toolkits for the knowledge tests, made through the services."""

from knowledge.models import GoodPractice, Toolkit
from knowledge.services.practices import LinkInput, PracticeInput, practice_create
from knowledge.services.toolkits import toolkit_create
from programmes.models import Programme


def practice_input(**overrides) -> PracticeInput:
    values = {
        "reference": "athens-newcomer-job-desk",
        "title": "Newcomer job desk in the town hall",
        "city_name": "Athens",
        "country": "GR",
        "organisation": "City of Athens, Department of Social Solidarity",
        "summary": "A desk where newly arrived people meet employers and get their skills seen.",
        "description": "<p>The desk opens <strong>every weekday</strong>.</p>",
        "themes": ("cities-grow-b",),
        "key_factors": ("b4", "b5"),
        "commitments": ("SP1",),
        "european_module": 3,
        "target_groups": ("newcomers", "jobseekers"),
        "start_year": 2017,
        "status": "ongoing",
        "results": "120 people placed in work in the first year.",
        "evidence": "Monitoring data of the desk.",
        "budget_range": "10k-50k",
        "contact_name": "Eleni Demo",
        "contact_email": "job.desk@athens.example.org",
        "contact_consent": False,
        "links": (LinkInput("website", "https://example.org/athens/job-desk", "The desk"),),
        "language": "en",
        "source_kind": "project",
        "source_name": "CITIES-GROW mentoring scheme",
    }
    values.update(overrides)
    return PracticeInput(**values)


def draft_practice(actor, **overrides) -> GoodPractice:
    reference = overrides.get("reference", "athens-newcomer-job-desk")
    existing = GoodPractice.objects.filter(reference=reference).first()
    return existing or practice_create(actor=actor, data=practice_input(**overrides))


def toolkit_b(actor, title: str = "Job-skills match for young people") -> Toolkit:
    existing = Toolkit.objects.filter(title=title).first()
    return existing or toolkit_create(
        actor=actor,
        programme=Programme.objects.get(slug="cities-grow"),
        theme_code="cities-grow-b",
        title=title,
    )
