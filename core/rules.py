"""The single table of access rules: for each action, which role may do it, and over what scope.

Selectors turn a scope into a queryset filter, so an object outside it is never fetched (a 404);
views and the access test read this table and nothing else. Platform admins (superusers) pass
every rule: they run the platform and its Django admin.
"""

from enum import StrEnum

from .roles import Role


class Scope(StrEnum):
    """How far a role's grant reaches from the membership that gives it."""

    PROGRAMME = "programme"  # everything in the membership's programme
    SCHEME = "scheme"  # the scheme of the membership (facilitator) or of the member's city
    PAIR = "pair"  # the member's own city and the city it is paired with
    CITY = "city"  # the member's own city only


class Action(StrEnum):
    VIEW_PROGRAMME = "view_programme"
    VIEW_SCHEME = "view_scheme"
    VIEW_CITY = "view_city"
    EDIT_CITY = "edit_city"
    VIEW_PEOPLE = "view_people"
    VIEW_HISTORY = "view_history"
    MANAGE_SCHEMES = "manage_schemes"
    VIEW_BENCHMARK = "view_benchmark"
    EDIT_BENCHMARK = "edit_benchmark"
    VIEW_ASSESSMENT = "view_assessment"
    VIEW_ASSESSMENT_DRAFT = "view_assessment_draft"
    EDIT_ASSESSMENT = "edit_assessment"
    REVIEW_ASSESSMENT = "review_assessment"
    EDIT_WISHES = "edit_wishes"
    VIEW_MATCHING = "view_matching"
    RECORD_ATTENDANCE = "record_attendance"
    WRITE_REPORT = "write_report"
    VIEW_PLAN = "view_plan"
    EDIT_PLAN = "edit_plan"
    COMMENT_PLAN = "comment_plan"
    REVIEW_PLAN = "review_plan"
    DECIDE_PLAN = "decide_plan"
    MONITOR_PLAN = "monitor_plan"
    AUTHOR_PRACTICE = "author_practice"
    REVIEW_PRACTICE = "review_practice"
    VIEW_TOOLKIT_DRAFT = "view_toolkit_draft"
    EDIT_TOOLKIT = "edit_toolkit"
    GIVE_TOOLKIT_FEEDBACK = "give_toolkit_feedback"
    VIEW_FINANCE = "view_finance"
    MANAGE_FINANCE = "manage_finance"
    VIEW_SALARY = "view_salary"
    APPROVE_TIMESHEET = "approve_timesheet"
    VIEW_WORKPLAN = "view_workplan"
    EDIT_WORKPLAN = "edit_workplan"
    RECORD_DELIVERABLE = "record_deliverable"
    VIEW_REPORTS = "view_reports"
    WRITE_REPORTS = "write_reports"
    VIEW_DASHBOARD = "view_dashboard"
    EDIT_INFOGRAPHIC = "edit_infographic"
    VIEW_VIDEOS = "view_videos"
    MANAGE_VIDEOS = "manage_videos"
    EDIT_VIDEO_DRAFT = "edit_video_draft"
    VIEW_CONSENT_FORMS = "view_consent_forms"
    ORGANISE_CONFERENCE = "organise_conference"
    VIEW_REGISTRATIONS = "view_registrations"
    REGISTER_DELEGATION = "register_delegation"


_EVERY_MEMBER_OF_PROGRAMME = dict.fromkeys(Role, Scope.PROGRAMME)
_PROGRAMME_WIDE = {
    Role.COORDINATOR: Scope.PROGRAMME,
    Role.FINANCE_OFFICER: Scope.PROGRAMME,
    Role.AUDITOR: Scope.PROGRAMME,
}

RULES: dict[Action, dict[Role, Scope]] = {
    Action.VIEW_PROGRAMME: _EVERY_MEMBER_OF_PROGRAMME,
    Action.VIEW_SCHEME: {
        **_PROGRAMME_WIDE,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.SCHEME,
        Role.CITY_APPROVER: Scope.SCHEME,
    },
    # A city's page (team, contacts) is for its own people, its mentoring partner, its facilitator.
    Action.VIEW_CITY: {
        **_PROGRAMME_WIDE,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.PAIR,
        Role.CITY_APPROVER: Scope.PAIR,
    },
    Action.EDIT_CITY: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.CITY_OFFICER: Scope.CITY,
    },
    # People are listed where their city is visible; programme staff are visible to every member.
    Action.VIEW_PEOPLE: {
        **_PROGRAMME_WIDE,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.PAIR,
        Role.CITY_APPROVER: Scope.PAIR,
    },
    Action.VIEW_HISTORY: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.AUDITOR: Scope.PROGRAMME,
    },
    # Scheme membership and pairs: the coordinators decide; the matching proposes.
    Action.MANAGE_SCHEMES: {Role.COORDINATOR: Scope.PROGRAMME},
    # Benchmarks: every member reads the published versions; a facilitator edits their theme's.
    Action.VIEW_BENCHMARK: _EVERY_MEMBER_OF_PROGRAMME,
    Action.EDIT_BENCHMARK: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    # A submitted self-assessment: its reviewers (the theme's facilitator), the programme's
    # coordinators and auditors, the city and its mentoring partner. A draft: the city alone.
    Action.VIEW_ASSESSMENT: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.AUDITOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.PAIR,
        Role.CITY_APPROVER: Scope.PAIR,
    },
    Action.VIEW_ASSESSMENT_DRAFT: {Role.CITY_OFFICER: Scope.CITY, Role.CITY_APPROVER: Scope.CITY},
    Action.EDIT_ASSESSMENT: {Role.CITY_OFFICER: Scope.CITY},
    Action.REVIEW_ASSESSMENT: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    Action.EDIT_WISHES: {Role.COORDINATOR: Scope.PROGRAMME, Role.CITY_OFFICER: Scope.CITY},
    # Matching runs compare every city's needs: the coordinators run them, the auditors read them.
    Action.VIEW_MATCHING: {Role.COORDINATOR: Scope.PROGRAMME, Role.AUDITOR: Scope.PROGRAMME},
    # Who came to an event: the coordinators, and the facilitator of the event's scheme.
    Action.RECORD_ATTENDANCE: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    # A visit's report: the facilitator, or the officers of the pair's two cities together.
    Action.WRITE_REPORT: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.CITY,
    },
    # A local action plan: its city (officers and approvers), its mentor city, the scheme's
    # facilitator and the programme-wide roles read it, drafts included; no other city does.
    Action.VIEW_PLAN: {
        **_PROGRAMME_WIDE,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.PAIR,
        Role.CITY_APPROVER: Scope.CITY,
    },
    # The implementing city's officers write it; the others comment and suggest.
    Action.EDIT_PLAN: {Role.CITY_OFFICER: Scope.CITY},
    Action.COMMENT_PLAN: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.PAIR,
    },
    # Review: the facilitator and the coordinators (the mentor city may request changes too,
    # see action_plans.permissions). Decisions: the city's approvers, by their approval level.
    Action.REVIEW_PLAN: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    Action.DECIDE_PLAN: {Role.CITY_APPROVER: Scope.CITY},
    Action.MONITOR_PLAN: {Role.COORDINATOR: Scope.PROGRAMME, Role.CITY_OFFICER: Scope.CITY},
    # Good practices belong to no programme: holding the role in any programme is enough. City
    # officers document their own city's practices; facilitators and coordinators review and
    # publish every practice (see knowledge.permissions).
    Action.AUTHOR_PRACTICE: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.PROGRAMME,
        Role.CITY_OFFICER: Scope.CITY,
    },
    Action.REVIEW_PRACTICE: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.PROGRAMME},
    # Toolkits: the programme's members read drafts; the theme's facilitator and the
    # coordinators compose them; implementing cities' officers give feedback while piloting.
    Action.VIEW_TOOLKIT_DRAFT: _EVERY_MEMBER_OF_PROGRAMME,
    Action.EDIT_TOOLKIT: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    Action.GIVE_TOOLKIT_FEEDBACK: {Role.CITY_OFFICER: Scope.CITY},
    # Grant finance: the budget, claims and statements are read by the coordinators, the finance
    # officers and the auditors; the finance officers manage them.
    Action.VIEW_FINANCE: _PROGRAMME_WIDE,
    Action.MANAGE_FINANCE: {Role.FINANCE_OFFICER: Scope.PROGRAMME},
    # Salaries are personal data: the person (see finance.permissions), the programme's finance
    # officers and auditors, and their city's administrative approver (its finance contact).
    Action.VIEW_SALARY: {
        Role.FINANCE_OFFICER: Scope.PROGRAMME,
        Role.AUDITOR: Scope.PROGRAMME,
        Role.CITY_APPROVER: Scope.CITY,
    },
    # A month of hours is approved by the person's supervisor: their city's administrative
    # approver, or a coordinator for the programme's own staff.
    Action.APPROVE_TIMESHEET: {Role.COORDINATOR: Scope.PROGRAMME, Role.CITY_APPROVER: Scope.CITY},
    # The work plan and its deliverables, sensitive (SEN, CO) ones included, are the whole
    # consortium's: every member reads them (the records a deliverable counts open by their own
    # rules). The coordinators keep the plan and record what is submitted to the funder and its
    # answer. EU-classified content is never held on the platform (workplan.choices).
    Action.VIEW_WORKPLAN: _EVERY_MEMBER_OF_PROGRAMME,
    Action.EDIT_WORKPLAN: {Role.COORDINATOR: Scope.PROGRAMME},
    Action.RECORD_DELIVERABLE: {Role.COORDINATOR: Scope.PROGRAMME},
    # The technical reports to the funder: the coordinators write and freeze them; the auditors
    # read them, drafts included. Nobody else learns that a report exists (404).
    Action.VIEW_REPORTS: {Role.COORDINATOR: Scope.PROGRAMME, Role.AUDITOR: Scope.PROGRAMME},
    Action.WRITE_REPORTS: {Role.COORDINATOR: Scope.PROGRAMME},
    # The coordinator's dashboard: the programme-wide roles see every city, a facilitator their
    # scheme's cities, a city's people their own city's part. Each figure counts only the records
    # its own rule lets the viewer open (a draft self-assessment stays its city's).
    Action.VIEW_DASHBOARD: {
        **_PROGRAMME_WIDE,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.CITY,
        Role.CITY_APPROVER: Scope.CITY,
    },
    # The video catalogue: the coordinators and the theme's facilitator manage videos and the
    # consents of the people filmed; a city's officers add and edit their city's drafts; the
    # auditors read. The public sees published videos only, never a consent form.
    Action.VIEW_VIDEOS: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.AUDITOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.CITY,
    },
    Action.MANAGE_VIDEOS: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    # A signed consent form names a person filmed (often a migrant): its managers and the
    # auditors open it, never a city officer nor the public.
    Action.VIEW_CONSENT_FORMS: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.AUDITOR: Scope.PROGRAMME,
    },
    Action.EDIT_VIDEO_DRAFT: {
        Role.COORDINATOR: Scope.PROGRAMME,
        Role.FACILITATOR: Scope.SCHEME,
        Role.CITY_OFFICER: Scope.CITY,
    },
    # Infographics: the scheme's facilitator and the coordinators choose, word and publish them;
    # until published nobody else learns that one exists (published versions are public).
    Action.EDIT_INFOGRAPHIC: {Role.COORDINATOR: Scope.PROGRAMME, Role.FACILITATOR: Scope.SCHEME},
    # The conference: the coordinators organise it; its delegates' personal data is theirs and
    # the auditors' (the funder's participant lists) alone; a city's officers register its
    # delegation and see that delegation only.
    Action.ORGANISE_CONFERENCE: {Role.COORDINATOR: Scope.PROGRAMME},
    Action.VIEW_REGISTRATIONS: {Role.COORDINATOR: Scope.PROGRAMME, Role.AUDITOR: Scope.PROGRAMME},
    Action.REGISTER_DELEGATION: {Role.COORDINATOR: Scope.PROGRAMME, Role.CITY_OFFICER: Scope.CITY},
}


class Decision:
    """The answer of a permission predicate: allowed or not, and why (shown to the user)."""

    __slots__ = ("allowed", "reason")

    def __init__(self, allowed: bool, reason: str = "") -> None:
        self.allowed = allowed
        self.reason = reason

    def __bool__(self) -> bool:
        return self.allowed

    def __repr__(self) -> str:
        return f"Decision({self.allowed!r}, {self.reason!r})"
