from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("programmes/<slug:slug>/finance/", views.home, name="home"),
    path("programmes/<slug:slug>/finance/inbox/", views.inbox, name="inbox"),
    path("programmes/<slug:slug>/finance/claims/new/", views.claim_new, name="claim_new"),
    path("programmes/<slug:slug>/finance/claims/<int:pk>/", views.claim_detail, name="claim"),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/lines/",
        views.claim_line_new,
        name="claim_line_new",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/lines/<int:line>/remove/",
        views.claim_line_delete,
        name="claim_line_remove",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/steps/<slug:step>/",
        views.claim_step,
        name="claim_step",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/check/",
        views.claim_check_view,
        name="claim_check",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/reimburse/",
        views.claim_reimburse_view,
        name="claim_reimburse",
    ),
    path(
        "programmes/<slug:slug>/finance/claims/<int:pk>/receipts/<int:receipt_pk>/",
        views.receipt,
        name="receipt",
    ),
]
