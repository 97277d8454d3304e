"""The file fields of the platform: every model file field is a PolicyFileField (a person's upload,
checked by its policy) or a GeneratedFileField (a file the platform writes itself); every form
file field is an UploadField. tests/core/test_uploads.py fails on any other.

Both model fields store a file under a random name in their kind's folder (never under the name
a person gave it), and delete it from storage once the transaction that deleted its record, or
replaced its file, has committed; a file still named by another record is kept. Files left
behind otherwise (a transaction rolled back after the file was written) are removed by the daily
purge (core.uploads.storage).
"""

import logging
import re
import uuid
from pathlib import PurePath
from typing import Any

from django import forms
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_init, post_save

from .policy import POLICIES, UploadPolicy, upload_help_text, upload_problem

logger = logging.getLogger(__name__)

_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


class _RandomName:
    """upload_to: a random name in the folder, with the extension of the name it is given only
    when that extension is one the folder may hold."""

    def __init__(self, folder: str, extensions: tuple[str, ...] | None) -> None:
        self.folder = folder
        self.extensions = extensions

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()
        allowed = extension in self.extensions if self.extensions else _EXTENSION.match(extension)
        return f"{self.folder}/{uuid.uuid4().hex}{extension if allowed else ''}"


class PolicyFileField(models.FileField):
    """A file a person uploads, of the kind `policy` names (core.uploads.policy.POLICIES).

    Services check the upload with `upload_check` and store it with `upload_store`; a model
    form (or the admin) checks it through this field's validation and its form field."""

    def __init__(self, *args: Any, policy: str, **kwargs: Any) -> None:
        self.policy_key = policy
        kwargs["upload_to"] = _RandomName(POLICIES[policy].folder, POLICIES[policy].extensions)
        kwargs.setdefault("max_length", 300)
        super().__init__(*args, **kwargs)

    @property
    def policy(self) -> UploadPolicy:
        return POLICIES[self.policy_key]

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["policy"] = self.policy_key
        return name, "core.uploads.PolicyFileField", args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if value and not getattr(value, "_committed", True):
            problem = upload_problem(value.file, self.policy)
            if problem:
                raise ValidationError(problem, code="upload")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": UploadField, "policy": self.policy_key, **kwargs})

    def contribute_to_class(self, cls: Any, name: str, **kwargs: Any) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name, **kwargs)
        _follow_files(cls)


class GeneratedFileField(models.FileField):
    """A file the platform generates itself (a statement's XLSX or PDF): no person's upload
    reaches it, so no upload policy applies; stored under a random name in `folder`."""

    def __init__(self, *args: Any, folder: str, **kwargs: Any) -> None:
        self.folder = folder
        kwargs["upload_to"] = _RandomName(folder, None)
        kwargs.setdefault("max_length", 300)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["folder"] = self.folder
        return name, "core.uploads.GeneratedFileField", args, kwargs

    def contribute_to_class(self, cls: Any, name: str, **kwargs: Any) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name, **kwargs)
        _follow_files(cls)


# ---------------------------------------------------------------- form fields


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """A form's file field of one kind of upload: its help text and the browser's file chooser
    follow the policy, and a refused file is an error next to the field."""

    each = False

    def __init__(self, *, policy: str, **kwargs: Any) -> None:
        self.policy = POLICIES[policy]
        widget_class = _MultipleFileInput if self.each else forms.ClearableFileInput
        kwargs.setdefault("widget", widget_class(attrs={"accept": self.policy.accept}))
        kwargs.setdefault("help_text", upload_help_text(policy, self.each))
        super().__init__(**kwargs)

    def _checked(self, upload: Any) -> Any:
        if isinstance(upload, UploadedFile):
            problem = upload_problem(upload, self.policy)
            if problem:
                raise ValidationError(problem, code="upload")
        return upload

    def clean(self, data: Any, initial: Any = None) -> Any:
        return self._checked(super().clean(data, initial))


class MultipleUploadField(UploadField):
    """Several files of one kind of upload in one field; every refused file is named."""

    each = True

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = forms.FileField.clean
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads:
            single(self, None, initial)  # "required" when it is
            return []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(self._checked(single(self, upload, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors, code="upload")
        return cleaned


# ---------------------------------------------------------------- deleting stored files

_STORED = "_stored_file_names"


def governed_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field of the platform's models that follows its files."""
    return [
        (model, field)
        for model in global_apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, PolicyFileField | GeneratedFileField)
    ]


def file_is_referenced(name: str) -> bool:
    """Whether a record still names this stored file."""
    return any(
        model._base_manager.filter(**{field.name: name}).exists()
        for model, field in governed_fields()
    )


_FOLLOWED: dict[Any, list[models.FileField]] = {}


def _followed(model: Any) -> list[models.FileField]:
    if model not in _FOLLOWED:
        _FOLLOWED[model] = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, PolicyFileField | GeneratedFileField)
        ]
    return _FOLLOWED[model]


def _name(value: Any) -> str:
    """The stored name a field's value stands for ("" when nothing is stored yet)."""
    if isinstance(value, str):
        return value
    if isinstance(value, FieldFile):
        return (value.name or "") if getattr(value, "_committed", False) else ""
    return ""


def _delete_on_commit(storage: Any, name: str, using: str | None) -> None:
    def delete() -> None:
        if file_is_referenced(name):
            return
        try:
            storage.delete(name)
        except OSError:  # the purge tries again tomorrow
            logger.warning("Stored file %s could not be deleted", name, exc_info=True)

    transaction.on_commit(delete, using=using)


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    values = instance.__dict__
    values[_STORED] = {
        field.attname: _name(values[field.attname])
        for field in _followed(sender)
        if field.attname in values  # a deferred field is not known
    }


def _after_save(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    values = instance.__dict__
    before = values.get(_STORED, {})
    now = {}
    for field in _followed(sender):
        if field.attname not in values or (update_fields and field.name not in update_fields):
            if field.attname in before:
                now[field.attname] = before[field.attname]
            continue
        now[field.attname] = _name(values[field.attname])
        old = before.get(field.attname)
        if old and old != now[field.attname]:
            _delete_on_commit(field.storage, old, instance._state.db)
    values[_STORED] = now


def _after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    values = instance.__dict__
    for field in _followed(sender):
        name = _name(values.get(field.attname)) or values.get(_STORED, {}).get(field.attname, "")
        if name:
            _delete_on_commit(field.storage, name, instance._state.db)


def _follow_files(model: Any) -> None:
    """Connect the signals that delete a model's stored files: the platform's models only (not
    the historical copies, nor the models a migration builds)."""
    if model._meta.abstract or model._meta.apps is not global_apps:
        return
    uid = f"core.uploads:{model._meta.label}"
    post_init.connect(_remember, sender=model, weak=False, dispatch_uid=f"{uid}:init")
    post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
