"""System checks (`manage.py check`, run by every command): the upload policy covers every model
file field, and stored files are never inside a folder served as static files."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register
from django.db import models


def uncovered_file_fields(model_classes: Iterable[Any]) -> list[Any]:
    """The file fields of these models that no upload policy governs."""
    from core.uploads import GeneratedFileField, PolicyFileField

    return [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
        and not isinstance(field, PolicyFileField | GeneratedFileField)
    ]


@register()
def uploads_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = [
        Error(
            f"{field.model._meta.label}.{field.name} is a file field outside the upload policy.",
            hint="Use core.uploads.PolicyFileField (a person's upload) or GeneratedFileField "
            "(a file the platform writes).",
            obj=field,
            id="uploads.E001",
        )
        for field in uncovered_file_fields(apps.get_models())
    ]
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    for folder in (Path(str(f)).resolve() for f in served if f):
        if media == folder or folder in media.parents or media in folder.parents:
            errors.append(
                Error(
                    f"MEDIA_ROOT ({media}) and the static files' folder {folder} overlap: "
                    "stored files would be served to anyone.",
                    id="uploads.E002",
                )
            )
    return errors
