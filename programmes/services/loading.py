"""Load a programme from its versioned data file (programmes/data/*.json).

Idempotent: every row is looked up by its natural key and saved only when a value differs, so a
second run writes nothing, not even an audit record. Demo accounts get a password only when they
are created.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import Role

from ..choices import OrganisationKind, PartnerRole
from ..models import (
    CharterCommitment,
    CharterRole,
    City,
    EuropeanModule,
    KeyDate,
    Membership,
    MentoringPair,
    MentoringScheme,
    Organisation,
    Person,
    Programme,
    ProgrammePartner,
    RatingLevel,
    SchemeMember,
    Theme,
)

SUPPORTED_FORMAT_VERSIONS = {1}
OFFICER_EDITED_FIELDS = ("population", "charter_signatory", "charter_signed_on")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass
class LoadReport:
    programme: Programme | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (e-mail, name, roles)

    def count(self, bucket: dict[str, int], model: type[models.Model]) -> None:
        name = model._meta.model_name or "row"
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


# Sections of the data file that belong to apps above `programmes` (the work plan), which may
# not be imported here: each registers a loader from its AppConfig.ready(). A loader gets the
# report, the programme and its section, and writes through `upsert`, so a second run of the
# same file writes nothing and the report says so.
SectionLoader = Callable[["LoadReport", Programme, Any], None]
_SECTION_LOADERS: dict[str, SectionLoader] = {}


def section_loader_register(key: str, loader: SectionLoader) -> None:
    """Load the data file's `key` section with `loader`, after the programme and its people."""
    _SECTION_LOADERS[key] = loader


def upsert(
    report: LoadReport, model: type[Any], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    """The row found by `lookup`, created or updated to `values`, saved only if one differs."""
    return _upsert(report, model, lookup, values)


def _upsert(
    report: LoadReport, model: type[Any], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.count(report.created, model)
        return instance
    changed = [name for name, value in values.items() if _differs(getattr(instance, name), value)]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save()
        report.count(report.updated, model)
    return instance


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    if isinstance(current, Decimal) and wanted is not None:
        return current != Decimal(str(wanted))
    return (
        str(current) != str(wanted)
        if current is not None and wanted is not None
        else current != wanted
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _decimal(number: float | str | None) -> Decimal | None:
    return Decimal(str(number)) if number is not None else None


def programme_load_file(path: Path | str, *, with_demo_accounts: bool = False) -> LoadReport:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DomainError(_("Cannot read the programme data file: %s") % error) from error
    return programme_load(data, with_demo_accounts=with_demo_accounts)


@transaction.atomic
def programme_load(data: dict[str, Any], *, with_demo_accounts: bool = False) -> LoadReport:
    """Create or update the programme described by `data` (format: programme-data, version 1)."""
    if data.get("format") != "programme-data" or data.get("format_version") not in (
        SUPPORTED_FORMAT_VERSIONS
    ):
        raise DomainError(_("This is not a programme data file of a supported version."))
    if with_demo_accounts and not settings.ALLOW_DEMO_ACCOUNTS:
        raise DomainError(_("Demo accounts are disabled on this installation."))
    report = LoadReport()
    _load_reference(report, data["reference"])
    programme = _load_programme(report, data["programme"])
    report.programme = programme
    organisations = _load_organisations(report, programme, data)
    cities = _load_cities(report, programme, data["cities"], organisations)
    themes = _load_themes(report, programme, data["themes"], organisations)
    schemes = _load_schemes(report, programme, data["schemes"], themes, cities)
    _load_pairs(report, data["pairs"], schemes, cities)
    _load_people(
        report, programme, data["people"], organisations, cities, schemes, with_demo_accounts
    )
    for key, loader in _SECTION_LOADERS.items():
        if key in data:
            loader(report, programme, data[key])
    return report


def _load_reference(report: LoadReport, reference: dict[str, Any]) -> None:
    for role_data in reference["charter_roles"]:
        role = _upsert(
            report,
            CharterRole,
            {"code": role_data["code"]},
            {
                "title": role_data["title"],
                "order": role_data["order"],
                "wording_confirmed": role_data.get("wording_confirmed", True),
            },
        )
        for order, commitment in enumerate(role_data["commitments"], start=1):
            _upsert(
                report,
                CharterCommitment,
                {"code": commitment["code"]},
                {"role": role, "text": commitment["text"], "order": order},
            )
    for module in reference["european_modules"]:
        _upsert(
            report,
            EuropeanModule,
            {"number": module["number"]},
            {"title": module["title"], "description": module.get("description", "")},
        )


def _load_programme(report: LoadReport, data: dict[str, Any]) -> Programme:
    programme: Programme = _upsert(
        report,
        Programme,
        {"slug": data["slug"]},
        {
            "name": data["name"],
            "full_title": data.get("full_title", ""),
            "description": data.get("description", ""),
            "funder": data["funder"],
            "grant_reference": data["grant_reference"],
            "grant_reference_illustrative": data.get("grant_reference_illustrative", False),
            "start_date": _date(data["start"]),
            "end_date": _date(data["end"]),
            "currency": data["currency"],
            "total_budget": Decimal(data["total_budget"]),
            "max_eu_rate": Decimal(data["max_eu_rate"]),
            "indirect_cost_rate": Decimal(data.get("indirect_cost_rate", "0.07")),
        },
    )
    for level in data["rating_scale"]:
        _upsert(
            report,
            RatingLevel,
            {"programme": programme, "level": level["level"]},
            {"label": level["label"], "description": level.get("description", "")},
        )
    for key_date in data.get("key_dates", []):
        _upsert(
            report,
            KeyDate,
            {"programme": programme, "title": key_date["title"]},
            {
                "start_date": _date(key_date["start"]),
                "end_date": _date(key_date["end"]),
                "place": key_date.get("place", ""),
                "illustrative": key_date.get("illustrative", False),
            },
        )
    return programme


_PARTNER_ROLE_OF_KIND = {
    OrganisationKind.COORDINATOR: PartnerRole.COORDINATOR,
    OrganisationKind.EXPERT_PARTNER: PartnerRole.EXPERT_PARTNER,
    OrganisationKind.CITY: PartnerRole.CITY,
    OrganisationKind.OTHER: PartnerRole.OTHER,
}


def _load_organisations(
    report: LoadReport, programme: Programme, data: dict[str, Any]
) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    rows = [dict(o) for o in data["organisations"]] + [
        {
            "slug": c["slug"],
            "name": f"City of {c['name']}",  # data, not interface text
            "kind": OrganisationKind.CITY,
            "country": c["country"],
            "website": c.get("website", ""),
        }
        for c in data["cities"]
    ]
    for row in rows:
        organisation = _upsert(
            report,
            Organisation,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "kind": row["kind"],
                "country": row["country"],
                "website": row.get("website", ""),
            },
        )
        organisations[row["slug"]] = organisation
        _upsert(
            report,
            ProgrammePartner,
            {"programme": programme, "organisation": organisation},
            {"role": _PARTNER_ROLE_OF_KIND[OrganisationKind(row["kind"])]},
        )
    return organisations


def _load_cities(
    report: LoadReport,
    programme: Programme,
    rows: list[dict[str, Any]],
    organisations: dict[str, Organisation],
) -> dict[str, City]:
    cities = {}
    for row in rows:
        existing = City.objects.filter(slug=row["slug"]).first()
        if existing is not None:
            # Officers keep the profile up to date (city_update); the file never overwrites it.
            row = {**row, **{name: getattr(existing, name) for name in OFFICER_EDITED_FIELDS}}
            row["charter_signed_on"] = (
                existing.charter_signed_on.isoformat() if existing.charter_signed_on else None
            )
        cities[row["slug"]] = _upsert(
            report,
            City,
            {"slug": row["slug"]},
            {
                "organisation": organisations[row["slug"]],
                "name": row["name"],
                "country": row["country"],
                "currency": row["currency"],
                "population": row.get("population"),
                "timezone": row.get("timezone", "Europe/Brussels"),
                "latitude": _decimal(row.get("latitude")),
                "longitude": _decimal(row.get("longitude")),
                "charter_signatory": row["charter_signatory"],
                "charter_signed_on": _date(row.get("charter_signed_on")),
                "charter_illustrative": row.get("charter_illustrative", False),
            },
        )
    return cities


def _load_themes(
    report: LoadReport,
    programme: Programme,
    rows: list[dict[str, Any]],
    organisations: dict[str, Organisation],
) -> dict[str, Theme]:
    modules = {m.number: m for m in EuropeanModule.objects.all()}
    commitments = {c.code: c for c in CharterCommitment.objects.all()}
    themes = {}
    for row in rows:
        theme = _upsert(
            report,
            Theme,
            {"programme": programme, "code": row["code"]},
            {
                "title": row["title"],
                "short_title": row.get("short_title", ""),
                "facilitator": organisations[row["facilitator"]],
                "european_module": modules.get(row.get("european_module") or 0),
            },
        )
        wanted = {commitments[code].pk for code in row.get("commitments", [])}
        if set(theme.commitments.values_list("pk", flat=True)) != wanted:
            theme.commitments.set(wanted)
            report.count(report.updated, Theme)
        themes[row["code"]] = theme
    return themes


def _load_schemes(
    report: LoadReport,
    programme: Programme,
    rows: list[dict[str, Any]],
    themes: dict[str, Theme],
    cities: dict[str, City],
) -> dict[str, MentoringScheme]:
    schemes = {}
    for row in rows:
        scheme = _upsert(
            report, MentoringScheme, {"theme": themes[row["theme"]]}, {"programme": programme}
        )
        for member in row["members"]:
            _upsert(
                report,
                SchemeMember,
                {"programme": programme, "city": cities[member["city"]], "ended_on": None},
                {
                    "scheme": scheme,
                    "role": member["role"],
                    "illustrative": member.get("illustrative", False),
                },
            )
        schemes[row["theme"]] = scheme
    return schemes


def _load_pairs(
    report: LoadReport,
    rows: list[dict[str, Any]],
    schemes: dict[str, MentoringScheme],
    cities: dict[str, City],
) -> None:
    for row in rows:
        scheme = schemes[row["theme"]]
        members = SchemeMember.objects.current().filter(scheme=scheme)
        mentor = members.get(city=cities[row["mentor"]])
        implementing = members.get(city=cities[row["implementing"]])
        _upsert(
            report,
            MentoringPair,
            {"implementing": implementing, "ended_on": None},
            {"scheme": scheme, "mentor": mentor, "illustrative": row.get("illustrative", False)},
        )


def _load_people(
    report: LoadReport,
    programme: Programme,
    rows: list[dict[str, Any]],
    organisations: dict[str, Organisation],
    cities: dict[str, City],
    schemes: dict[str, MentoringScheme],
    with_demo_accounts: bool,
) -> None:
    user_model = get_user_model()
    for row in rows:
        person = _upsert(
            report,
            Person,
            {"email": row["email"]},
            {
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "organisation": organisations[row["organisation"]],
                "job_title": row.get("job_title", ""),
                "languages": ",".join(row.get("languages", [])),
            },
        )
        roles = []
        for membership in row.get("memberships", []):
            role = Role(membership["role"])
            lookup = {
                "person": person,
                "role": role,
                "programme": programme,
                "scheme": schemes[membership["theme"]] if "theme" in membership else None,
                "city": cities[membership["city"]] if "city" in membership else None,
            }
            _upsert(
                report, Membership, lookup, {"approval_level": membership.get("approval_level", "")}
            )
            roles.append(
                str(role.label)
                + (f" ({membership['approval_level']})" if membership.get("approval_level") else "")
                + (f", {cities[membership['city']].name}" if "city" in membership else "")
                + (f", {_('theme')} {membership['theme']}" if "theme" in membership else "")
            )
        if row.get("platform_admin"):
            roles.append(str(_("Platform admin")))
        if not with_demo_accounts:
            continue
        user = user_model.objects.filter(username=row["email"]).first()
        if user is None:
            user = user_model(
                username=row["email"],
                email=row["email"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                is_staff=bool(row.get("platform_admin")),
                is_superuser=bool(row.get("platform_admin")),
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            report.count(report.created, user_model)
        if person.user_id != user.pk:
            person.user = user
            person.save()
            report.count(report.updated, Person)
        report.accounts.append((row["email"], person.full_name, "; ".join(roles)))
