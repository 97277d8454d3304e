"""Every file field of the platform, as a test drives it: through its real view (a signed-in
person posting the form), through its form, and through its service. tests/core/test_uploads.py
posts every hostile sample to each, and fails when a file field exists that is not listed here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from action_plans.forms import ProgressForm, StepForm
from action_plans.models import PlanTransition, ProgressUpdate
from action_plans.services.monitoring import ProgressInput, progress_update_add
from action_plans.workflow import Step, plan_step
from assessments import selectors as assessment_selectors
from assessments.forms import SelfAssessmentForm
from assessments.models import Attachment
from assessments.services import self_assessment_save
from finance.forms import LineForm, OtherGrantForm, RatesImportForm
from finance.models import ExchangeRate, OtherGrantHours, Receipt
from finance.services.claims import LineInput, claim_line_add
from finance.services.other_grants import OtherGrantInput, other_grant_declare
from programmes.models import Person, Programme
from tests.action_plans.builders import adopt, athens_plan, endorsement
from tests.action_plans.test_workflow import _plan_in
from tests.assessments.test_self_assessments import _start
from tests.assessments.test_self_assessments import _url as assessment_url
from tests.finance.test_claims import _claim
from videos.forms import AppearanceForm, SubtitleForm
from videos.models import Appearance, Subtitle, Video
from videos.services import (
    AppearanceInput,
    VideoInput,
    appearance_add,
    subtitle_add,
    video_save,
)
from workplan.choices import Step as DeliverableStepKind
from workplan.forms import StepForm as DeliverableStepForm
from workplan.models import DeliverableStep
from workplan.workflow import StepInput, deliverable_step


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@dataclass
class Target:
    """One file field, set up for one person who may use it."""

    key: str
    policy: str
    field: str  # the form's field name, where its refusal is shown
    kept: str  # a value typed in the other fields, found again in the refused page
    model: Any = None  # where an accepted file is recorded (None: read, never stored)
    state: Any = None

    def setup(self, user_of: Any, client_of: Any) -> "Target":
        getattr(self, f"_setup_{self.key}")(user_of, client_of)
        return self

    def post(self, name: str, content: bytes) -> Any:
        return getattr(self, f"_post_{self.key}")(upload(name, content))

    def form(self, name: str, content: bytes) -> Any:
        return getattr(self, f"_form_{self.key}")(upload(name, content))

    def service(self, name: str, content: bytes) -> Any:
        """Call the service with the file; None where the form is the only way in."""
        method = getattr(self, f"_service_{self.key}", None)
        return method(upload(name, content)) if method else None

    def records(self) -> int:
        if self.key == "decision":
            return PlanTransition.objects.exclude(document="").count()
        if self.key == "evidence":
            return ProgressUpdate.objects.exclude(evidence="").count()
        if self.key == "deliverable":
            return DeliverableStep.objects.exclude(file="").count()
        if self.key == "video":
            return Video.objects.exclude(file="").count()
        if self.key == "consent":
            return Appearance.objects.exclude(consent_form="").count()
        return self.model.objects.count()

    def latest(self) -> tuple[Any, str, str]:
        """The file last accepted: its field, the name shown for it, its download's address."""
        if self.key == "receipt":
            receipt = Receipt.objects.latest("pk")
            claim = self.state["claim"]
            url = reverse("finance:receipt", args=["cities-grow", claim.pk, receipt.pk])
            return receipt.file, receipt.name, url
        if self.key == "attachment":
            attachment = Attachment.objects.latest("pk")
            return attachment.file, attachment.name, assessment_url("attachment", pk=attachment.pk)
        if self.key == "decision":
            decision = PlanTransition.objects.exclude(document="").latest("pk")
            url = reverse("action_plans:decision", args=["cities-grow", "athens", decision.pk])
            return decision.document, decision.document_name, url
        if self.key == "deliverable":
            step = DeliverableStep.objects.exclude(file="").latest("pk")
            url = reverse("workplan:step_file", args=["cities-grow", step.deliverable_id, step.pk])
            return step.file, step.file_name, url
        if self.key in ("video", "subtitle", "consent"):
            return self._latest_video_file()
        if self.key == "other_grant":
            declaration = OtherGrantHours.objects.latest("pk")
            url = reverse("finance:other_grant_evidence", args=["cities-grow", declaration.pk])
            return declaration.evidence, declaration.evidence_name, url
        update = ProgressUpdate.objects.exclude(evidence="").latest("pk")
        url = reverse("action_plans:evidence", args=["cities-grow", "athens", update.pk])
        return update.evidence, update.evidence_name, url

    # ---- the evidence of hours on another grant

    def _setup_other_grant(self, user_of: Any, client_of: Any) -> None:
        actor = user_of("athens-officer-1")
        self.state = {
            "actor": actor,
            "person": Person.objects.get(user=actor),
            "programme": Programme.objects.get(slug="cities-grow"),
            "client": client_of("athens-officer-1"),
            "url": reverse("finance:other_grants", args=["cities-grow"]),
        }

    def _other_grant_data(self) -> dict[str, str]:
        return {
            "year": "2017",
            "month": "",
            "grant": "ESF Inclusion Λ",
            "reference": "ESF-2016-GR-0042",
            "hours": "120",
        }

    def _post_other_grant(self, file: Any) -> Any:
        return self.state["client"].post(
            self.state["url"], {**self._other_grant_data(), "evidence": file}
        )

    def _form_other_grant(self, file: Any) -> Any:
        return OtherGrantForm(self._other_grant_data(), {"evidence": file}, years=[2017, 2018])

    def _service_other_grant(self, file: Any) -> Any:
        person = self.state["person"]
        return other_grant_declare(
            actor=self.state["actor"],
            programme=self.state["programme"],
            person=person,
            data=OtherGrantInput(
                year=2017, grant="ESF Inclusion", reference="ESF-1", hours=Decimal("120")
            ),
            evidence=file,
        )

    # ---- receipts of a claim's cost

    def _setup_receipt(self, user_of: Any, client_of: Any) -> None:
        claim = _claim(user_of)
        self.state = {
            "claim": claim,
            "actor": user_of("birmingham-officer-1"),
            "client": client_of("birmingham-officer-1"),
            "url": reverse("finance:claim_line_new", args=["cities-grow", claim.pk]),
        }

    def _line_data(self) -> dict[str, str]:
        return {
            "day": "2017-03-06",
            "kind": "travel",
            "supplier": "Ryanair Λτδ",
            "amount": "123.45",
            "currency": "GBP",
        }

    def _post_receipt(self, file: Any) -> Any:
        return self.state["client"].post(self.state["url"], {**self._line_data(), "receipt": file})

    def _form_receipt(self, file: Any) -> Any:
        return LineForm(self._line_data(), {"receipt": file})

    def _service_receipt(self, file: Any) -> Any:
        return claim_line_add(
            actor=self.state["actor"],
            claim=self.state["claim"],
            data=LineInput(date(2017, 3, 6), "travel", "Rail", Decimal("80"), "EUR"),
            receipts=[file],
        )

    # ---- attachments of a self-assessment

    def _setup_attachment(self, user_of: Any, client_of: Any) -> None:
        assessment = _start(user_of)
        self.state = {
            "assessment": assessment,
            "actor": user_of("athens-officer-1"),
            "client": client_of("athens-officer-1"),
        }

    def _assessment_data(self) -> dict[str, str]:
        assessment = self.state["assessment"]
        assessment.refresh_from_db()
        return {
            "revision": str(assessment.revision),
            "evidence_b2": "The youth strategy of 2017",
            "save": "",
        }

    def _post_attachment(self, file: Any) -> Any:
        return self.state["client"].post(
            assessment_url("assessment"), {**self._assessment_data(), "files_b2": [file]}
        )

    def _form_attachment(self, file: Any) -> Any:
        assessment = self.state["assessment"]
        return SelfAssessmentForm(
            self._assessment_data(),
            {"files_b2": file},
            ratings=list(assessment.ratings.select_related("key_factor")),
            scale=assessment_selectors.rating_scale(assessment.programme),
        )

    def _service_attachment(self, file: Any) -> Any:
        assessment = self.state["assessment"]
        assessment.refresh_from_db()
        return self_assessment_save(
            actor=self.state["actor"],
            assessment=assessment,
            expected_revision=assessment.revision,
            ratings={},
            attachments={"b2": [file]},
        )

    # ---- the decision document of a plan's endorsement

    def _setup_decision(self, user_of: Any, client_of: Any) -> None:
        from action_plans.choices import PlanStatus

        plan = _plan_in(user_of, PlanStatus.APPROVED)
        self.state = {
            "plan": plan,
            "actor": user_of("athens-approver-political"),
            "client": client_of("athens-approver-political"),
            "url": reverse("action_plans:step", args=["cities-grow", "athens", "endorse"]),
        }

    def _decision_data(self) -> dict[str, str]:
        return {"body": "Athens City Council", "decided_on": "2018-10-01", "reference": "412/2018"}

    def _post_decision(self, file: Any) -> Any:
        return self.state["client"].post(
            self.state["url"], {**self._decision_data(), "document": file}
        )

    def _form_decision(self, file: Any) -> Any:
        return StepForm(self._decision_data(), {"document": file}, endorse=True)

    def _service_decision(self, file: Any) -> Any:
        return plan_step(
            actor=self.state["actor"],
            plan=self.state["plan"],
            step=Step.ENDORSE,
            endorsement=endorsement(document=file),
        )

    # ---- the evidence of an action's progress

    def _setup_evidence(self, user_of: Any, client_of: Any) -> None:
        plan = athens_plan(user_of)
        adopt(user_of, plan)
        action = plan.actions.get()
        self.state = {
            "action": action,
            "actor": user_of("athens-officer-1"),
            "client": client_of("athens-officer-1"),
            "url": reverse("action_plans:progress", args=["cities-grow", "athens", action.pk]),
        }

    def _progress_data(self) -> dict[str, str]:
        return {
            "progress": "",
            "on": "2019-03-01",
            "state": "on_track",
            "percent": "40",
            "note": "The desk opened in March",
        }

    def _post_evidence(self, file: Any) -> Any:
        return self.state["client"].post(
            self.state["url"], {**self._progress_data(), "evidence": file}
        )

    def _form_evidence(self, file: Any) -> Any:
        return ProgressForm(self._progress_data(), {"evidence": file})

    def _service_evidence(self, file: Any) -> Any:
        return progress_update_add(
            actor=self.state["actor"],
            action=self.state["action"],
            data=ProgressInput(on=date(2019, 3, 1), state="on_track", percent=40, evidence=file),
        )

    # ---- a deliverable as submitted to the funder (the interim report, D5.1)

    def _setup_deliverable(self, user_of: Any, client_of: Any) -> None:
        from tests.workplan.builders import deliverable

        interim = deliverable("D5.1")
        self.state = {
            "deliverable": interim,
            "actor": user_of("coordinator-1"),
            "client": client_of("coordinator-1"),
            "url": reverse("workplan:deliverable_step", args=["cities-grow", interim.pk, "submit"]),
        }

    def _deliverable_data(self) -> dict[str, str]:
        return {"on": "2018-03-05", "link": "", "comment": "Sent through the funder portal"}

    def _post_deliverable(self, file: Any) -> Any:
        return self.state["client"].post(
            self.state["url"], {**self._deliverable_data(), "file": file}
        )

    def _form_deliverable(self, file: Any) -> Any:
        return DeliverableStepForm(
            self._deliverable_data(),
            {"file": file},
            step=DeliverableStepKind.SUBMIT,
            classified=False,
        )

    def _service_deliverable(self, file: Any) -> Any:
        return deliverable_step(
            actor=self.state["actor"],
            deliverable=self.state["deliverable"],
            step=DeliverableStepKind.SUBMIT,
            data=StepInput(on=date(2018, 3, 5), file=file),
        )

    # ---- the exchange rates' file (read, never stored)

    def _setup_exchange_rates(self, user_of: Any, client_of: Any) -> None:
        self.state = {
            "client": client_of("finance-1"),
            "url": reverse("finance:rates_import", args=["cities-grow"]),
        }

    def _post_exchange_rates(self, file: Any) -> Any:
        return self.state["client"].post(self.state["url"], {"file": file})

    def _form_exchange_rates(self, file: Any) -> Any:
        return RatesImportForm({}, {"file": file})

    # ---- the video catalogue: a video's file, its captions, a person's signed consent form

    def _latest_video_file(self) -> tuple[Any, str, str]:
        programme = "cities-grow"
        if self.key == "video":
            video = Video.objects.exclude(file="").latest("pk")
            url = reverse("videos:file", args=[programme, video.pk])
            return video.file, video.file_name, url
        if self.key == "subtitle":
            subtitle = Subtitle.objects.latest("pk")
            url = reverse("videos:subtitle_file", args=[programme, subtitle.video_id, subtitle.pk])
            return subtitle.file, subtitle.file_name, url
        person = Appearance.objects.exclude(consent_form="").latest("pk")
        url = reverse("videos:consent_form", args=[programme, person.video_id, person.pk])
        return person.consent_form, person.consent_form_name, url

    def _video_setup(self, user_of: Any, client_of: Any, url_name: str) -> None:
        from tests.videos.builders import athens_video

        actor = user_of("coordinator-1")
        video = athens_video(actor, external_url="https://youtu.be/dQw4w9WgXcQ")
        args = ["cities-grow"] if url_name == "videos:new" else ["cities-grow", video.pk]
        self.state = {
            "video": video,
            "actor": actor,
            "client": client_of("coordinator-1"),
            "url": reverse(url_name, args=args),
        }

    def _setup_video(self, user_of: Any, client_of: Any) -> None:
        self._video_setup(user_of, client_of, "videos:new")

    def _video_data(self) -> dict[str, str]:
        video = self.state["video"]
        return {
            "title": "Job desk Λθήνα",
            "summary": "The desk at work",
            "city_id": str(video.city_id),
            "theme_id": str(video.theme_id),
            "language": "el",
            "duration_seconds": "95",
            "external_url": "",
            "transcript": "",
        }

    def _post_video(self, file: Any) -> Any:
        return self.state["client"].post(self.state["url"], {**self._video_data(), "file": file})

    def _form_video(self, file: Any) -> Any:
        from videos.views import _video_form

        return _video_form(self.state["video"].programme, self._video_data(), {"file": file})

    def _service_video(self, file: Any) -> Any:
        video = self.state["video"]
        return video_save(
            actor=self.state["actor"],
            programme=video.programme,
            data=VideoInput(title="Desk", summary="At work", language="en", file=file),
        )

    def _setup_subtitle(self, user_of: Any, client_of: Any) -> None:
        self._video_setup(user_of, client_of, "videos:subtitle_new")

    def _post_subtitle(self, file: Any) -> Any:
        return self.state["client"].post(self.state["url"], {"language": "fr", "file": file})

    def _form_subtitle(self, file: Any) -> Any:
        return SubtitleForm({"language": "fr"}, {"file": file})

    def _service_subtitle(self, file: Any) -> Any:
        return subtitle_add(
            actor=self.state["actor"], video=self.state["video"], language="fr", file=file
        )

    def _setup_consent(self, user_of: Any, client_of: Any) -> None:
        self._video_setup(user_of, client_of, "videos:appearance_new")

    def _consent_data(self) -> dict[str, Any]:
        return {
            "name": "Eleni Λ.",
            "scopes": ["recording", "portal"],
            "signed_on": "2026-01-10",
            "expires_on": "",
        }

    def _post_consent(self, file: Any) -> Any:
        return self.state["client"].post(
            self.state["url"], {**self._consent_data(), "consent_form": file}
        )

    def _form_consent(self, file: Any) -> Any:
        return AppearanceForm(self._consent_data(), {"consent_form": file})

    def _service_consent(self, file: Any) -> Any:
        return appearance_add(
            actor=self.state["actor"],
            video=self.state["video"],
            data=AppearanceInput(name="Eleni", scope_portal=True, consent_form=file),
        )


def targets() -> list[Target]:
    return [
        Target("receipt", "receipts", "receipt", 'value="Ryanair Λτδ"', Receipt),
        Target("attachment", "attachments", "files_b2", "The youth strategy of 2017", Attachment),
        Target("decision", "decisions", "document", 'value="Athens City Council"'),
        Target("evidence", "evidence", "evidence", "The desk opened in March"),
        Target("deliverable", "deliverables", "file", "Sent through the funder portal"),
        Target("exchange_rates", "exchange_rates", "file", "", ExchangeRate),
        Target("video", "videos", "file", 'value="Job desk Λθήνα"'),
        Target("subtitle", "subtitles", "file", "", Subtitle),
        Target("consent", "consents", "consent_form", 'value="Eleni Λ."'),
        Target("other_grant", "evidence", "evidence", 'value="ESF Inclusion Λ"', OtherGrantHours),
    ]
