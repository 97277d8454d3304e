"""Writing good practices: one validation for the form, the API and the importer, then a save
that keeps the derived search data in step. Edits of a stale copy are refused."""

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.richtext import sanitise_html
from programmes.access import viewer_for

from ..choices import (
    PRACTICE_LANGUAGES,
    BudgetRange,
    LinkKind,
    PracticeStatus,
    SourceKind,
    TargetGroup,
)
from ..models import GoodPractice, PracticeLink
from ..permissions import (
    can_author_practice,
    can_edit_practice,
    is_practice_editor,
    officer_city_ids,
)
from .indexing import practices_index
from .references import References

LANGUAGES = {code for code, _label in PRACTICE_LANGUAGES}
MAX_LINKS = 10


@dataclass(frozen=True)
class LinkInput:
    kind: str
    url: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class PracticeInput:
    """Everything a practice says, as codes (the import/export format's vocabulary)."""

    reference: str
    title: str
    city_name: str
    country: str
    summary: str
    organisation: str = ""
    description: str = ""
    themes: tuple[str, ...] = ()
    key_factors: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()
    european_module: int | None = None
    target_groups: tuple[str, ...] = ()
    start_year: int | None = None
    status: str = PracticeStatus.ONGOING
    results: str = ""
    evidence: str = ""
    budget_range: str = BudgetRange.UNKNOWN
    contact_name: str = ""
    contact_email: str = ""
    contact_consent: bool = False
    links: tuple[LinkInput, ...] = ()
    language: str = "en"
    source_kind: str = SourceKind.TOOLKIT
    source_name: str = ""
    illustrative: bool = False


def _unknown(codes: tuple[str, ...], known: Any) -> list[str]:
    return [code for code in codes if code not in known]


def practice_input_errors(data: PracticeInput, refs: References) -> dict[str, str]:
    """Every problem of the input, by field: nothing is checked against the database here
    beyond the reference data in `refs` (the importer checks uniqueness across its rows)."""
    errors: dict[str, str] = {}
    try:
        validate_slug(data.reference)
    except ValidationError:
        errors["reference"] = _("Use only letters, digits, hyphens and underscores.")
    if len(data.reference) > 80:
        errors["reference"] = _("At most 80 characters.")
    for name, limit in (("title", 200), ("city_name", 120), ("summary", 1000)):
        value = getattr(data, name)
        if not value.strip():
            errors[name] = _("This is required.")
        elif len(value) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
    for name, limit in (
        ("organisation", 200),
        ("description", 20000),
        ("results", 4000),
        ("evidence", 4000),
        ("contact_name", 200),
        ("source_name", 200),
    ):
        if len(getattr(data, name)) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
    if data.country not in countries:
        errors["country"] = _("Give the country as an ISO 3166 code, such as BE or PL.")
    if not data.themes:
        errors["themes"] = _("Choose at least one theme.")
    elif unknown := _unknown(data.themes, refs.themes):
        errors["themes"] = _("Unknown theme: %(codes)s.") % {"codes": ", ".join(unknown)}
    if unknown := _unknown(data.key_factors, refs.key_factors):
        errors["key_factors"] = _("Unknown key factor: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif stray := [c for c in data.key_factors if refs.key_factor_theme[c] not in data.themes]:
        errors["key_factors"] = _(
            "These key factors belong to a theme the practice does not have: %(codes)s."
        ) % {"codes": ", ".join(stray)}
    if unknown := _unknown(data.commitments, refs.commitments):
        errors["commitments"] = _("Unknown charter commitment: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    if data.european_module is not None and data.european_module not in refs.modules:
        errors["european_module"] = _("The European module is 1, 2 or 3.")
    if unknown := _unknown(data.target_groups, TargetGroup.values):
        errors["target_groups"] = _("Unknown target group: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    if data.start_year is not None and not 1900 <= data.start_year <= 2100:
        errors["start_year"] = _("Give a year between 1900 and 2100.")
    for name, choices in (
        ("status", PracticeStatus.values),
        ("budget_range", BudgetRange.values),
        ("language", LANGUAGES),
        ("source_kind", SourceKind.values),
    ):
        if getattr(data, name) not in choices:
            errors[name] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    if data.contact_consent and not (data.contact_name or data.contact_email):
        errors["contact_consent"] = _("Consent is recorded for a contact: name one.")
    if link_problem := _links_problem(data.links):
        errors["links"] = link_problem
    return errors


def _links_problem(links: tuple[LinkInput, ...]) -> str:
    if len(links) > MAX_LINKS:
        return _("At most %(n)s links.") % {"n": MAX_LINKS}
    check_url = URLValidator(schemes=["http", "https"])
    for number, link in enumerate(links, start=1):
        if link.kind not in LinkKind.values:
            return _("Link %(n)s: choose a kind (video, image, document, website).") % {"n": number}
        try:
            check_url(link.url)
        except ValidationError:
            return _("Link %(n)s: give a web address starting with https://.") % {"n": number}
        if len(link.url) > 500 or not link.title.strip() or len(link.title) > 200:
            return _("Link %(n)s: give a title (at most 200 characters).") % {"n": number}
        if link.kind == LinkKind.IMAGE and not link.description.strip():
            return _("Link %(n)s: describe the image for people who cannot see it.") % {"n": number}
    return ""


def practice_input_normalised(data: PracticeInput) -> PracticeInput:
    """The input as it is stored: trimmed, rich text sanitised, code lists in a stable order
    (so that an unchanged import row is recognised as unchanged)."""
    trimmed = {
        name: getattr(data, name).strip()
        for name in (
            "title",
            "city_name",
            "organisation",
            "summary",
            "results",
            "evidence",
            "contact_name",
            "contact_email",
            "source_name",
        )
    }
    return replace(
        data,
        **trimmed,
        description=sanitise_html(data.description),
        themes=tuple(sorted(set(data.themes))),
        key_factors=tuple(sorted(set(data.key_factors))),
        commitments=tuple(sorted(set(data.commitments))),
        target_groups=tuple(dict.fromkeys(data.target_groups)),
    )


def practice_apply(practice: GoodPractice, data: PracticeInput, refs: References) -> GoodPractice:
    """Copy the input onto the practice and its relations (validated input; no permission
    check: the callers check). Saves; the caller re-indexes."""
    data = practice_input_normalised(data)
    practice.reference = data.reference
    practice.title = data.title
    practice.city_name = data.city_name
    practice.country = data.country
    practice.city = refs.cities.get((practice.city_name.lower(), data.country))
    practice.organisation = data.organisation
    practice.summary = data.summary
    practice.description = data.description
    practice.european_module = (
        refs.modules[data.european_module] if data.european_module is not None else None
    )
    practice.target_groups = list(data.target_groups)
    practice.start_year = data.start_year
    practice.status = data.status
    practice.results = data.results
    practice.evidence = data.evidence
    practice.budget_range = data.budget_range
    practice.contact_name = data.contact_name
    practice.contact_email = data.contact_email
    practice.contact_consent = data.contact_consent
    practice.language = data.language
    practice.source_kind = data.source_kind
    practice.source_name = data.source_name
    practice.illustrative = data.illustrative
    practice.save()
    practice.themes.set([refs.themes[c] for c in data.themes])
    practice.key_factors.set([refs.key_factors[c] for c in data.key_factors])
    practice.commitments.set([refs.commitments[c] for c in data.commitments])
    practice.links.all().delete()
    PracticeLink.objects.bulk_create(
        PracticeLink(practice=practice, order=n, **vars(link)) for n, link in enumerate(data.links)
    )
    return practice


def practice_create(*, actor: Any, data: PracticeInput) -> GoodPractice:
    """A new draft by a city officer (of their own city), a facilitator or a coordinator."""
    if not can_author_practice(actor):
        raise DomainError(_("Only city officers, facilitators and coordinators add practices."))
    refs = References.load()
    errors = practice_input_errors(data, refs)
    if GoodPractice.objects.filter(reference=data.reference).exists():
        errors.setdefault("reference", _("Another practice already has this reference."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        practice = GoodPractice(created_by=actor)
        attribute_to(practice, actor)
        practice_apply(practice, data, refs)
        _require_own_city(actor, practice)
        practices_index([practice.pk])
    return practice


def _require_own_city(actor: Any, practice: GoodPractice) -> None:
    """A city officer who is not also an editor documents their own city's practices."""
    if is_practice_editor(actor):
        return
    if practice.city_id is None or practice.city_id not in officer_city_ids(viewer_for(actor)):
        raise DomainError(
            _("City officers add the practices of their own city."),
            field_errors={"city_name": _("Give the name of your own city.")},
        )


def practice_update(
    *, actor: Any, practice: GoodPractice, data: PracticeInput, revision: int
) -> GoodPractice:
    """Save an edit; refused on a stale copy or when the practice is not this person's to edit."""
    refs = References.load()
    errors = practice_input_errors(data, refs)
    if GoodPractice.objects.filter(reference=data.reference).exclude(pk=practice.pk).exists():
        errors.setdefault("reference", _("Another practice already has this reference."))
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        current = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if not can_edit_practice(actor, current):
            raise DomainError(_("This practice can no longer be edited by you."))
        if current.revision != revision:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this practice after you opened it. Your text is kept "
                    "below: compare it with the current version, then save again."
                )
            )
        current.revision += 1
        attribute_to(current, actor, "edit")
        practice_apply(current, data, refs)
        _require_own_city(actor, current)
        practices_index([current.pk])
    return current


def practice_input_of(practice: GoodPractice) -> PracticeInput:
    """The practice as input (the export format and the edit form's initial values)."""
    return PracticeInput(
        reference=practice.reference,
        title=practice.title,
        city_name=practice.city_name,
        country=str(practice.country),
        organisation=practice.organisation,
        summary=practice.summary,
        description=practice.description,
        themes=tuple(sorted(t.code for t in practice.themes.all())),
        key_factors=tuple(sorted(f.code for f in practice.key_factors.all())),
        commitments=tuple(sorted(c.code for c in practice.commitments.all())),
        european_module=practice.european_module.number if practice.european_module else None,
        target_groups=tuple(practice.target_groups),
        start_year=practice.start_year,
        status=practice.status,
        results=practice.results,
        evidence=practice.evidence,
        budget_range=practice.budget_range,
        contact_name=practice.contact_name,
        contact_email=practice.contact_email,
        contact_consent=practice.contact_consent,
        links=tuple(
            LinkInput(kind=k.kind, url=k.url, title=k.title, description=k.description)
            for k in practice.links.all()
        ),
        language=practice.language,
        source_kind=practice.source_kind,
        source_name=practice.source_name,
        illustrative=practice.illustrative,
    )
