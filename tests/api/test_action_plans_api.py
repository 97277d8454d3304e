"""The action plans over the REST API: scoped reads, the same services for writes (stale copies
refused, adopted plans frozen), one error format, and an OpenAPI schema."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.action_plans.builders import SECTIONS, adopt, athens_plan

pytestmark = pytest.mark.django_db
LIST = reverse("api:action_plans", args=["cities-grow"])
DETAIL = reverse("api:action_plan", args=["cities-grow", "athens"])


def test_reads_are_scoped_to_the_user(client_of, user_of):
    athens_plan(user_of)
    assert [p["city"] for p in client_of("munich-officer-1").get(LIST).json()] == ["athens"]
    assert client_of("rotterdam-officer-1").get(LIST).json() == []
    assert client_of("rotterdam-officer-1").get(DETAIL).status_code == 404
    detail = client_of("facilitator-b").get(DETAIL).json()
    assert detail["vision"] == SECTIONS.vision
    assert detail["actions"][0]["indicators"][0]["target"] == "300.00"
    assert Client().get(LIST).status_code == 403  # anonymous


def _patch(client, data):
    return client.patch(DETAIL, data, content_type="application/json")


def test_writes_go_through_the_services(client_of, user_of):
    plan = athens_plan(user_of)
    officer = client_of("athens-officer-1")
    saved = _patch(officer, {"revision": plan.revision, "vision": "Through the API"})
    assert saved.status_code == 200 and saved.json()["vision"] == "Through the API"
    stale = _patch(officer, {"revision": plan.revision, "vision": "Stale"})
    assert stale.status_code == 409
    assert "Someone else saved the plan" in stale.json()["error"]["message"]
    refused = _patch(client_of("munich-officer-1"), {"revision": plan.revision + 1, "vision": "x"})
    assert (
        refused.status_code == 400
        and "Only the city's officers" in refused.json()["error"]["message"]
    )
    bad = _patch(officer, {"vision": "no revision"})
    assert bad.status_code == 400 and "revision" in bad.json()["error"]["fields"]


def test_an_adopted_plan_cannot_be_changed_through_the_api(client_of, user_of):
    plan = adopt(user_of, athens_plan(user_of))
    response = _patch(client_of("athens-officer-1"), {"revision": plan.revision, "vision": "x"})
    assert response.status_code == 400
    assert "Adopted" in response.json()["error"]["message"]
    plan.refresh_from_db()
    assert plan.vision == SECTIONS.vision


def test_the_schema_describes_the_endpoints(client_of):
    schema = client_of("coordinator-1").get(reverse("api:schema") + "?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/programmes/{slug}/action-plans/{city}/" in paths
    assert "patch" in paths["/api/programmes/{slug}/action-plans/{city}/"]


def test_the_plan_endpoint_keeps_its_query_count(client_of, user_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from action_plans.services.actions import plan_action_save
    from tests.action_plans.builders import action_input

    plan = athens_plan(user_of)
    client = client_of("facilitator-b")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DETAIL).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        plan_action_save(
            actor=user_of("athens-officer-1"),
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(f"More {n}"),
        )
    assert count() == before


def test_every_error_has_the_same_shape(client_of, user_of):
    from rest_framework.exceptions import ValidationError

    from api.errors import api_exception_handler

    for raised, message in [
        (ValidationError("Not like this."), "Not like this."),
        (ValidationError({"vision": ["Too long."]}), "Invalid input."),
    ]:
        body = api_exception_handler(raised, {}).data
        assert body["error"]["message"] == message
        assert set(body["error"]) == {"message", "fields"}
    athens_plan(user_of)
    body = client_of("athens-officer-1").patch(DETAIL, "[1]", content_type="application/json")
    assert body.status_code == 400 and "error" in body.json()
