from django.urls import path

from . import views

app_name = "workplan"
_P = "programmes/<slug:slug>/work-plan/"
urlpatterns = [
    path(_P, views.plan, name="plan"),
    path(f"{_P}timeline/", views.timeline, name="timeline"),
    path(f"{_P}timeline.<slug:file_format>", views.timeline_file, name="timeline_file"),
    path(f"{_P}deliverables/<int:pk>/", views.deliverable, name="deliverable"),
    path(
        f"{_P}deliverables/<int:pk>/record/<slug:step>/",
        views.deliverable_step_view,
        name="deliverable_step",
    ),
    path(f"{_P}deliverables/<int:pk>/files/<int:step_pk>/", views.step_file, name="step_file"),
    path(f"{_P}deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable_edit"),
    path(f"{_P}packages/new/", views.work_package_new, name="work_package_new"),
    path(f"{_P}packages/<int:number>/edit/", views.work_package_edit, name="work_package_edit"),
    path(f"{_P}packages/<int:number>/tasks/new/", views.task_new, name="task_new"),
    path(
        f"{_P}packages/<int:number>/deliverables/new/",
        views.deliverable_new,
        name="deliverable_new",
    ),
    path(f"{_P}packages/<int:number>/milestones/new/", views.milestone_new, name="milestone_new"),
    path(f"{_P}tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path(f"{_P}milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    # The public site: public deliverables and their files as submitted.
    path("deliverables/", views.public_index, name="public_index"),
    path("deliverables/<slug:slug>/<int:pk>/file/", views.public_file, name="public_file"),
]
