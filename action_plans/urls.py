from django.urls import path

from . import views

app_name = "action_plans"
_PLAN = "programmes/<slug:slug>/plans/<slug:city>/"
urlpatterns = [
    path("programmes/<slug:slug>/plans/", views.plans_index, name="index"),
    path("programmes/<slug:slug>/plans-progress/", views.progress_dashboard, name="dashboard"),
    path(_PLAN, views.plan_detail, name="plan"),
    path(_PLAN + "start/", views.plan_start, name="start"),
    path(_PLAN + "edit/", views.plan_edit, name="edit"),
    path(_PLAN + "actions/new/", views.action_edit, name="action_new"),
    path(_PLAN + "actions/<int:pk>/", views.action_edit, name="action_edit"),
    path(_PLAN + "actions/<int:pk>/remove/", views.action_remove, name="action_remove"),
    path(_PLAN + "steps/<slug:step>/", views.plan_step_view, name="step"),
    path(_PLAN + "comments/", views.comment_add, name="comment_add"),
    path(_PLAN + "comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path(_PLAN + "comments/<int:pk>/apply/", views.comment_apply, name="comment_apply"),
    path(_PLAN + "versions/", views.plan_versions, name="versions"),
    path(_PLAN + "plan.pdf", views.plan_pdf_download, name="pdf"),
    path(_PLAN + "actions/<int:pk>/progress/", views.action_progress, name="progress"),
    path(_PLAN + "publication/", views.publication, name="publication"),
    path(_PLAN + "check-ins/<int:pk>/", views.check_in, name="check_in"),
    path("plans/", views.public_index, name="public_index"),
    path("plans/<slug:slug>/<slug:city>/", views.public_plan, name="public_plan"),
    path(_PLAN + "plan.docx", views.plan_docx_download, name="docx"),
    path(_PLAN + "decisions/<int:pk>/document/", views.decision_document, name="decision"),
    path(_PLAN + "evidence/<int:pk>/", views.evidence_document, name="evidence"),
]
