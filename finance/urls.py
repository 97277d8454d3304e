from django.urls import path

from .views import claims, money, other_grants, settings, timesheets

app_name = "finance"

T = "programmes/<slug:slug>/finance/time/"
F = "programmes/<slug:slug>/finance/"

urlpatterns = [
    path(F + "budget/", money.budget, name="budget"),
    path(F + "budget/lines/", money.budget_line_new, name="budget_line_new"),
    path(F + "partners/", money.partners, name="partners"),
    path(F + "budget/transfers/", money.budget_transfer_new, name="budget_transfer_new"),
    path(F + "budget/overrides/", money.budget_override_new, name="budget_override_new"),
    path(F + "rates/", money.rates, name="rates"),
    path(F + "rates/import/", money.rates_import, name="rates_import"),
    path(F + "staff-rates/", money.salaries, name="salaries"),
    path(F + "settings/", settings.settings, name="settings"),
    path(
        F + "settings/partners/",
        settings.co_financing_partners,
        name="co_financing_partners",
    ),
    path(F + "cities/<slug:city>/", money.city, name="city"),
    path(F + "statements/", money.statements, name="statements"),
    path(F + "statements/<int:pk>/", money.statement_detail, name="statement"),
    path(F + "statements/<int:pk>/files/", money.statement_files_new, name="statement_files_new"),
    path(
        F + "statements/<int:pk>/sign-off/",
        money.statement_sign_off_view,
        name="statement_sign_off",
    ),
    path(
        F + "statements/<int:pk>/statement.<slug:file_format>",
        money.statement_file,
        name="statement_file",
    ),
    path(T, timesheets.my_time, name="my_time"),
    path(T + "<int:year>/<int:month>/", timesheets.week, name="week"),
    path(T + "<int:year>/<int:month>/sign/", timesheets.sign, name="sign"),
    path(T + "approvals/", timesheets.approvals, name="approvals"),
    path(T + "sheets/<int:pk>/", timesheets.timesheet_detail, name="timesheet"),
    path(
        T + "sheets/<int:pk>/approve/", timesheets.timesheet_approve_view, name="timesheet_approve"
    ),
    path(T + "sheets/<int:pk>/reopen/", timesheets.timesheet_reopen_view, name="timesheet_reopen"),
    path(T + "other-grants/", other_grants.own_other_grants, name="other_grants"),
    path(
        F + "people/<int:person>/other-grants/",
        other_grants.person_other_grants,
        name="person_other_grants",
    ),
    path(F + "other-grants/<int:pk>/", other_grants.other_grant_detail, name="other_grant"),
    path(
        F + "other-grants/<int:pk>/remove/",
        other_grants.other_grant_remove_view,
        name="other_grant_remove",
    ),
    path(
        F + "other-grants/<int:pk>/evidence/",
        other_grants.other_grant_evidence,
        name="other_grant_evidence",
    ),
    path("programmes/<slug:slug>/finance/", claims.home, name="home"),
    path("programmes/<slug:slug>/finance/inbox/", claims.inbox, name="inbox"),
    path("programmes/<slug:slug>/finance/claims/new/", claims.claim_new, name="claim_new"),
    path(
        "programmes/<slug:slug>/finance/claims/events/",
        claims.claimable_events,
        name="claimable_events",
    ),
    path("programmes/<slug:slug>/finance/claims/<int:pk>/", claims.claim_detail, name="claim"),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/lines/",
        claims.claim_line_new,
        name="claim_line_new",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/lines/<int:line>/remove/",
        claims.claim_line_delete,
        name="claim_line_remove",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/steps/<slug:step>/",
        claims.claim_step,
        name="claim_step",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/check/",
        claims.claim_check_view,
        name="claim_check",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/reimburse/",
        claims.claim_reimburse_view,
        name="claim_reimburse",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/receipts/<int:receipt_pk>/",
        claims.receipt,
        name="receipt",
    ),
]
