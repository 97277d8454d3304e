"""The conference's after addresses (under the conference: namespace): a delegate's feedback
survey and certificate through their private link, and the survey's results for the
organisers and auditors."""

from django.urls import path

from ..views import after

C = "conferences/<slug:slug>/"
D = C + "registration/<str:token>/"

urlpatterns = [
    path(D + "feedback/", after.survey, name="feedback_survey"),
    path(D + "feedback/conference/", after.feedback, name="feedback_conference"),
    path(D + "feedback/sessions/<int:session_pk>/", after.feedback, name="feedback_session"),
    path(D + "certificate.pdf", after.certificate, name="certificate"),
    path(C + "organise/feedback/", after.results, name="feedback_results"),
]
