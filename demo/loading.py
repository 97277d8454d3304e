"""The demo year: CITIES-GROW brought forward to about month 18 (mid-2018) on top of what the
other demo loaders created (programme, assessments, calendar, practices, budget).

Every step goes through the owning app's services and workflows, acting as the demo person who
would take it (the coordinator accepts the matching, the facilitator records attendance and
writes the report, the officers draft and send their plan, the approvers decide, the finance
officer checks and pays), so the histories, audit trails and workflow logs are the real ones.
The content is in demo/data/year.json.

Idempotent: each step looks for what it would create (a run by its label, a report, a plan,
a toolkit by its title, a timesheet month, a claim by its purpose, a statement by its period)
and does nothing when it is there; the whole load is one transaction.
"""

from __future__ import annotations

import calendar
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from action_plans.services.actions import (
    ActionInput,
    IndicatorInput,
    linkable_key_factors,
    plan_action_save,
)
from action_plans.services.comments import plan_comment_add, plan_comment_resolve
from action_plans.services.monitoring import (
    ProgressInput,
    action_plan_publication_set,
    progress_update_add,
)
from action_plans.services.plans import (
    PlanSections,
    RiskInput,
    action_plan_save,
    action_plan_start,
)
from action_plans.workflow import Endorsement, Step, plan_step
from assessments.choices import AssessmentStatus
from assessments.models import SelfAssessment
from assessments.services.self_assessments import (
    RatingInput,
    self_assessment_review,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
)
from conference.demo import demo_conference_load
from core.audit import attribute_to
from core.errors import DomainError
from core.roles import ApprovalLevel, Role
from finance.choices import ClaimStatus, LineDecision, TimesheetStatus
from finance.models import ExpenseClaim, StaffRate, Statement, Timesheet
from finance.services.claims import (
    LineInput,
    accepted_total,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_reimburse,
    claim_submit,
)
from finance.services.rates import staff_rate_save
from finance.services.statements import statement_create
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_save,
    timesheet_sign,
)
from knowledge.models import GoodPractice, Toolkit
from knowledge.services.toolkits import (
    toolkit_create,
    toolkit_feedback_give,
    toolkit_practice_add,
    toolkit_recommendation_add,
    toolkit_update,
)
from knowledge.workflow import ToolkitStep, toolkit_step
from matching.models import MatchRun
from matching.services import RunSettings, match_run_accept, match_run_create, match_run_execute
from notifications.services import emails_withheld
from programmes.models import City, Membership, Person, Programme, Theme
from programmes.services.loading import DATA_DIR
from videos.models import Video
from videos.services import AppearanceInput, VideoInput, appearance_add, video_publish, video_save
from visits.choices import EventStatus, Invitation
from visits.models import Event, Finding, VisitReport
from visits.services.attendance import attendance_record, participant_respond
from visits.services.events import participant_invite
from visits.services.reports import FindingInput, visit_report_save
from visits.workflow import EventTransition, event_transition

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "year.json"
PROGRAMME_FILE = DATA_DIR / "cities-grow.json"
SUPPORTED_FORMAT_VERSIONS = {1}

# The plan states in the order the workflow reaches them; each target is reached by the steps
# before it in PLAN_PATH.
PLAN_PATH: list[tuple[str, Step]] = [
    (PlanStatus.IN_REVIEW, Step.SEND_FOR_REVIEW),
    (PlanStatus.SUBMITTED, Step.SUBMIT),
    (PlanStatus.APPROVED, Step.APPROVE),
    (PlanStatus.ADOPTED, Step.ENDORSE),
]
OPEN_EVENT = (EventStatus.PLANNED, EventStatus.CONFIRMED)


@dataclass
class YearReport:
    created: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created)


def demo_document(title: str) -> bytes:
    """A one-page PDF that says it is an illustrative demo document (receipts, decisions)."""
    text = f"{title} - illustrative demo document, CITIES-GROW demo data".replace("(", "[")
    text = text.replace(")", "]").encode("latin-1", "replace").decode("latin-1")
    stream = f"BT /F1 12 Tf 56 780 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_document(title), content_type="application/pdf")


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


class _YearLoader:
    def __init__(self, programme: Programme, data: dict[str, Any], emails: dict[str, str]):
        self.programme = programme
        self.data = data
        self.emails = emails
        self.report = YearReport()
        self._users: dict[str, Any] = {}

    # ------------------------------------------------------------ lookups

    def user(self, key: str) -> Any:
        """The demo person's log-in (fresh after the matching: their scopes may change)."""
        if key not in self._users:
            email = self.emails.get(key)
            found = get_user_model().objects.filter(username=email).first() if email else None
            if found is None:
                raise DomainError(
                    _(
                        "The demo person “%(key)s” has no log-in: load the programme with its demo "
                        "accounts first."
                    )
                    % {"key": key}
                )
            self._users[key] = found
        return self._users[key]

    def person(self, key: str) -> Person:
        return Person.objects.get(email=self.emails[key])

    def event(self, name: str) -> Event:
        """ "launch_meeting", "conference" or "<format>:<implementing city of the pair>"."""
        format_, _sep, city = name.partition(":")
        events = Event.objects.filter(programme=self.programme, format=format_)
        if city:
            events = events.filter(pair__implementing__city__slug=city)
        found = events.order_by("starts_at", "pk").first()
        if found is None:
            raise DomainError(
                _("The demo calendar has no event “%(name)s”: run load_demo_events first.")
                % {"name": name}
            )
        return found

    def finding(self, reference: str) -> Finding:
        """ "<city>:<format>:<order>": a finding of the report of that pair's visit."""
        city, format_, order = reference.split(":")
        return Finding.objects.get(report__event=self.event(f"{format_}:{city}"), order=int(order))

    def supervisor(self, person: Person) -> Any:
        """The administrative approver of the person's city (who approves their months)."""
        cities = Membership.objects.filter(
            person=person, programme=self.programme, city__isnull=False
        ).values("city_id")
        approver = (
            Membership.objects.filter(
                programme=self.programme,
                role=Role.CITY_APPROVER,
                approval_level=ApprovalLevel.ADMINISTRATIVE,
                city_id__in=cities,
                person__user__isnull=False,
            )
            .select_related("person__user")
            .order_by("pk")
            .first()
        )
        if approver is None:
            raise DomainError(
                _("%(person)s has no supervisor to approve their hours.") % {"person": person}
            )
        return approver.person.user

    def count(self, kind: str, n: int = 1) -> None:
        self.report.created[kind] += n

    # ------------------------------------------------------------ the steps

    def run(self) -> YearReport:
        self.settle_assessments()
        self.matching()
        self.events()
        self.assessments()
        self.plans()
        self.toolkits()
        self.videos()
        self.finance()
        demo_conference_load(programme=self.programme, user=self.user, emails=self.emails)
        return self.report

    def settle_assessments(self) -> None:
        """Baseline self-assessments still open at the launch meeting: submitted by the city
        and accepted by the facilitator, so that the matching counts them."""
        for spec in self.data["settle_before_matching"]:
            assessment = SelfAssessment.objects.get(
                programme=self.programme,
                city__slug=spec["city"],
                theme__code=spec["theme"],
                phase=spec["phase"],
            )
            if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
                assessment = self_assessment_submit(
                    actor=self.user(spec["submit_by"]),
                    assessment=assessment,
                    expected_revision=assessment.revision,
                )
                self.count("self-assessments submitted")
            if spec.get("accept_by") and assessment.status == AssessmentStatus.SUBMITTED:
                self_assessment_review(
                    actor=self.user(spec["accept_by"]),
                    assessment=assessment,
                    accept=True,
                    comment=spec.get("comment", ""),
                    expected_revision=assessment.revision,
                )
                self.count("self-assessments accepted")

    def matching(self) -> None:
        spec = self.data["matching"]
        actor = self.user(spec["actor"])
        runs = {run.label: run for run in MatchRun.objects.filter(programme=self.programme)}
        locks, forbidden, wanted = self._agreed_pairing()
        for run_spec in spec["runs"]:
            run = runs.get(run_spec["label"])
            if run is None:
                settings = RunSettings(
                    pairs=dict(spec["pairs"]),
                    time_limit=int(spec["time_limit"]),
                    label=run_spec["label"],
                )
                if run_spec["locked"]:
                    settings.locks, settings.forbidden = locks, forbidden
                run = match_run_execute(
                    match_run_create(
                        actor=actor, programme=self.programme, run_settings=settings
                    ).pk
                )
                self.count("matching runs")
            if not run_spec["accept"] or run.accepted_at is not None:
                continue
            if MatchRun.objects.filter(
                programme=self.programme, accepted_at__isnull=False
            ).exists():
                continue
            found = {
                (p["theme"], p["mentor"], p["implementer"])
                for p in (run.result or {}).get("pairs", [])
            }
            if found != wanted:
                self.report.warnings.append(
                    f"Matching run {run.number} did not find the agreed pairs: left unaccepted."
                )
                continue
            try:
                with transaction.atomic():
                    match_run_accept(actor=actor, run=run)
            except ProtectedError:
                # Accepting re-creates the pairs, which the calendar's events already name.
                self.report.warnings.append(
                    f"Matching run {run.number} could not be accepted: the programme's pairs "
                    "are in use by events (acceptance replaces them)."
                )
                continue
            self.count("accepted matching runs")
            self._users.clear()  # scopes follow the pairs

    def _agreed_pairing(
        self,
    ) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]], set[tuple[str, str, str]]]:
        """The pairs of the programme file (agreed at the launch meeting): every city locked in
        its role and theme, and the other pairings of each theme forbidden."""
        rows = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))["pairs"]
        locks: dict[str, tuple[str, str]] = {}
        wanted = set()
        for row in rows:
            locks[row["mentor"]] = ("mentor", row["theme"])
            locks[row["implementing"]] = ("implementer", row["theme"])
            wanted.add((row["theme"], row["mentor"], row["implementing"]))
        forbidden = sorted(
            (mentor[1], implementer[2])
            for mentor in wanted
            for implementer in wanted
            if mentor[0] == implementer[0] and mentor != implementer
        )
        return locks, forbidden, wanted

    def events(self) -> None:
        spec = self.data["events"]
        coordinator = self.user(spec["coordinator"])
        launch = self.event("launch_meeting")
        if launch.status in OPEN_EVENT:
            invited = set(launch.participants.values_list("person__email", flat=True))
            for key in spec["launch_participants"]:
                if self.emails[key] not in invited:
                    participant_invite(actor=coordinator, event=launch, person=self.person(key))
                    self.count("participants invited")
            self._hold(launch, coordinator, absent={self.emails[k] for k in spec["launch_absent"]})
        for name in spec["confirm_only"]:
            event = self.event(name)
            if event.status == EventStatus.PLANNED:
                event_transition(actor=coordinator, event=event, transition=EventTransition.CONFIRM)
                self.count("events confirmed")
        for visit in spec["visits"]:
            event = self.event(f"{visit['format']}:{visit['pair_of']}")
            author = self.user(visit["author"])
            if event.status in OPEN_EVENT:
                self._hold(event, coordinator, recorder=author)
            if not visit.get("report", True) or VisitReport.objects.filter(event=event).exists():
                continue
            visit_report_save(
                actor=author,
                event=event,
                expected_revision=None,
                summary=visit["summary"],
                findings=[
                    FindingInput(
                        kind=f["kind"], text=f["text"], city=f["city"], key_factor=f["key_factor"]
                    )
                    for f in visit["findings"]
                ],
                submit=visit.get("submit", True),
            )
            self.count("visit reports")

    def _hold(
        self,
        event: Event,
        coordinator: Any,
        *,
        recorder: Any = None,
        absent: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Confirm the dates, let the invited answer, record who came (the event is held)."""
        if event.status == EventStatus.PLANNED:
            event_transition(actor=coordinator, event=event, transition=EventTransition.CONFIRM)
            self.count("events confirmed")
        participants = list(event.participants.select_related("person__user"))
        for participant in participants:
            if participant.invitation == Invitation.INVITED and participant.person.user:
                participant_respond(
                    actor=participant.person.user,
                    participant=participant,
                    accept=participant.person.email not in absent,
                )
        present = {p.pk for p in participants if p.person.email not in absent}
        attendance_record(actor=recorder or coordinator, event=event, present=present)
        self.count("events held")

    def assessments(self) -> None:
        for spec in self.data["assessments"]:
            city = City.objects.get(slug=spec["city"])
            theme = Theme.objects.get(programme=self.programme, code=spec["theme"])
            if SelfAssessment.objects.filter(
                programme=self.programme, city=city, theme=theme, phase=spec["phase"]
            ).exists():
                continue
            actor = self.user(spec["author"])
            assessment = self_assessment_start(
                actor=actor, programme=self.programme, city=city, theme=theme, phase=spec["phase"]
            )
            assessment = self_assessment_save(
                actor=actor,
                assessment=assessment,
                expected_revision=assessment.revision,
                ratings={
                    code: RatingInput(r["level"], r["priority"], r["evidence"])
                    for code, r in spec["ratings"].items()
                },
            )
            # Demo content, not a city's record: flagged as the assessment loader flags its own
            # (no service sets the flag; it is not part of the workflow).
            assessment.illustrative = True
            attribute_to(assessment, actor, "illustrative demo data")
            assessment.save(update_fields=["illustrative"])
            if spec["submit"]:
                self_assessment_submit(
                    actor=actor, assessment=assessment, expected_revision=assessment.revision
                )
            self.count("self-assessments")

    def plans(self) -> None:
        for spec in self.data["plans"]:
            city = City.objects.get(slug=spec["city"])
            if ActionPlan.objects.filter(programme=self.programme, city=city).exists():
                continue
            self._plan(spec, city)
            self.count("action plans")

    def _plan(self, spec: dict[str, Any], city: City) -> None:
        author = self.user(spec["author"])
        plan = action_plan_start(actor=author, programme=self.programme, city=city)
        plan = action_plan_save(
            actor=author,
            plan=plan,
            expected_revision=plan.revision,
            sections=PlanSections(
                title=spec["title"],
                context=spec["context"],
                vision=spec["vision"],
                objectives=spec["objectives"],
            ),
            risks=[RiskInput(**risk) for risk in spec.get("risks", [])],
        )
        factors = {k.code: k.pk for k in linkable_key_factors(plan)}
        for action in spec["actions"]:
            plan_action_save(
                actor=author,
                plan=plan,
                action=None,
                expected_revision=None,
                data=ActionInput(
                    title=action["title"],
                    start=_day(action["start"]),
                    end=_day(action["end"]),
                    description=action.get("description", ""),
                    lead_department=action.get("lead_department", ""),
                    partners=action.get("partners", ""),
                    budget_eur=Decimal(action.get("budget_eur", "0")),
                    staff_days=Decimal(action.get("staff_days", "0")),
                    funding_source=action.get("funding_source", ""),
                    indicators=[
                        IndicatorInput(
                            name=i["name"],
                            unit=i.get("unit", ""),
                            baseline=Decimal(i["baseline"]) if "baseline" in i else None,
                            target=Decimal(i["target"]),
                        )
                        for i in action["indicators"]
                    ],
                    key_factor_ids=[factors[code] for code in action.get("key_factors", [])],
                    finding_ids=[self.finding(ref).pk for ref in action.get("findings", [])],
                ),
            )
        target = spec["target"]
        if target == PlanStatus.DRAFT:
            return
        plan_step(actor=author, plan=plan, step=Step.SEND_FOR_REVIEW)
        for comment in spec.get("comments", []):
            thread = plan_comment_add(
                actor=self.user(comment["author"]),
                plan=plan,
                body=comment["body"],
                section=comment["section"],
            )
            if comment.get("resolve_by"):
                plan_comment_resolve(actor=self.user(comment["resolve_by"]), comment=thread)
        if target == "changes_requested":
            plan_step(
                actor=self.user(spec["reviewer"]),
                plan=plan,
                step=Step.REQUEST_CHANGES,
                comment=spec["changes_requested"],
            )
            return
        deciders = {
            Step.SUBMIT: spec.get("reviewer"),
            Step.APPROVE: spec.get("approver"),
            Step.ENDORSE: spec.get("endorser"),
        }
        for status, step in PLAN_PATH[1:]:
            if plan.status == target:
                break
            endorsement = None
            if step is Step.ENDORSE:
                decision = spec["endorsement"]
                endorsement = Endorsement(
                    body=decision["body"],
                    decided_on=_day(decision["decided_on"]),
                    reference=decision["reference"],
                    document=_pdf(
                        f"decision-{city.slug}.pdf", f"{decision['body']}: {decision['reference']}"
                    ),
                )
            plan_step(
                actor=self.user(deciders[step] or ""),
                plan=plan,
                step=step,
                endorsement=endorsement,
            )
            assert plan.status == status  # noqa: S101 - the workflow table says so
        if plan.status == PlanStatus.ADOPTED:
            monitor = self.user(spec["author"])
            if spec.get("publish"):
                action_plan_publication_set(
                    actor=monitor,
                    plan=plan,
                    published=True,
                    public_action_ids=set(plan.actions.values_list("pk", flat=True)),
                )
            actions = {a.title: a for a in plan.actions.all()}
            for action in spec["actions"]:
                for update in action.get("progress", []):
                    progress_update_add(
                        actor=monitor,
                        action=actions[action["title"]],
                        data=ProgressInput(
                            on=_day(update["on"]),
                            state=update["state"],
                            percent=update["percent"],
                            note=update.get("note", ""),
                        ),
                    )

    def toolkits(self) -> None:
        for spec in self.data["toolkits"]:
            if Toolkit.objects.filter(programme=self.programme, title=spec["title"]).exists():
                continue
            actor = self.user(spec["author"])
            toolkit = toolkit_create(
                actor=actor, programme=self.programme, theme_code=spec["theme"], title=spec["title"]
            )
            toolkit = toolkit_update(
                actor=actor,
                toolkit=toolkit,
                title=spec["title"],
                introduction=spec["introduction"],
                revision=toolkit.revision,
            )
            for item in spec["recommendations"]:
                toolkit_recommendation_add(
                    actor=actor,
                    toolkit=toolkit,
                    text=item["text"],
                    key_factor_code=item["key_factor"],
                )
            for item in spec["practices"]:
                toolkit_practice_add(
                    actor=actor,
                    toolkit=toolkit,
                    reference=item["reference"],
                    key_factor_code=item["key_factor"],
                )
            toolkit = toolkit_step(actor=actor, toolkit=toolkit, step=ToolkitStep.PUBLISH)
            for item in spec.get("feedback", []):
                toolkit_feedback_give(
                    actor=self.user(item["author"]),
                    toolkit=toolkit,
                    city=City.objects.get(slug=item["city"]),
                    text=item["text"],
                    key_factor_code=item["key_factor"],
                )
            if spec["final"]:
                toolkit_step(actor=actor, toolkit=toolkit, step=ToolkitStep.FINALISE)
            self.count("toolkits")

    def videos(self) -> None:
        """A published video (an external link) with the consents of the people in it."""
        for spec in self.data.get("videos", []):
            if Video.objects.filter(programme=self.programme, title=spec["title"]).exists():
                continue
            actor = self.user(spec["author"])
            practices = GoodPractice.objects.filter(reference__in=spec["practices"])
            video = video_save(
                actor=actor,
                programme=self.programme,
                data=VideoInput(
                    title=spec["title"],
                    summary=spec["summary"],
                    language=spec["language"],
                    city_id=City.objects.get(slug=spec["city"]).pk,
                    theme_id=Theme.objects.get(programme=self.programme, code=spec["theme"]).pk,
                    practice_ids=tuple(practices.values_list("pk", flat=True)),
                    duration_seconds=spec["duration_seconds"],
                    external_url=spec["external_url"],
                    transcript=spec["transcript"],
                ),
            )
            for person in spec["people"]:
                scopes = set(person["scopes"])
                appearance_add(
                    actor=actor,
                    video=video,
                    data=AppearanceInput(
                        name=person["name"],
                        show_name_publicly=person["show_name_publicly"],
                        scope_recording="recording" in scopes,
                        scope_portal="portal" in scopes,
                        scope_social="social" in scopes,
                        scope_toolkits="toolkits" in scopes,
                        signed_on=_day(person["signed_on"]),
                        expires_on=_day(person["expires_on"]),
                        consent_form=_pdf("consent.pdf", f"Consent: {person['name']}"),
                    ),
                )
            video_publish(actor=actor, video=video)
            self.count("videos")

    def finance(self) -> None:
        spec = self.data["finance"]
        officer = self.user(spec["officer"])
        # The second pair of eyes: approves what the first checked, signs off what it prepared.
        second = self.user(spec["second_officer"])
        for rate in spec["staff_rates"]:
            person = self.person(rate["person"])
            for year, cost in rate["annual_cost"].items():
                if StaffRate.objects.filter(
                    person=person, programme=self.programme, year=int(year)
                ).exists():
                    continue
                staff_rate_save(
                    actor=officer,
                    programme=self.programme,
                    person=person,
                    year=int(year),
                    currency=rate["currency"],
                    annual_cost=Decimal(cost),
                )
                self.count("staff-cost rates")
        for sheet_spec in spec["timesheets"]:
            self._timesheet(sheet_spec)
        for claim_spec in spec["claims"]:
            self._claim(claim_spec, officer, second)
        statement = spec["statement"]
        if not Statement.objects.filter(
            programme=self.programme,
            kind=statement["kind"],
            period_end=_day(statement["period_end"]),
        ).exists():
            statement_create(
                actor=officer,
                programme=self.programme,
                kind=statement["kind"],
                period_end=_day(statement["period_end"]),
            )
            self.count("statements")

    def _timesheet(self, spec: dict[str, Any]) -> None:
        person = self.person(spec["person"])
        month = _month(spec["month"])
        existing = Timesheet.objects.filter(
            person=person, programme=self.programme, month=month
        ).first()
        if existing is not None and existing.entries.exists():
            return
        actor = self.user(spec["person"])
        sheet = timesheet_open(actor=actor, programme=self.programme, month=month)
        entries = [
            EntryInput(
                day=_day(e["day"]),
                activity=e["activity"],
                hours=Decimal(e["hours"]),
                event_id=self.event(e["event"]).pk if e.get("event") else None,
            )
            for e in spec["entries"]
        ]
        last = calendar.monthrange(month.year, month.month)[1]
        sheet = timesheet_save(
            actor=actor,
            timesheet=sheet,
            entries=entries,
            days=[month.replace(day=d) for d in range(1, last + 1)],
            revision=sheet.revision,
        )
        if spec["status"] in (TimesheetStatus.SIGNED, TimesheetStatus.APPROVED):
            sheet = timesheet_sign(actor=actor, timesheet=sheet)
        if spec["status"] == TimesheetStatus.APPROVED:
            timesheet_approve(actor=self.supervisor(person), timesheet=sheet)
        self.count("timesheets")

    def _claim(self, spec: dict[str, Any], officer: Any, second: Any) -> None:
        traveller = self.person(spec["traveller"])
        if ExpenseClaim.objects.filter(
            programme=self.programme, traveller=traveller, purpose=spec["purpose"]
        ).exists():
            return
        actor = self.user(spec["traveller"])
        event = self.event(spec["event"])
        claim = claim_create(
            actor=actor, programme=self.programme, purpose=spec["purpose"], event=event
        )
        rejections: dict[int, str] = {}
        for number, line in enumerate(spec["lines"], start=1):
            added = claim_line_add(
                actor=actor,
                claim=claim,
                data=LineInput(
                    day=_cost_day(event, line),
                    kind=line["kind"],
                    supplier=line["supplier"],
                    amount=Decimal(line["amount"]),
                    currency=line["currency"],
                    description=line.get("description", ""),
                ),
                receipts=[_pdf(f"receipt-{number}.pdf", f"Receipt: {line['supplier']}")],
            )
            if line.get("reject"):
                rejections[added.pk] = line["reject"]
        claim = claim_submit(actor=actor, claim=claim)
        self.count("expense claims")
        if spec["status"] == ClaimStatus.SUBMITTED:
            return
        claim = claim_check(
            actor=officer,
            claim=claim,
            decisions={
                line.pk: (
                    (LineDecision.REJECTED, rejections[line.pk])
                    if line.pk in rejections
                    else (LineDecision.ACCEPTED, "")
                )
                for line in claim.lines.all()
            },
            revision=claim.revision,
        )
        if spec["status"] == ClaimStatus.CHECKED:
            return
        claim = claim_approve(actor=second, claim=claim)
        if spec["status"] == ClaimStatus.APPROVED:
            return
        claim_reimburse(
            actor=officer,
            claim=claim,
            paid_on=_day(spec["paid_on"]),
            amount_eur=accepted_total(claim),
            reference=spec["reference"],
        )


def _cost_day(event: Event, line: dict[str, Any]) -> date:
    """A cost's date in the event's own days (the planner sets them): `on` its first ("start")
    or last ("end") local day, moved by `offset` days (-1: the flight the day before)."""
    zone = ZoneInfo(event.timezone)
    moment = event.starts_at if line["on"] == "start" else event.ends_at
    return moment.astimezone(zone).date() + timedelta(days=int(line["offset"]))


def demo_year_load(path: Path | str = DEFAULT_FILE) -> YearReport:
    """Bring the demo programme forward to the state the file describes; a second run changes
    nothing. Refused (DomainError) when the other demo loaders have not run first."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DomainError(_("Cannot read the demo year file: %s") % error) from error
    if data.get("format") != "demo-year" or data.get("format_version") not in (
        SUPPORTED_FORMAT_VERSIONS
    ):
        raise DomainError(_("This is not a demo year file of a supported version."))
    programme = Programme.objects.filter(slug=data["programme"]).first()
    if programme is None:
        raise DomainError(
            _("Load the programme with its demo accounts first (load_programme --demo-accounts).")
        )
    people = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))["people"]
    emails = {p["key"]: p["email"] for p in people}
    # The year's notifications stay in the inboxes; their e-mails belong to 2018.
    with transaction.atomic(), emails_withheld():
        return _YearLoader(programme, data, emails).run()
