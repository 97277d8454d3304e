"""The registry of what the platform holds about a person names every model that refers to a
person or an account; its selections run on both databases."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from privacy.registry import KINDS, PERSON_MODEL, registry_gaps, target_of
from programmes.models import Person


def test_every_model_naming_a_person_or_an_account_is_in_the_registry():
    assert registry_gaps(apps.get_models(include_auto_created=True)) == []


@isolate_apps("privacy")
def test_a_new_model_naming_a_person_fails_the_registry_test():
    class Badge(models.Model):
        holder = models.ForeignKey(Person, on_delete=models.CASCADE)
        issuer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    assert registry_gaps([Badge]) == ["privacy.Badge.holder", "privacy.Badge.issuer"]


def test_every_kind_names_a_model_and_paths_to_a_person_or_an_account():
    targets = {PERSON_MODEL, settings.AUTH_USER_MODEL}
    for kind in KINDS:
        model = kind.model_class()
        if model is None and kind.optional:
            continue
        assert model is not None, kind.model
        assert kind.paths or kind.select, kind
        for path in kind.paths:
            assert target_of(model, path) in targets, (kind.model, path)
        names = {f.name for f in model._meta.concrete_fields}
        assert set(kind.fields) <= names and set(kind.hidden) <= names, kind.model
        assert set(kind.files) <= names, kind.model
    named = [k.name for k in KINDS if k.name]
    assert len(named) == len(set(named)), "each kind has its own file"


@pytest.mark.django_db
def test_every_kinds_selection_runs(user_of):
    user = user_of("athens-officer-1")
    person = Person.objects.get(user=user)
    for kind in KINDS:
        if kind.model_class() is None and kind.optional:
            continue
        assert kind.rows(person, user).count() >= 0
        assert kind.rows(None, None).count() == 0
