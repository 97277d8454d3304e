import pytest

from tests.privacy.builders import Built, person_with_data_everywhere


@pytest.fixture
def built(user_of, django_capture_on_commit_callbacks, client) -> Built:
    """A person with records in every app, who has left (no current role)."""
    return person_with_data_everywhere(user_of, django_capture_on_commit_callbacks, client)
