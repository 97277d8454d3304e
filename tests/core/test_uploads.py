"""The upload policy on every file field of the platform: each hostile sample (tests/
upload_samples.py) is posted to each field through its real view, its form and its service, and
none is accepted or stored; a good file of each type the field takes is accepted, stored under a
random name and served back only as a download. A file field outside the policy fails here."""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test.utils import isolate_apps

from core.checks import uncovered_file_fields, uploads_check
from core.errors import DomainError
from core.uploads import (
    POLICIES,
    GeneratedFileField,
    PolicyFileField,
    UploadField,
    display_name,
    governed_fields,
    upload_check,
)
from tests import upload_samples
from tests.core.upload_fields import targets

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _field_errors(response, field):
    """The errors shown next to `field` in the page's form (any form of the page's context)."""
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and field in value.errors:
                return value.errors[field]
    return []


TARGETS = {target.key: target for target in targets()}


# ---------------------------------------------------------------- hostile files: 0 accepted


@pytest.mark.parametrize("key", TARGETS)
def test_no_hostile_file_is_accepted_by_any_file_field(key, user_of, client_of):
    target = TARGETS[key].setup(user_of, client_of)
    records, stored = target.records(), _stored_files()
    accepted = []
    for sample in upload_samples.hostile():
        # Through the real view: a 400 with the reason next to the field, the rest kept.
        response = target.post(sample.name, sample.content)
        errors = _field_errors(response, target.field) if response.status_code == 400 else []
        if response.status_code != 400 or not errors:
            accepted.append(f"view: {sample.label} ({response.status_code})")
        elif target.kept and target.kept not in response.content.decode():
            accepted.append(f"view: {sample.label} lost what was typed")
        # Through the form.
        form = target.form(sample.name, sample.content)
        if form.is_valid() or target.field not in form.errors:
            accepted.append(f"form: {sample.label}")
        # Through the service, which checks again whatever calls it.
        try:
            target.service(sample.name, sample.content)
        except DomainError as refusal:
            if not refusal.field_errors:
                accepted.append(f"service: {sample.label} refused without a field")
        else:
            if target.policy != "exchange_rates":  # read by its form only
                accepted.append(f"service: {sample.label}")
    assert accepted == []
    assert target.records() == records
    assert _stored_files() == stored
    assert not Path("/tmp/evil.sh").exists()  # noqa: S108  (where the zip slip aims)


def test_each_refusal_says_why_in_words(user_of, client_of):
    target = TARGETS["attachment"].setup(user_of, client_of)
    expected = {
        "executable renamed .pdf": "does not contain what its name says (.pdf)",
        "SVG with a script named .png": "is a web page or an SVG image",
        "HTML named .pdf": "is a web page or an SVG image",
        "zip bomb named .docx": "“zip bomb”",
        "zip bomb with lying sizes named .docx": "damaged or unusual DOCX",
        "zip slip named .docx": "unsafe names",
        "macros named .docx": "contains macros",
        "PDF that is also a zip": "two files in one",
        "PDF with HTML at its start": "hides a web page",
        "PDF with JavaScript": "scripts or actions that run",
        "PNG with HTML appended": "hides a web page",
        "PNG of 900 million pixels": "more than 50 million pixels",
        "path traversal name": "“passwd.pdf” does not contain what its name says",
        "oversize": "larger than 10 MB",
    }
    samples = {sample.label: sample for sample in upload_samples.hostile()}
    for label, words in expected.items():
        response = target.post(samples[label].name, samples[label].content)
        assert response.status_code == 400, label
        assert any(words in error for error in _field_errors(response, "files_b2")), label


# ---------------------------------------------------------------- good files: stored safely


GOOD_CASES = [
    (key, kind.key)
    for key, target in TARGETS.items()
    if target.policy != "exchange_rates"
    for kind in POLICIES[target.policy].types
]


@pytest.mark.parametrize(("key", "kind"), GOOD_CASES)
def test_a_good_file_of_each_type_is_stored_under_a_random_name(key, kind, user_of, client_of):
    target = TARGETS[key].setup(user_of, client_of)
    name, make = upload_samples.GOOD[kind]
    content = make()
    records = target.records()
    response = target.post(name, content)
    assert response.status_code == 302, _field_errors(response, target.field)
    assert target.records() == records + 1
    field, shown, url = target.latest()
    file_type = next(t for t in POLICIES[target.policy].types if t.key == kind)
    folder = POLICIES[target.policy].folder
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\{file_type.extension}", field.name), field.name
    assert (Path(settings.MEDIA_ROOT) / field.name).read_bytes() == content
    assert shown == name
    download = target.state["client"].get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == file_type.mime
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_good_rates_file_is_read_and_never_stored(user_of, client_of):
    target = TARGETS["exchange_rates"].setup(user_of, client_of)
    stored = _stored_files()
    name, make = upload_samples.GOOD["csv"]
    response = target.post(name, make())
    assert response.status_code == 302
    assert target.records() == 2
    assert _stored_files() == stored


def test_a_name_is_never_a_path(user_of, client_of):
    """A good file whose name is a path, through the service and through a raw multipart body
    (browsers send only a name; Django keeps only its last part): stored under a random name
    in its folder, the name shown without the path."""
    target = TARGETS["evidence"].setup(user_of, client_of)
    update = target.service("../../etc/passwd.pdf", upload_samples.pdf())
    assert update.evidence_name == "passwd.pdf"
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", update.evidence.name)
    boundary = "hostile-boundary"
    fields = target._progress_data()
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
        f'filename="..\\..\\..\\etc/cron.d/evil.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    body += upload_samples.pdf() + f"\r\n--{boundary}--\r\n".encode()
    response = target.state["client"].post(
        target.state["url"], body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    field, shown, _url = target.latest()
    assert shown == "evil.pdf"
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", field.name)
    assert not Path("/etc/cron.d/evil.pdf").exists()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\Desktop\\receipt.pdf", "receipt.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),  # no right-to-left override
        ("  .hidden.pdf", "hidden.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("....pdf", "file.pdf"),
        ("", "file"),
        ("x" * 300 + ".docx", "x" * 195 + ".docx"),
    ],
)
def test_a_display_name_is_a_plain_name(raw, shown):
    assert display_name(raw) == shown


def test_the_size_limits_come_from_the_settings(settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "receipts": 1}
    big = SimpleUploadedFile("scan.pdf", upload_samples.pdf() + b"0" * (1024 * 1024))
    with pytest.raises(DomainError, match="larger than 1 MB"):
        upload_check(big, POLICIES["receipts"])
    settings.UPLOAD_ARCHIVE_MAX_MB = 1
    many = SimpleUploadedFile("indicators.xlsx", upload_samples.xlsx())
    upload_check(many, POLICIES["attachments"])  # a real spreadsheet is far below 1 MB


def test_a_huge_upload_is_not_read_past_the_largest_limit(rf, user_of, client_of, settings):
    from core.uploads.handlers import largest_upload_bytes

    # Videos may be far larger (tests/videos): here the largest limit is a document's.
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "videos": 10}

    huge = upload_samples.pdf() + b"0" * (25 * 1024 * 1024)
    request = rf.post("/", {"file": SimpleUploadedFile("huge.pdf", huge)})
    read = request.FILES["file"]
    assert read.size == largest_upload_bytes() + 1
    read.close()
    target = TARGETS["receipt"].setup(user_of, client_of)
    response = target.post("huge.pdf", huge)
    assert response.status_code == 400
    assert "larger than 5 MB" in " ".join(_field_errors(response, "receipt"))


# ---------------------------------------------------------------- no file field outside the policy


def _project_apps():
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(BASE_DIR) and ".venv" not in Path(config.path).parts
    ]


def test_every_model_file_field_is_governed_by_the_policy():
    assert uncovered_file_fields(apps.get_models()) == []
    assert [e.id for e in uploads_check()] == []
    governed = {(model._meta.label, field.name) for model, field in governed_fields()}
    assert governed == {
        ("finance.Receipt", "file"),
        ("assessments.Attachment", "file"),
        ("action_plans.PlanTransition", "document"),
        ("action_plans.ProgressUpdate", "evidence"),
        ("workplan.DeliverableStep", "file"),
        ("finance.StatementFiles", "xlsx"),
        ("finance.StatementFiles", "pdf"),
        ("reports.ReportFiles", "docx"),
        ("reports.ReportFiles", "pdf"),
        ("infographics.InfographicVersion", "svg"),
        ("infographics.InfographicVersion", "png_portrait"),
        ("infographics.InfographicVersion", "png_landscape"),
        ("infographics.InfographicVersion", "pdf_a4"),
        ("infographics.InfographicVersion", "pdf_a3"),
        ("videos.Video", "file"),
        ("videos.Subtitle", "file"),
        ("videos.Appearance", "consent_form"),
        ("finance.OtherGrantHours", "evidence"),
    }
    # Every policy of a model field is posted to by the hostile test above.
    policies = {f.policy_key for _m, f in governed_fields() if isinstance(f, PolicyFileField)}
    assert policies <= {target.policy for target in TARGETS.values()}


@isolate_apps("core")
def test_a_new_plain_file_field_is_caught():
    class Brochure(models.Model):
        leaflet = models.FileField(upload_to="leaflets/")
        cover = models.ImageField(upload_to="covers/")
        report = PolicyFileField(policy="attachments")
        statement = GeneratedFileField(folder="statements")

        class Meta:
            app_label = "core"

    assert [f.name for f in uncovered_file_fields([Brochure])] == ["leaflet", "cover"]


_ALLOWED_FIELD_CALLS = {"UploadField", "MultipleUploadField", "PolicyFileField"}
_ALLOWED_FIELD_CALLS |= {"GeneratedFileField"}


def _file_field_calls(source: str) -> list[tuple[int, str, str | None]]:
    """Every call that builds a file field (…FileField(…), …ImageField(…)) in Python source:
    its line, its name, and the policy it names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
        if name.endswith(("FileField", "ImageField")) or name in _ALLOWED_FIELD_CALLS:
            policy = next(
                (
                    k.value.value
                    for k in node.keywords
                    if k.arg == "policy" and isinstance(k.value, ast.Constant)
                ),
                None,
            )
            found.append((node.lineno, name, policy))
    return found


def _project_sources():
    for config in _project_apps():
        for path in Path(config.path).rglob("*.py"):
            if "migrations" not in path.parts and path.parent.name != "tests":
                yield path


def test_every_form_file_field_is_an_upload_field_of_a_tested_policy():
    """Read in the source, so fields added in a form's constructor count too."""
    outside, policies = [], set()
    for path in _project_sources():
        if path.is_relative_to(BASE_DIR / "core" / "uploads"):
            continue  # where the fields are defined
        for line, name, policy in _file_field_calls(path.read_text(encoding="utf-8")):
            if name not in _ALLOWED_FIELD_CALLS:
                outside.append(f"{path.relative_to(BASE_DIR)}:{line} {name}")
            elif name in ("UploadField", "MultipleUploadField", "PolicyFileField"):
                if policy not in POLICIES:
                    outside.append(f"{path.relative_to(BASE_DIR)}:{line} {name} without a policy")
                policies.add(policy)
    assert outside == []
    assert policies == {target.policy for target in TARGETS.values()}
    # And the forms' declared fields, as Django sees them.
    for config in _project_apps():
        for info in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".migrations" in info.name or ".tests" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm):
                    for field_name, field in getattr(value, "base_fields", {}).items():
                        if isinstance(field, forms.FileField):
                            assert isinstance(field, UploadField), (info.name, field_name)


def test_the_source_scan_sees_a_plain_form_file_field():
    source = (
        "from django import forms\n"
        "class Leaflet(forms.Form):\n"
        "    def __init__(self):\n"
        "        self.fields['pdf'] = forms.FileField()\n"
        "        self.fields['img'] = forms.ImageField()\n"
        "        self.fields['ok'] = UploadField(policy='receipts')\n"
    )
    assert [(name, policy) for _l, name, policy in _file_field_calls(source)] == [
        ("FileField", None),
        ("ImageField", None),
        ("UploadField", "receipts"),
    ]
