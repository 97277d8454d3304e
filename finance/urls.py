from django.urls import path

from .views import claims, timesheets

app_name = "finance"

T = "programmes/<slug:slug>/finance/time/"

urlpatterns = [
    path(T, timesheets.my_time, name="my_time"),
    path(T + "<int:year>/<int:month>/", timesheets.week, name="week"),
    path(T + "<int:year>/<int:month>/sign/", timesheets.sign, name="sign"),
    path(T + "approvals/", timesheets.approvals, name="approvals"),
    path(T + "sheets/<int:pk>/", timesheets.timesheet_detail, name="timesheet"),
    path(
        T + "sheets/<int:pk>/approve/", timesheets.timesheet_approve_view, name="timesheet_approve"
    ),
    path(T + "sheets/<int:pk>/reopen/", timesheets.timesheet_reopen_view, name="timesheet_reopen"),
    path("programmes/<slug:slug>/finance/", claims.home, name="home"),
    path("programmes/<slug:slug>/finance/inbox/", claims.inbox, name="inbox"),
    path("programmes/<slug:slug>/finance/claims/new/", claims.claim_new, name="claim_new"),
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
