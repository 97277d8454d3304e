"""A page as the browser gets it, with the number of SQL queries it ran (for the tests that
pin a list page's queries however large the programme)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_and_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)
