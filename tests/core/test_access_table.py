"""Every URL pattern x every role, with the outcome each must get. A new URL pattern that is not
in URL_TABLE makes test_every_url_pattern_is_in_the_table fail."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from action_plans.models import ActionPlan, PlanAction
from assessments.models import AdditionalFactor, Attachment, KeyFactor, Rating
from matching.services import RunSettings, match_run_create, match_run_execute
from notifications.services import notify
from programmes.models import City, KeyDate, Membership, MentoringPair, Person, Programme
from tests.conftest import email_of
from tests.html_checks import accessibility_problems
from visits.services import EventInput, calendar_feed_open, event_create

ROLES = {
    "anonymous": None,
    "outsider": "outsider",  # an account with no membership
    "coordinator": "coordinator-1",
    "facilitator_b": "facilitator-b",  # facilitates scheme B (Munich mentors Athens)
    "officer_athens": "athens-officer-1",
    "officer_munich": "munich-officer-1",  # Athens' mentor city
    "officer_rotterdam": "rotterdam-officer-1",  # another scheme
    "approver_athens": "athens-approver-political",
    "finance": "finance-1",
    "auditor": "auditor-1",
    "platform_admin": "platform-admin",
}

ANON_LOGIN = 302  # redirected to the log-in page


def _all(code, **overrides):
    outcome = dict.fromkeys(ROLES, code)
    outcome.update(overrides)
    return outcome


def _members(code, **overrides):
    """Anonymous goes to log-in, an outsider gets 404, everyone else `code`, unless overridden."""
    return _all(code, anonymous=ANON_LOGIN, outsider=404, **overrides)


def _feedback_pk():
    from accessibility.models import Feedback

    return Feedback.objects.create(page="/", problem="The map has no text.", language="en").pk


def _athens_pk():
    return City.objects.get(slug="athens").pk


def _key_factor_pk():
    return KeyFactor.objects.get(benchmark__theme__code="B", code="b1").pk


def _additional_factor_pk():
    return AdditionalFactor.objects.filter(benchmark__theme__code="B").first().pk


def _athens_attachment_pk():
    """An evidence file on Athens' accepted baseline of theme B (the demo data has none)."""
    rating = Rating.objects.filter(
        assessment__city__slug="athens", assessment__theme__code="B", key_factor__code="b1"
    ).get()
    attachment = Attachment(rating=rating, name="strategy.pdf", size=4)
    attachment.file.save("strategy.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    return attachment.pk


def _run_pk():
    """A finished matching run of CITIES-GROW."""
    coordinator = Person.objects.get(email=email_of("coordinator-1")).user
    run = match_run_create(
        actor=coordinator,
        programme=Programme.objects.get(slug="cities-grow"),
        run_settings=RunSettings(pairs={"A": 2, "B": 2, "C": 2, "D": 2}),
    )
    return match_run_execute(run.pk).pk


def _event_pk():
    """A webinar of CITIES-GROW hosted by Athens."""
    coordinator = Person.objects.get(email=email_of("coordinator-1")).user
    athens = City.objects.get(slug="athens")
    zone = ZoneInfo(athens.timezone)
    return event_create(
        actor=coordinator,
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format="webinar",
            title="Webinar",
            starts_at=datetime(2017, 5, 2, 10, tzinfo=zone),
            ends_at=datetime(2017, 5, 2, 11, tzinfo=zone),
            host_city=athens,
        ),
    ).pk


def _feed_token():
    return calendar_feed_open(
        actor=Person.objects.get(email=email_of("athens-officer-1")).user
    ).token


def _athens_officer_person_pk():
    return Person.objects.get(email=email_of("athens-officer-1")).pk


def _athens_officer_membership_pk():
    return Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    ).pk


def _athens_proposal_pk():
    """A proposal by Athens' officer for Athens' team, waiting for a coordinator."""
    from core.roles import Role
    from programmes.models import Invitation
    from programmes.services.team import team_proposal_create

    found = Invitation.objects.filter(email="proposed@athens.test.invalid").first()
    if found is not None:
        return found.pk
    athens = City.objects.get(slug="athens")
    return team_proposal_create(
        actor=Person.objects.get(email=email_of("athens-officer-1")).user,
        programme=Programme.objects.get(slug="cities-grow"),
        city=athens,
        email="proposed@athens.test.invalid",
        first_name="Sofia",
        last_name="Andreou",
        role=Role.CITY_OFFICER,
        language="en",
    ).pk


def _athens_pair_pk():
    return MentoringPair.objects.get(implementing__city__slug="athens").pk


def _key_date_pk():
    return KeyDate.objects.get(programme__slug="cities-grow", title="Launch meeting").pk


def _athens_plan_city():
    """Athens' draft plan with one action (implementing city of pair B)."""
    from tests.action_plans.builders import athens_plan

    if not ActionPlan.objects.filter(city__slug="athens").exists():
        athens_plan(lambda key: Person.objects.get(email=email_of(key)).user)
    return "athens"


def _athens_action_pk():
    _athens_plan_city()
    return PlanAction.objects.get(plan__city__slug="athens").pk


def _athens_decision_pk():
    """Athens' plan, adopted: the political endorsement carries its document."""
    from tests.action_plans.builders import adopt

    _athens_plan_city()
    plan = adopt(
        lambda key: Person.objects.get(email=email_of(key)).user,
        ActionPlan.objects.get(city__slug="athens"),
    )
    return plan.transitions.get(transition="endorse").pk


def _athens_evidence_pk():
    """A progress report with its evidence, on Athens' adopted plan."""
    from action_plans.services.monitoring import ProgressInput, progress_update_add

    transition_pk = _athens_decision_pk()
    plan = ActionPlan.objects.get(transitions__pk=transition_pk)
    update = progress_update_add(
        actor=Person.objects.get(email=email_of("athens-officer-1")).user,
        action=plan.actions.first(),
        data=ProgressInput(
            on=date(2019, 3, 1),
            state="on_track",
            percent=30,
            evidence=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        ),
    )
    return update.pk


def _athens_notification_pk():
    """A notification of an Athens officer (only they may open it)."""
    return notify(
        kind="assessments.submitted",
        recipients=[Person.objects.get(email=email_of("athens-officer-1"))],
        url="/programmes/cities-grow/",
        programme=Programme.objects.get(slug="cities-grow"),
        params={"city": "Athens", "theme": "Employment", "phase_label": "baseline"},
    )[0].pk


_POST_ONLY = _all(405, anonymous=ANON_LOGIN)
# A salary and other personal working-time records: the person (Athens' officer), the finance
# officers, the auditors and the platform admin.
_SALARY_READERS = _members(404, officer_athens=200, finance=200, auditor=200, platform_admin=200)
_COORDINATORS = _members(404, coordinator=200, platform_admin=200)
_ATHENS_PLAN = {"slug": "cities-grow", "city": _athens_plan_city}
_PLAN_READERS = _members(200, officer_rotterdam=404)
_PLAN_WRITERS = _members(403, officer_athens=200, platform_admin=200, officer_rotterdam=404)
_MATCHING = _members(404, coordinator=200, auditor=200, platform_admin=200)
_B_EDITORS = _members(404, coordinator=302, facilitator_b=302, platform_admin=302)
_ATHENS_B = {"slug": "cities-grow", "city": "athens", "code": "B", "phase": "baseline"}
_ATHENS_ASSESSMENT = _members(200, officer_rotterdam=404, finance=404)


def _draft_practice():
    """A draft practice of Athens, written by one of its officers."""
    from tests.knowledge.builders import draft_practice

    return draft_practice(Person.objects.get(email=email_of("athens-officer-1")).user).reference


def _draft_toolkit():
    """A draft toolkit of theme B, started by its facilitator."""
    from tests.knowledge.builders import toolkit_b

    return toolkit_b(Person.objects.get(email=email_of("facilitator-b")).user).slug


def _athens_claim_pk():
    """A draft travel claim of Athens' officer, with one cost and its receipt."""
    from finance.models import ExpenseClaim
    from finance.services.claims import LineInput, claim_create, claim_line_add
    from tests.finance.test_claims import pdf

    existing = ExpenseClaim.objects.filter(traveller__email=email_of("athens-officer-1")).first()
    if existing is not None:
        return existing.pk
    traveller = Person.objects.get(email=email_of("athens-officer-1")).user
    claim = claim_create(
        actor=traveller, programme=Programme.objects.get(slug="cities-grow"), purpose="Visit"
    )
    claim_line_add(
        actor=traveller,
        claim=claim,
        data=LineInput(date(2017, 3, 6), "travel", "Rail", Decimal("80"), "EUR"),
        receipts=[pdf()],
    )
    return claim.pk


def _athens_receipt_pk():
    from finance.models import Receipt

    return Receipt.objects.get(line__claim_id=_ATHENS_CLAIM["pk"]()).pk


_ATHENS_CLAIM = {"slug": "cities-grow", "pk": _athens_claim_pk}


def _athens_sheet_pk():
    """Athens' officer's signed timesheet of March 2017."""
    from finance.models import Timesheet
    from tests.finance.test_time_screens import _signed_march

    existing = Timesheet.objects.filter(person__email=email_of("athens-officer-1")).first()
    if existing is not None:
        return existing.pk

    class Users:  # _signed_march takes the user_of fixture's shape
        def __call__(self, key):
            return Person.objects.get(email=email_of(key)).user

    return _signed_march(Users()).pk


def _athens_officer_pk():
    return Person.objects.get(email=email_of("athens-officer-1")).pk


def _athens_other_grant_pk():
    """Athens' officer's declaration of hours on another grant, with its evidence."""
    from finance.models import OtherGrantHours
    from finance.services.other_grants import OtherGrantInput, other_grant_declare
    from tests import upload_samples

    existing = OtherGrantHours.objects.filter(person__email=email_of("athens-officer-1")).first()
    if existing is not None:
        return existing.pk
    person = Person.objects.get(email=email_of("athens-officer-1"))
    return other_grant_declare(
        actor=person.user,
        programme=Programme.objects.get(slug="cities-grow"),
        person=person,
        data=OtherGrantInput(year=2017, grant="ESF", reference="ESF-1", hours=Decimal("100")),
        evidence=SimpleUploadedFile("esf.pdf", upload_samples.pdf(), "application/pdf"),
    ).pk


def _statement_pk():
    from finance.grant_rules import programme_rules
    from finance.models import Statement

    programme = Programme.objects.get(slug="cities-grow")
    statement, _created = Statement.objects.get_or_create(
        programme=programme,
        kind="interim",
        period_end=date(2017, 6, 30),
        defaults=programme_rules(programme).as_statement_fields(),
    )
    return statement.pk


# The books (budget, rates, statements): the programme's coordinators, finance officers and
# auditors.
_BOOK_READERS = _members(404, coordinator=200, finance=200, auditor=200, platform_admin=200)
_STATEMENT = {"slug": "cities-grow", "pk": _statement_pk}

# A claim: its traveller, and the programme's coordinators, finance officers and auditors.
_CLAIM_READERS = _members(
    404, officer_athens=200, coordinator=200, finance=200, auditor=200, platform_admin=200
)

_PRACTICE_EDITORS = _members(404, coordinator=200, facilitator_b=200, platform_admin=200)
_PRACTICE_AUTHORS = _members(
    404,
    coordinator=200,
    facilitator_b=200,
    officer_athens=200,
    officer_munich=200,
    officer_rotterdam=200,
    platform_admin=200,
)
_TOOLKIT = {"slug": _draft_toolkit}
_TOOLKIT_READERS = _all(200, anonymous=404, outsider=404)  # a draft: the programme's members

# ---- the work plan: the interim report (D5.1, sensitive) and the infographics (D4.1, public)


def _deliverable_pk(wp, number):
    from workplan.models import Deliverable

    return Deliverable.objects.get(
        work_package__programme__slug="cities-grow", work_package__number=wp, number=number
    ).pk


def _submitted_step_pk(wp, number):
    """The deliverable submitted with its file (once), as the coordinator records it."""
    from workplan.choices import Step
    from workplan.models import Deliverable, DeliverableStep
    from workplan.workflow import StepInput, deliverable_step

    found = DeliverableStep.objects.filter(deliverable_id=_deliverable_pk(wp, number)).first()
    if found is not None:
        return found.pk
    return deliverable_step(
        actor=Person.objects.get(email=email_of("coordinator-1")).user,
        deliverable=Deliverable.objects.get(pk=_deliverable_pk(wp, number)),
        step=Step.SUBMIT,
        data=StepInput(
            on=date(2018, 3, 5),
            file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf"),
        ),
    ).pk


def _workplan_item_pk(model_name):
    from workplan import models

    return (
        getattr(models, model_name)
        .objects.filter(work_package__programme__slug="cities-grow")
        .order_by("pk")
        .first()
        .pk
    )


def _submitted_infographics_pk():
    """The public infographics (D4.1), submitted with their file."""
    _submitted_step_pk(4, 1)
    return _deliverable_pk(4, 1)


_INTERIM = {"slug": "cities-grow", "pk": lambda: _deliverable_pk(5, 1)}
# Every member reads the work plan; the coordinators change it (other members: 403).
_WORKPLAN_EDITORS = _members(403, coordinator=200, platform_admin=200)


# ---- the technical reports: a draft interim report of months 1-12
def _report_pk():
    from reports.records import period_of_months
    from reports.services.reports import ReportInput, technical_report_start

    programme = Programme.objects.get(slug="cities-grow")
    start, end = period_of_months(programme, 1, 12)
    report = technical_report_start(
        actor=Person.objects.get(email=email_of("coordinator-1")).user,
        programme=programme,
        data=ReportInput(kind="interim", period_start=start, period_end=end),
        language="en",
    )
    return report.pk


_REPORT = {"slug": "cities-grow", "pk": _report_pk}
# The coordinators write the reports; the auditors read them (403 on a change); nobody else
# learns that they exist.
_REPORT_READERS = _members(404, coordinator=200, auditor=200, platform_admin=200)
_REPORT_WRITERS = _members(404, coordinator=200, auditor=403, platform_admin=200)

# ---- the video catalogue: a draft video of Athens (theme B) with captions and a consent, and a
# published one for the public pages


def _video(title, publish):
    from tests.videos.builders import athens_video, consent, with_captions
    from videos.models import Video
    from videos.services import video_publish

    found = Video.objects.filter(title=title).first()
    if found is None:
        coordinator = Person.objects.get(email=email_of("coordinator-1")).user
        found = with_captions(coordinator, athens_video(coordinator, title=title))
        consent(coordinator, found, "Eleni Demo")
        if publish:
            found = video_publish(actor=coordinator, video=found)
    return found


def _draft_video_pk():
    return _video("A draft video", publish=False).pk


def _published_video_pk():
    return _video("A published video", publish=True).pk


_DRAFT_VIDEO = {"slug": "cities-grow", "pk": _draft_video_pk}
_SUBTITLE = {
    **_DRAFT_VIDEO,
    "subtitle": lambda: _video("A draft video", False).subtitles.first().pk,
}
_PERSON = {**_DRAFT_VIDEO, "person": lambda: _video("A draft video", False).appearances.get().pk}
_PUBLIC_VIDEO = {"pk": _published_video_pk}
# A draft of Athens: the programme-wide readers, theme B's facilitator and Athens' officers.
_VIDEO_READERS = _members(
    404, coordinator=200, auditor=200, facilitator_b=200, officer_athens=200, platform_admin=200
)
_VIDEO_EDITORS = _members(
    404, coordinator=200, auditor=403, facilitator_b=200, officer_athens=200, platform_admin=200
)
_VIDEO_MANAGERS = _members(
    404, coordinator=200, auditor=403, facilitator_b=200, officer_athens=403, platform_admin=200
)


# ---- infographics: the Munich-Athens infographic, started by facilitator-b (and published)
def _infographic_pk():
    from infographics.services import infographic_start

    _athens_plan_city()  # its action is a future action of the infographic
    pair = MentoringPair.objects.current().get(
        mentor__city__slug="munich", implementing__city__slug="athens"
    )
    return infographic_start(
        actor=Person.objects.get(email=email_of("facilitator-b")).user,
        programme=Programme.objects.get(slug="cities-grow"),
        theme=pair.scheme.theme,
        pair=pair,
        language="en",
    ).pk


def _published_infographic_pk():
    from infographics.models import Infographic
    from infographics.services import infographic_publish

    infographic = Infographic.objects.get(pk=_infographic_pk())
    infographic_publish(
        actor=Person.objects.get(email=email_of("facilitator-b")).user, infographic=infographic
    )
    return infographic.pk


_INFOGRAPHIC = {"slug": "cities-grow", "pk": _infographic_pk}
_PUBLISHED_FILE = {"pk": _published_infographic_pk, "number": 1, "file_format": "svg"}
# The scheme's facilitator and the coordinators edit; nobody else learns a draft exists.
_INFOGRAPHIC_EDITORS = _members(404, coordinator=200, facilitator_b=200, platform_admin=200)


def _icc():
    from conference.models import Conference
    from tests.conference.builders import icc

    return Conference.objects.filter(slug="icc-viii").first() or icc()


def _conference_session_pk():
    return _icc().sessions.first().pk


def _delegate_token():
    from conference.services import register
    from tests.conference.builders import delegate

    return register(conference=_icc(), data=delegate(1)).token


def _organised_speaker_pk():
    from conference.models import Speaker

    return Speaker.objects.get_or_create(
        conference=_icc(), name="A. Mayor", defaults={"level": "local"}
    )[0].pk


def _registration_pk():
    from conference.services import register
    from tests.conference.builders import delegate

    return register(conference=_icc(), data=delegate(2)).registration.pk


def _checkin_code():
    from conference.selectors.onsite import checkin_code
    from conference.services import register
    from tests.conference.builders import delegate

    return checkin_code(register(conference=_icc(), data=delegate(3)).registration)


# The coordinators organise the conference; the auditors also read who registered (and the
# participants' lists).
_ORGANISERS = _members(404, coordinator=200, platform_admin=200)
_REGISTRATION_READERS = _members(404, coordinator=200, auditor=200, platform_admin=200)
_SESSION = {"pk": _conference_session_pk}

# The conference's programme is public; a delegate's page opens to whoever holds its link.
_CONFERENCE = {"slug": lambda: _icc().slug}
_DELEGATE = {"slug": lambda: _icc().slug, "token": _delegate_token}

# name -> (kwargs, expected status per role)
URL_TABLE = {
    "conference:public": (_CONFERENCE, _all(200)),
    "conference:session_ics": ({**_CONFERENCE, "pk": _conference_session_pk}, _all(200)),
    "conference:registration": (_DELEGATE, _all(200)),
    "conference:registration_ics": (_DELEGATE, _all(200)),
    "conference:register": (_CONFERENCE, _all(200)),
    # After the conference: a delegate's survey and certificate through their link (the test
    # delegate's survey is closed by retention_until, so the page shows that notice); the
    # certificate is a POST only. The survey's results: organisers and auditors.
    "conference:feedback_survey": (_DELEGATE, _all(200)),
    "conference:feedback_conference": (_DELEGATE, _all(200)),
    "conference:feedback_session": (
        {**_DELEGATE, "session_pk": _conference_session_pk},
        _all(200),
    ),
    "conference:certificate": (_DELEGATE, _all(405)),
    "conference:feedback_results": (_CONFERENCE, _REGISTRATION_READERS),
    "conference:onsite_home": (_CONFERENCE, _REGISTRATION_READERS),
    "conference:onsite_checkin": (_CONFERENCE, _ORGANISERS),
    "conference:onsite_checkin_code": ({**_CONFERENCE, "code": _checkin_code}, _ORGANISERS),
    "conference:onsite_checkin_record": ({**_CONFERENCE, "pk": _registration_pk}, _POST_ONLY),
    "conference:onsite_checkin_undo": ({**_CONFERENCE, "pk": _registration_pk}, _POST_ONLY),
    "conference:onsite_session": ({**_CONFERENCE, **_SESSION}, _ORGANISERS),
    "conference:onsite_badges": (_CONFERENCE, _ORGANISERS),
    "conference:onsite_badges_pdf": (_CONFERENCE, _ORGANISERS),
    "conference:onsite_participants": (_CONFERENCE, _REGISTRATION_READERS),
    "conference:organise_new": ({"programme": "cities-grow"}, _ORGANISERS),
    "conference:organise": (_CONFERENCE, _REGISTRATION_READERS),
    "conference:organise_settings": (_CONFERENCE, _ORGANISERS),
    "conference:organise_sessions": (_CONFERENCE, _ORGANISERS),
    "conference:organise_session_new": (_CONFERENCE, _ORGANISERS),
    "conference:organise_session_edit": ({**_CONFERENCE, **_SESSION}, _ORGANISERS),
    "conference:organise_session_delete": ({**_CONFERENCE, **_SESSION}, _ORGANISERS),
    "conference:organise_speakers": (_CONFERENCE, _ORGANISERS),
    "conference:organise_speaker_new": (_CONFERENCE, _ORGANISERS),
    "conference:organise_speaker_edit": (
        {**_CONFERENCE, "pk": _organised_speaker_pk},
        _ORGANISERS,
    ),
    "conference:organise_delegations": (_CONFERENCE, _ORGANISERS),
    "conference:organise_travel": (_CONFERENCE, _ORGANISERS),
    "conference:organise_registrations": (_CONFERENCE, _REGISTRATION_READERS),
    "conference:organise_registration": (
        {**_CONFERENCE, "pk": _registration_pk},
        _REGISTRATION_READERS,
    ),
    # Athens' delegation: its officers and the coordinators; nobody else learns of it.
    "conference:delegation": (
        {**_CONFERENCE, "city": "athens"},
        _members(404, coordinator=200, officer_athens=200, platform_admin=200),
    ),
    "portal:home": ({}, _all(200)),
    # Reporting a security problem: public; browsers post CSP violation reports (POST only).
    "portal:disclosure": ({}, _all(200)),
    "portal:security_txt": ({}, _all(200)),
    "portal:csp_report": ({}, _all(405)),
    # Whether this process can serve: open to the load balancer, as to anyone.
    "portal:health": ({}, _all(200)),
    # The accessibility statement and its feedback form: anyone; what was reported: the
    # coordinators (of any programme) and the platform's administrators.
    "accessibility:statement": ({}, _all(200)),
    "accessibility:feedback": ({}, _all(200)),
    "accessibility:feedback_sent": ({}, _all(200)),
    "accessibility:languages": ({}, _all(200)),
    "accessibility:translation_report": ({}, _all(200)),
    "accessibility:feedback_list": ({}, _COORDINATORS),
    "accessibility:feedback_detail": ({"pk": _feedback_pk}, _COORDINATORS),
    "accounts:login": ({}, _all(302, anonymous=200)),
    "accounts:logout": ({}, _all(405)),  # log-out is a POST only
    "accounts:profile": ({}, _all(200, anonymous=ANON_LOGIN)),
    # ---- the second factor: every signed-in person enrols one (their sessions here are
    # verified, or need none), so the code page sends them on; the recovery codes' download
    # exists only while new codes are shown; platform admins reset a person's factor. The
    # passkey ceremonies answer POSTs of a signed-in person only (JSON).
    "accounts:second_factor": ({}, _all(302)),
    "accounts:enrol": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:recovery_codes": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:recovery_codes_download": ({}, _all(404, anonymous=ANON_LOGIN)),
    "accounts:factor_remove": ({"kind": "app", "pk": 1}, _POST_ONLY),
    "accounts:second_factor_people": ({}, _all(404, anonymous=ANON_LOGIN, platform_admin=200)),
    "accounts:second_factor_reset": (
        {"pk": lambda: Person.objects.get(email=email_of("athens-officer-1")).user_id},
        _all(404, anonymous=ANON_LOGIN, platform_admin=200),
    ),
    "otp_webauthn:credential-registration-begin": ({}, _all(405, anonymous=403)),
    "otp_webauthn:credential-registration-complete": ({}, _all(405, anonymous=403)),
    "otp_webauthn:credential-authentication-begin": ({}, _all(405, anonymous=403)),
    "otp_webauthn:credential-authentication-complete": ({}, _all(405, anonymous=403)),
    "otp_webauthn:js-i18n-catalog": ({}, _all(200)),
    "accounts:password_change": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:password_change_done": ({}, _all(200, anonymous=ANON_LOGIN)),
    "accounts:password_reset": ({}, _all(200)),
    "accounts:password_reset_done": ({}, _all(200)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "bad-token"}, _all(200)),
    "accounts:password_reset_complete": ({}, _all(200)),
    # A dead invitation link (unknown, expired, revoked, used) is a message page, "gone".
    "accounts:invitation": ({"token": "bad-token"}, _all(410)),
    "set_language": ({}, _all(302)),
    "programmes:overview": ({"slug": "cities-grow"}, _members(200)),
    "programmes:people": ({"slug": "cities-grow"}, _members(200)),
    # People and roles: the coordinators' work; the others never learn the pages exist.
    "programmes:invitation_new": ({"slug": "cities-grow"}, _COORDINATORS),
    "programmes:invitation_resend": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "programmes:invitation_revoke": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "programmes:person_deactivate": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "programmes:membership_change": (
        {"slug": "cities-grow", "pk": _athens_officer_membership_pk},
        _COORDINATORS,
    ),
    "programmes:membership_end": (
        {"slug": "cities-grow", "pk": _athens_officer_membership_pk},
        _COORDINATORS,
    ),
    # A city's officers propose their own city's team (others who see the city: 403); the
    # coordinators answer; coordinators and auditors read the records.
    "programmes:team_propose": (
        {"slug": "cities-grow", "city": "athens"},
        _members(403, officer_athens=200, officer_rotterdam=404),
    ),
    "programmes:proposal_confirm": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "programmes:proposal_decline": (
        {"slug": "cities-grow", "pk": _athens_proposal_pk},
        _COORDINATORS,
    ),
    "programmes:roles_past": (
        {"slug": "cities-grow"},
        _members(404, coordinator=200, auditor=200, platform_admin=200),
    ),
    "programmes:invitations": (
        {"slug": "cities-grow"},
        _members(404, coordinator=200, auditor=200, platform_admin=200),
    ),
    "programmes:team_rules": ({"slug": "cities-grow"}, _POST_ONLY),
    "programmes:scheme": (
        {"slug": "cities-grow", "code": "B"},
        _members(200, officer_rotterdam=404),
    ),
    "programmes:city": (
        {"slug": "cities-grow", "city": "athens"},
        _members(200, officer_rotterdam=404),
    ),
    "programmes:city_edit": (
        {"slug": "cities-grow", "city": "athens"},
        _members(
            403, coordinator=200, officer_athens=200, platform_admin=200, officer_rotterdam=404
        ),
    ),
    "programmes:history": (
        {"slug": "cities-grow", "kind": "city", "pk": _athens_pk},
        _members(404, coordinator=200, auditor=200, platform_admin=200),
    ),
    # The programme's settings (period, key dates): the coordinators'; the others never learn
    # the pages exist.
    "programmes:settings": ({"slug": "cities-grow"}, _COORDINATORS),
    "programmes:key_date_new": ({"slug": "cities-grow"}, _COORDINATORS),
    "programmes:key_date_edit": ({"slug": "cities-grow", "pk": _key_date_pk}, _COORDINATORS),
    "programmes:key_date_remove": ({"slug": "cities-grow", "pk": _key_date_pk}, _COORDINATORS),
    # ---- assessments
    "assessments:home": ({"slug": "cities-grow"}, _members(200)),
    "assessments:benchmark": ({"slug": "cities-grow", "code": "B"}, _members(200)),
    # Theme B has no draft in the demo data: its editors are sent to start one; others get 404.
    "assessments:benchmark_draft": ({"slug": "cities-grow", "code": "B"}, _B_EDITORS),
    "assessments:key_factor_new": ({"slug": "cities-grow", "code": "B"}, _B_EDITORS),
    "assessments:key_factor_edit": (
        {"slug": "cities-grow", "code": "B", "pk": _key_factor_pk},
        _B_EDITORS,
    ),
    "assessments:additional_factor_new": ({"slug": "cities-grow", "code": "B"}, _B_EDITORS),
    "assessments:additional_factor_edit": (
        {"slug": "cities-grow", "code": "B", "pk": _additional_factor_pk},
        _B_EDITORS,
    ),
    "assessments:benchmark_open": ({"slug": "cities-grow", "code": "B"}, _POST_ONLY),
    "assessments:benchmark_publish": ({"slug": "cities-grow", "code": "B"}, _POST_ONLY),
    "assessments:factor_delete": (
        {"slug": "cities-grow", "code": "B", "kind": "key", "pk": _key_factor_pk},
        _POST_ONLY,
    ),
    # Athens' accepted baseline of theme B: the city, its mentor Munich, the theme's facilitator,
    # coordinators and auditors; not another scheme's city, not finance.
    "assessments:assessment": (_ATHENS_B, _ATHENS_ASSESSMENT),
    "assessments:attachment": ({**_ATHENS_B, "pk": _athens_attachment_pk}, _ATHENS_ASSESSMENT),
    "assessments:assessment_start": (_ATHENS_B, _POST_ONLY),
    "assessments:assessment_review": (_ATHENS_B, _POST_ONLY),
    "assessments:attachment_remove": ({**_ATHENS_B, "pk": _athens_attachment_pk}, _POST_ONLY),
    "assessments:wishes": (
        {"slug": "cities-grow", "city": "athens"},
        _members(
            403, coordinator=200, officer_athens=200, platform_admin=200, officer_rotterdam=404
        ),
    ),
    "assessments:city_gaps": (
        {"slug": "cities-grow", "city": "athens"},
        _members(200, officer_rotterdam=404),
    ),
    "assessments:theme_gaps": ({"slug": "cities-grow", "code": "B"}, _members(200)),
    # ---- matching: coordinators run it, auditors read it, no one else sees it.
    "matching:home": ({"slug": "cities-grow"}, _MATCHING),
    "matching:compare": ({"slug": "cities-grow"}, _MATCHING),
    "matching:cities": ({"slug": "cities-grow"}, _COORDINATORS),
    "matching:run": ({"slug": "cities-grow", "pk": _run_pk}, _MATCHING),
    "matching:run_progress": ({"slug": "cities-grow", "pk": _run_pk}, _MATCHING),
    "matching:run_problem": ({"slug": "cities-grow", "pk": _run_pk}, _MATCHING),
    "matching:run_accept": ({"slug": "cities-grow", "pk": _run_pk}, _POST_ONLY),
    "matching:mentor_change": ({"slug": "cities-grow", "city": "athens"}, _POST_ONLY),
    # ---- visits
    "visits:calendar": ({"slug": "cities-grow"}, _members(200)),
    "visits:event": ({"slug": "cities-grow", "pk": _event_pk}, _members(200)),
    "visits:event_ics": ({"slug": "cities-grow", "pk": _event_pk}, _members(200)),
    "visits:plan": ({"slug": "cities-grow"}, _COORDINATORS),
    "visits:event_new": ({"slug": "cities-grow"}, _COORDINATORS),
    "visits:event_edit": ({"slug": "cities-grow", "pk": _event_pk}, _COORDINATORS),
    "visits:invitable": ({"slug": "cities-grow", "pk": _event_pk}, _COORDINATORS),
    "visits:status": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    "visits:participant_add": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    # A pair's timeline: its cities' people, its facilitator and the programme-wide roles.
    "visits:pair": (
        {"slug": "cities-grow", "pk": _athens_pair_pk},
        _members(200, officer_rotterdam=404),
    ),
    "visits:participants_pdf": ({"slug": "cities-grow", "pk": _event_pk}, _members(200)),
    "visits:delegation": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    "visits:respond": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    "visits:attendance": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    "visits:agenda_add": ({"slug": "cities-grow", "pk": _event_pk}, _POST_ONLY),
    "visits:unavailable": (
        {"slug": "cities-grow", "city": "athens"},
        _members(
            403, coordinator=200, officer_athens=200, platform_admin=200, officer_rotterdam=404
        ),
    ),
    "visits:unavailable_remove": (
        {"slug": "cities-grow", "city": "athens", "pk": 1},
        _POST_ONLY,
    ),
    "visits:agenda_remove": ({"slug": "cities-grow", "pk": _event_pk, "item": 1}, _POST_ONLY),
    # The webinar is hosted by Athens and serves no scheme: Athens' officers write its report.
    "visits:report": (
        {"slug": "cities-grow", "pk": _event_pk},
        _members(403, coordinator=200, officer_athens=200, platform_admin=200),
    ),
    "visits:findings": (
        {"slug": "cities-grow", "city": "athens"},
        _members(200, officer_rotterdam=404),
    ),
    "visits:feed_settings": ({}, _all(200, anonymous=ANON_LOGIN)),
    # ---- action plans: Athens' plan is read by its city, its mentor Munich, its facilitator and
    # the programme-wide roles; written by its officers only; other cities get 404.
    "action_plans:index": ({"slug": "cities-grow"}, _members(200)),
    "action_plans:plan": (_ATHENS_PLAN, _PLAN_READERS),
    "action_plans:versions": (_ATHENS_PLAN, _PLAN_READERS),
    "action_plans:pdf": (_ATHENS_PLAN, _PLAN_READERS),
    "action_plans:progress": ({**_ATHENS_PLAN, "pk": _athens_action_pk}, _PLAN_READERS),
    "action_plans:dashboard": ({"slug": "cities-grow"}, _members(200)),
    "action_plans:publication": (_ATHENS_PLAN, _POST_ONLY),
    "action_plans:check_in": ({**_ATHENS_PLAN, "pk": 1}, _POST_ONLY),
    # The public site: the list for everyone; a draft plan is a 404 to everyone there.
    "action_plans:public_index": ({}, _all(200)),
    # ---- the API: no redirect to a log-in page, a 403 for anonymous callers.
    "api:schema": ({}, _all(200)),  # the schema describes endpoints, not data
    "api:action_plans": ({"slug": "cities-grow"}, _all(200, anonymous=403, outsider=404)),
    "api:action_plan": (
        _ATHENS_PLAN,
        _all(200, anonymous=403, outsider=404, officer_rotterdam=404),
    ),
    "action_plans:public_plan": (_ATHENS_PLAN, _all(404)),
    "action_plans:docx": (_ATHENS_PLAN, _PLAN_READERS),
    "action_plans:decision": ({**_ATHENS_PLAN, "pk": _athens_decision_pk}, _PLAN_READERS),
    "action_plans:evidence": ({**_ATHENS_PLAN, "pk": _athens_evidence_pk}, _PLAN_READERS),
    "action_plans:edit": (_ATHENS_PLAN, _PLAN_WRITERS),
    "action_plans:action_new": (_ATHENS_PLAN, _PLAN_WRITERS),
    "action_plans:action_edit": ({**_ATHENS_PLAN, "pk": _athens_action_pk}, _PLAN_WRITERS),
    "action_plans:step": ({**_ATHENS_PLAN, "step": "send_for_review"}, _PLAN_WRITERS),
    "action_plans:start": (_ATHENS_PLAN, _POST_ONLY),
    "action_plans:action_remove": ({**_ATHENS_PLAN, "pk": _athens_action_pk}, _POST_ONLY),
    "action_plans:comment_add": (_ATHENS_PLAN, _POST_ONLY),
    "action_plans:comment_resolve": ({**_ATHENS_PLAN, "pk": 1}, _POST_ONLY),
    "action_plans:comment_apply": ({**_ATHENS_PLAN, "pk": 1}, _POST_ONLY),
    # ---- knowledge: published practices and toolkits are public; a draft practice is its
    # city's and the editors' (facilitators, coordinators); a draft toolkit is for the
    # programme's members, composed by its theme's facilitator and the coordinators.
    "knowledge:practices": ({}, _all(200)),
    "api:practices": ({}, _all(200)),
    # Published infographics and videos: public, as on the portal.
    "api:infographics": ({}, _all(200)),
    "api:infographic": ({"pk": _published_infographic_pk}, _all(200)),
    "api:videos": ({}, _all(200)),
    "api:video": (_PUBLIC_VIDEO, _all(200)),
    "knowledge:practice": ({"reference": "ghent-kitchen-incubator"}, _all(200)),
    "knowledge:practice_edit": ({"reference": "ghent-kitchen-incubator"}, _PRACTICE_EDITORS),
    "knowledge:practice_step": (
        {"reference": "ghent-kitchen-incubator", "step": "withdraw"},
        _PRACTICE_EDITORS,
    ),
    "knowledge:practice_new": ({}, _PRACTICE_AUTHORS),
    "knowledge:editorial": ({}, _PRACTICE_AUTHORS),
    "knowledge:practice_export": ({}, _PRACTICE_EDITORS),
    "knowledge:recommendations": (
        {"programme": "cities-grow", "city": "athens"},
        _members(200, officer_rotterdam=404),
    ),
    "knowledge:toolkits": ({}, _all(200)),
    "knowledge:toolkit": (_TOOLKIT, _TOOLKIT_READERS),
    "knowledge:toolkit_pdf": (_TOOLKIT, _TOOLKIT_READERS),
    "knowledge:toolkit_factor": ({**_TOOLKIT, "code": "b1"}, _TOOLKIT_READERS),
    "knowledge:toolkit_compose": (_TOOLKIT, _PRACTICE_EDITORS),
    "knowledge:toolkit_new": ({"programme": "cities-grow"}, _POST_ONLY),
    "knowledge:toolkit_recommendation_new": (_TOOLKIT, _POST_ONLY),
    "knowledge:toolkit_practice_new": (_TOOLKIT, _POST_ONLY),
    "knowledge:toolkit_item_remove": ({**_TOOLKIT, "kind": "practices", "pk": 1}, _POST_ONLY),
    "knowledge:toolkit_step": ({**_TOOLKIT, "step": "publish"}, _POST_ONLY),
    "knowledge:toolkit_feedback": (_TOOLKIT, _POST_ONLY),
    # ---- finance: every member keeps their own hours and claims; a claim is read by its
    # traveller and the programme-wide roles; the finance officers check and pay.
    "finance:home": ({"slug": "cities-grow"}, _members(200)),
    "finance:inbox": (
        {"slug": "cities-grow"},
        _members(404, finance=200, platform_admin=200),
    ),
    "finance:claim": (_ATHENS_CLAIM, _CLAIM_READERS),
    "finance:receipt": ({**_ATHENS_CLAIM, "receipt_pk": _athens_receipt_pk}, _CLAIM_READERS),
    "finance:claim_new": ({"slug": "cities-grow"}, _POST_ONLY),
    "finance:claimable_events": ({"slug": "cities-grow"}, _members(200)),
    "finance:claim_line_new": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "finance:claim_line_remove": ({"slug": "cities-grow", "pk": 1, "line": 1}, _POST_ONLY),
    "finance:claim_step": ({"slug": "cities-grow", "pk": 1, "step": "submit"}, _POST_ONLY),
    "finance:claim_check": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "finance:claim_reimburse": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    # A month of hours: its person, and the programme-wide roles (its supervisor, Athens'
    # administrative approver, is not among these roles: see tests/finance).
    "finance:budget": ({"slug": "cities-grow"}, _BOOK_READERS),
    "finance:budget_line_new": ({"slug": "cities-grow"}, _POST_ONLY),
    "finance:budget_transfer_new": ({"slug": "cities-grow"}, _POST_ONLY),
    "finance:partners": ({"slug": "cities-grow"}, _members(404, finance=200, platform_admin=200)),
    "finance:budget_override_new": ({"slug": "cities-grow"}, _POST_ONLY),
    "finance:rates": ({"slug": "cities-grow"}, _BOOK_READERS),
    "finance:rates_import": ({"slug": "cities-grow"}, _POST_ONLY),
    # The grant's money rules: the finance officers change them; the other readers of the books
    # are refused (403), the rest never learn the page exists.
    "finance:settings": (
        {"slug": "cities-grow"},
        _members(404, coordinator=403, auditor=403, finance=200, platform_admin=200),
    ),
    "finance:co_financing_partners": (
        {"slug": "cities-grow"},
        _members(404, coordinator=403, auditor=403, finance=200, platform_admin=200),
    ),
    "finance:statements": ({"slug": "cities-grow"}, _BOOK_READERS),
    "finance:statement": (_STATEMENT, _BOOK_READERS),
    "finance:statement_files_new": (_STATEMENT, _POST_ONLY),
    "finance:statement_sign_off": (_STATEMENT, _POST_ONLY),
    "finance:statement_file": ({**_STATEMENT, "file_format": "xlsx"}, _BOOK_READERS),
    # Everyone sees the salaries they may read (their own at least).
    "finance:salaries": ({"slug": "cities-grow"}, _members(200)),
    # A city's days: its own members and the programme-wide roles.
    "finance:city": (
        {"slug": "cities-grow", "city": "athens"},
        _members(404, officer_athens=200, approver_athens=200, coordinator=200, finance=200)
        | {"auditor": 200, "platform_admin": 200},
    ),
    "finance:my_time": ({"slug": "cities-grow"}, _members(302)),
    "finance:week": ({"slug": "cities-grow", "year": 2017, "month": 3}, _members(200)),
    "finance:sign": ({"slug": "cities-grow", "year": 2017, "month": 3}, _POST_ONLY),
    "finance:approvals": ({"slug": "cities-grow"}, _members(200)),
    "finance:timesheet": ({"slug": "cities-grow", "pk": _athens_sheet_pk}, _CLAIM_READERS),
    "finance:timesheet_approve": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "finance:timesheet_reopen": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    # Hours on other grants: read like a salary (the person, their city's finance contact, the
    # finance officers and auditors); the political approver is not the finance contact.
    "finance:other_grants": ({"slug": "cities-grow"}, _members(200, platform_admin=404)),
    "finance:person_other_grants": (
        {"slug": "cities-grow", "person": _athens_officer_pk},
        _SALARY_READERS,
    ),
    "finance:other_grant": ({"slug": "cities-grow", "pk": _athens_other_grant_pk}, _SALARY_READERS),
    "finance:other_grant_remove": ({"slug": "cities-grow", "pk": 1}, _POST_ONLY),
    "finance:other_grant_evidence": (
        {"slug": "cities-grow", "pk": _athens_other_grant_pk},
        _SALARY_READERS,
    ),
    # ---- notifications: a person's own inbox and settings (an account without a person has an
    # empty inbox and no settings); coordinators see the e-mails that could not be sent.
    "notifications:inbox": ({}, _all(200, anonymous=ANON_LOGIN)),
    "notifications:open": ({"pk": _athens_notification_pk}, _members(404, officer_athens=302)),
    "notifications:mark": ({"pk": 1}, _POST_ONLY),
    "notifications:settings": ({}, _members(200)),
    "notifications:email_problems": ({}, _COORDINATORS),
    "notifications:email_retry": ({"pk": 1}, _POST_ONLY),
    # ---- privacy: the notice is public; everyone signed in downloads their own data; a
    # person's export and pseudonymisation requests are their programme's coordinators' (a
    # person outside the viewer's programmes is a 404).
    "privacy:notice": ({}, _all(200)),
    "privacy:my_data": ({}, _all(200, anonymous=ANON_LOGIN)),
    "privacy:my_data_archive": ({}, _all(200, anonymous=ANON_LOGIN)),
    "privacy:person_archive": ({"pk": _athens_officer_person_pk}, _COORDINATORS),
    "privacy:request_new": ({"pk": _athens_officer_person_pk}, _COORDINATORS),
    "privacy:requests": ({}, _COORDINATORS),
    "privacy:request_confirm": ({"pk": 1}, _POST_ONLY),
    "privacy:request_cancel": ({"pk": 1}, _POST_ONLY),
    # ---- the work plan: every member reads it, sensitive deliverables and their files included;
    # the coordinators change it and record each deliverable's steps; the public site shows the
    # public deliverables and their files as submitted.
    "workplan:plan": ({"slug": "cities-grow"}, _members(200)),
    "workplan:deliverable": (_INTERIM, _members(200)),
    # The timeline and its files (SVG, PNG, PDF): whoever reads the work plan.
    "workplan:timeline": ({"slug": "cities-grow"}, _members(200)),
    "workplan:timeline_file": ({"slug": "cities-grow", "file_format": "svg"}, _members(200)),
    "workplan:deliverable_step": ({**_INTERIM, "step": "start"}, _WORKPLAN_EDITORS),
    "workplan:deliverable_edit": (_INTERIM, _WORKPLAN_EDITORS),
    "workplan:step_file": (
        {**_INTERIM, "step_pk": lambda: _submitted_step_pk(5, 1)},
        _members(200),
    ),
    "workplan:work_package_new": ({"slug": "cities-grow"}, _WORKPLAN_EDITORS),
    "workplan:work_package_edit": ({"slug": "cities-grow", "number": 1}, _WORKPLAN_EDITORS),
    "workplan:task_new": ({"slug": "cities-grow", "number": 1}, _WORKPLAN_EDITORS),
    "workplan:deliverable_new": ({"slug": "cities-grow", "number": 1}, _WORKPLAN_EDITORS),
    "workplan:milestone_new": ({"slug": "cities-grow", "number": 1}, _WORKPLAN_EDITORS),
    "workplan:task_edit": (
        {"slug": "cities-grow", "pk": lambda: _workplan_item_pk("Task")},
        _WORKPLAN_EDITORS,
    ),
    "workplan:milestone_edit": (
        {"slug": "cities-grow", "pk": lambda: _workplan_item_pk("Milestone")},
        _WORKPLAN_EDITORS,
    ),
    "workplan:public_index": ({}, _all(200)),
    # The dashboard: every member of the programme opens it and sees their part of it (the
    # programme-wide roles every city, a facilitator their scheme, a city's people their city).
    "dashboard:programme": ({"slug": "cities-grow"}, _members(200)),
    "workplan:public_file": ({"slug": "cities-grow", "pk": _submitted_infographics_pk}, _all(200)),
    # ---- the technical reports to the funder
    # ---- videos: every member finds the catalogue (published videos at least); city officers
    # add their city's drafts; the coordinators and the theme's facilitator manage consents;
    # consent forms never reach a city officer nor the public; published videos are public.
    "videos:manage": ({"slug": "cities-grow"}, _members(200)),
    "videos:new": (
        {"slug": "cities-grow"},
        _members(200, auditor=403, finance=403, approver_athens=403),
    ),
    "videos:detail": (_DRAFT_VIDEO, _VIDEO_READERS),
    "videos:edit": (_DRAFT_VIDEO, _VIDEO_EDITORS),
    "videos:file": (_DRAFT_VIDEO, _VIDEO_READERS),
    "videos:subtitle_new": (_DRAFT_VIDEO, _VIDEO_EDITORS),
    "videos:subtitle_file": (_SUBTITLE, _VIDEO_READERS),
    "videos:appearance_new": (_DRAFT_VIDEO, _VIDEO_MANAGERS),
    "videos:consent_form": (
        _PERSON,
        _members(404, coordinator=200, auditor=200, facilitator_b=200, platform_admin=200),
    ),
    "videos:withdraw": (_PERSON, _VIDEO_MANAGERS),
    "videos:step": ({**_DRAFT_VIDEO, "action": "publish"}, _POST_ONLY),
    "videos:public_list": ({}, _all(200)),
    "videos:public": (_PUBLIC_VIDEO, _all(200)),
    "videos:embed": (_PUBLIC_VIDEO, _all(200)),
    "videos:stream": (_PUBLIC_VIDEO, _all(200)),
    "videos:track": ({**_PUBLIC_VIDEO, "language": "en"}, _all(200)),
    "reports:index": ({"slug": "cities-grow"}, _REPORT_READERS),
    "reports:new": ({"slug": "cities-grow"}, _REPORT_WRITERS),
    "reports:report": (_REPORT, _REPORT_READERS),
    "reports:section": ({**_REPORT, "key": "summary"}, _REPORT_WRITERS),
    "reports:preview": (_REPORT, _REPORT_READERS),
    "reports:files_new": (_REPORT, _POST_ONLY),
    "reports:file": ({**_REPORT, "file_format": "pdf"}, _REPORT_READERS),
    "reports:freeze": (_REPORT, _REPORT_WRITERS),
    "api:reports": (
        {"slug": "cities-grow"},
        _all(404, anonymous=403, coordinator=200, auditor=200, platform_admin=200),
    ),
    "api:report": (
        _REPORT,
        _all(404, anonymous=403, coordinator=200, auditor=200, platform_admin=200),
    ),
    # ---- infographics: the editors' screens, and the public pages of a published version
    "infographics:index": ({"slug": "cities-grow"}, _INFOGRAPHIC_EDITORS),
    "infographics:start": ({"slug": "cities-grow"}, _POST_ONLY),
    "infographics:edit": (_INFOGRAPHIC, _INFOGRAPHIC_EDITORS),
    "infographics:preview": (_INFOGRAPHIC, _INFOGRAPHIC_EDITORS),
    "infographics:publish": (_INFOGRAPHIC, _POST_ONLY),
    "infographics:public_list": ({}, _all(200)),
    "infographics:public": ({"pk": _published_infographic_pk}, _all(200)),
    "infographics:file": (_PUBLISHED_FILE, _all(200)),
    "infographics:download": (_PUBLISHED_FILE, _all(200)),
    # The feed is read by calendar applications without a log-in: the token is the key.
    "visits:feed": ({"token": _feed_token}, _all(200)),
}
# The Django admin is one rule for the whole namespace: platform admins only.
NAMESPACE_RULES = {"admin": ("admin:index", {}, _all(302, platform_admin=200))}


def _pattern_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _pattern_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def test_every_url_pattern_is_in_the_table():
    names = set(_pattern_names(get_resolver().url_patterns))
    uncovered = {n for n in names if n not in URL_TABLE and n.split(":")[0] not in NAMESPACE_RULES}
    assert not uncovered, f"URL patterns without an access rule in URL_TABLE: {sorted(uncovered)}"


CASES = [(name, role) for name in URL_TABLE for role in ROLES] + [
    (f"namespace:{ns}", role) for ns in NAMESPACE_RULES for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_role_gets_expected_outcome(url_name, role, client, client_of, django_user_model):
    if url_name.startswith("namespace:"):
        name, kwargs, expected = NAMESPACE_RULES[url_name.split(":", 1)[1]]
    else:
        name = url_name
        kwargs, expected = URL_TABLE[url_name]
    kwargs = {k: v() if callable(v) else v for k, v in kwargs.items()}
    if role == "outsider":
        client.force_login(
            django_user_model.objects.create_user("outsider@test.invalid", "outsider@test.invalid")
        )
    elif ROLES[role]:
        client = client_of(ROLES[role])
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected[role], (
        f"{role} on {name}: got {response.status_code}, expected {expected[role]}"
    )
    if (
        response.streaming
    ):  # a file download: reading it whole closes it (the test client's wrapper)
        b"".join(response.streaming_content)
    elif (
        response.status_code == 200
        and not name.startswith("admin:")
        and response["Content-Type"].startswith("text/html")
    ):
        assert accessibility_problems(response.content.decode()) == []


@pytest.mark.django_db
def test_officer_cannot_see_other_city_private_pages(client_of):
    client = client_of("rotterdam-officer-1")
    for name in ("programmes:city", "programmes:city_edit"):
        response = client.get(reverse(name, kwargs={"slug": "cities-grow", "city": "athens"}))
        assert response.status_code == 404
    # ... while their own city is open to them.
    own = client.get(
        reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "rotterdam"})
    )
    assert own.status_code == 200
    assert "Rotterdam" in own.content.decode()
