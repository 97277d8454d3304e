"""A statement is prepared by one finance officer and signed off by another when the programme
separates the duties: the preparer is refused with the reason, a second officer succeeds, and
the statement's page, list and history name both. Without the separation the preparer may sign
it off; other roles never do."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.errors import DomainError
from finance.models import Statement, StatementFiles
from finance.services.statement_files import statement_files_request
from finance.services.statements import statement_create, statement_sign_off
from programmes.models import Programme
from tests.finance.test_ledger import _worked_example

pytestmark = pytest.mark.django_db
REFUSAL = "You prepared this statement: another finance officer signs it off."


def _prepared(user_of):
    return statement_create(
        actor=user_of("finance-1"),
        programme=_worked_example(user_of),
        kind="interim",
        period_end=date(2017, 6, 30),
    )


def _urls(statement):
    args = [statement.programme.slug, statement.pk]
    return reverse("finance:statement", args=args), reverse("finance:statement_sign_off", args=args)


def test_the_preparer_is_refused_and_a_second_officer_signs_off(user_of, client_of):
    statement = _prepared(user_of)
    page_url, sign_off_url = _urls(statement)
    page = client_of("finance-1").get(page_url).content.decode()
    assert "Prepared, to be signed off" in page and sign_off_url in page
    refused = client_of("finance-1").post(sign_off_url)
    assert refused.status_code == 400
    assert REFUSAL in refused.content.decode()
    statement.refresh_from_db()
    assert (statement.status, statement.signed_off_by) == ("prepared", None)
    with pytest.raises(DomainError, match="another finance officer signs it off"):
        statement_sign_off(actor=user_of("finance-1"), statement=statement)

    second = client_of("finance-2")
    assert second.post(sign_off_url).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNED_OFF
    assert statement.signed_off_by == user_of("finance-2")
    assert statement.signed_off_at is not None
    # The history names who prepared it and who signed it off.
    history = list(statement.history.order_by("history_date"))
    assert [(h.history_user, h.history_change_reason) for h in history] == [
        (user_of("finance-1"), "created"),
        (user_of("finance-2"), "signed off"),
    ]
    page = second.get(page_url).content.decode()
    assert user_of("finance-1").get_full_name() in page
    assert user_of("finance-2").get_full_name() in page
    assert sign_off_url not in page  # nothing left to sign off
    listing = second.get(reverse("finance:statements", args=[statement.programme.slug]))
    assert "Signed off" in listing.content.decode()
    assert user_of("finance-2").get_full_name() in listing.content.decode()
    # Signed off once only.
    with pytest.raises(DomainError, match="signed off already"):
        statement_sign_off(actor=user_of("finance-1"), statement=statement)


def test_without_separate_duties_the_preparer_signs_off(user_of):
    statement = _prepared(user_of)
    Programme.objects.filter(pk=statement.programme_id).update(separate_duties=False)
    statement = Statement.objects.select_related("programme").get(pk=statement.pk)
    signed = statement_sign_off(actor=user_of("finance-1"), statement=statement)
    assert (signed.status, signed.signed_off_by) == ("signed_off", user_of("finance-1"))
    assert signed.history.latest().history_user == user_of("finance-1")


def test_only_finance_officers_sign_off(user_of, client_of):
    statement = _prepared(user_of)
    page_url, sign_off_url = _urls(statement)
    for key in ("coordinator-1", "auditor-1"):
        assert sign_off_url not in client_of(key).get(page_url).content.decode()
        refused = client_of(key).post(sign_off_url)
        assert refused.status_code == 400
        assert "Only the programme's finance officers sign off" in refused.content.decode().replace(
            "&#x27;", "'"
        )
    assert client_of("athens-officer-1").post(sign_off_url).status_code == 404
    statement.refresh_from_db()
    assert statement.status == "prepared"


def test_the_files_are_generated_again_to_name_who_signed_off(
    user_of, django_capture_on_commit_callbacks
):
    """Files generated before the sign-off say "not yet"; signing off generates them again in
    each language asked for, and the new PDF names the second officer."""
    statement = _prepared(user_of)
    with django_capture_on_commit_callbacks(execute=True):
        for language in ("en", "fr"):
            statement_files_request(
                actor=user_of("finance-1"), statement=statement, language=language
            )

    def pdf_text(language):
        files = StatementFiles.objects.get(statement=statement, language=language)
        assert files.status == "done"
        with files.pdf.open("rb") as stored:
            pages = PdfReader(io.BytesIO(stored.read())).pages
        return " ".join(" ".join(p.extract_text() for p in pages).split())

    signer = user_of("finance-2").get_full_name()
    assert signer not in pdf_text("en")
    with django_capture_on_commit_callbacks(execute=True):
        statement_sign_off(actor=user_of("finance-2"), statement=statement)
    assert f"Signed off by: {signer}" in pdf_text("en")
    assert signer in pdf_text("fr")
