"""Every spreadsheet the platform produces writes what people typed as text: a cell starting
with =, +, -, @, a tab or a carriage return never becomes a formula, and the platform's own
formulas (the statement's sums) still are formulas and still add up.

The files are made by the code that makes them for real (the queue's generation of a
statement, downloaded through its page; the practices' export page and command) from text
entered through the services people use (claim lines, practices) or saved as the admin saves
it (people's and organisations' names). The last test fails when a module writes a
spreadsheet without core.spreadsheets, or when a new producer has no test here."""

import ast
import csv
import io
import os
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from core.spreadsheets import (
    FORMULA_STARTS,
    Book,
    Formula,
    csv_file,
    csv_value,
    csv_value_read,
    is_formula_like,
)
from finance.models import StatementFiles
from finance.services.claims import (
    LineInput,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_reimburse,
    claim_submit,
)
from finance.services.rates import staff_rate_save
from finance.services.statement_files import statement_files_request
from finance.services.statements import statement_content, statement_create
from knowledge.models import GoodPractice
from knowledge.services.exchange import CSV_COLUMNS, practices_import
from knowledge.services.practices import LinkInput, practice_create
from programmes.models import Person, Programme, ProgrammePartner
from tests.conftest import email_of
from tests.finance.test_claims import _rates, pdf, travel_budget
from tests.finance.test_ledger import _month_of_hours
from tests.finance.xlsx_formulas import reconcile
from tests.knowledge.builders import practice_input

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
ROOT = Path(__file__).resolve().parents[2]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# ---------------------------------------------------------------- the rule itself


@pytest.mark.parametrize("text", [*HOSTILE, "'=1", "''+1", "plain", "", "'quoted", "a=1"])
def test_csv_escaping_is_reversible_and_leaves_nothing_formula_like(text):
    written = csv_value(text)
    assert not is_formula_like(written)
    assert written == (f"'{text}" if re.match(r"'*[=+\-@\t\r]", text) else text)
    assert csv_value_read(written) == text


def test_numbers_written_as_numbers_stay_numbers():
    assert csv_value(Decimal("-12.50")) == Decimal("-12.50")
    assert csv_value(-3) == -3
    assert csv_value("-12.50") == "'-12.50"  # typed into a text field: text
    rows = list(csv.reader(io.StringIO(csv_file([["amount", "supplier"], [-3, "-3"]]))))
    assert rows == [["amount", "supplier"], ["-3", "'-3"]]
    book = Book()
    sheet = book.sheet("S")
    sheet.append([Decimal("-12.50"), "-12.50"])
    cells = load_workbook(io.BytesIO(book.save()))["S"][1]
    assert (cells[0].value, cells[0].data_type) == (-12.5, "n")
    assert (cells[1].value, cells[1].data_type) == ("-12.50", "s")


def test_a_csv_field_with_a_semicolon_is_quoted():
    """A spreadsheet that splits on ';' must not find a new cell starting with '='."""
    text = csv_file([["a;=HYPERLINK(1)", "b"]])
    assert text.strip() == '"a;=HYPERLINK(1)","b"'


def test_only_formulas_written_as_formulas_are_formulas_in_a_book():
    book = Book()
    sheet = book.sheet("S")
    sheet.append(["=1+1", "#N/A", Formula("=SUM(1,2)"), "a\x01b"])
    sheet.worksheet["E1"] = "=EVIL()"  # written past the rule: still text once saved
    cells = load_workbook(io.BytesIO(book.save()))["S"][1]
    assert [c.data_type for c in cells] == ["s", "s", "f", "s", "s"]
    assert [c.value for c in cells] == ["=1+1", "#N/A", "=SUM(1,2)", "a\ufffdb", "=EVIL()"]
    assert cells[0].quotePrefix and cells[4].quotePrefix


# ---------------------------------------------------------------- the funder's statement


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _hostile_names(hostile: str) -> dict[str, set[str]]:
    """People's and organisations' names as the admin saves them, each starting with the
    hostile text; the organisations' names differ, and some have a criterion's wildcards."""
    names: dict[str, set[str]] = {"organisation": set(), "person": set()}
    partners = ProgrammePartner.objects.filter(programme=_programme()).select_related(
        "organisation"
    )
    for number, partner in enumerate(partners):
        organisation = partner.organisation
        organisation.name = hostile if number == 0 else f'{hostile} *?~"{number}'
        organisation.save()
        names["organisation"].add(organisation.name)
    for person in Person.objects.filter(user__username__in=_officers()):
        person.first_name = hostile
        person.save()
        names["person"].add(str(person))
    return names


def _officers():
    return [email_of("birmingham-officer-1"), email_of("gdansk-officer-1")]


def _statement_with(user_of, hostile: str):
    """The worked example's months and a claim whose suppliers people typed as formulas."""
    programme = _programme()
    finance = user_of("finance-1")
    _rates(user_of)
    for key, currency, cost in (
        ("birmingham-officer-1", "GBP", "41000.00"),
        ("gdansk-officer-1", "PLN", "96000.00"),
    ):
        staff_rate_save(
            actor=finance,
            programme=programme,
            person=Person.objects.get(user=user_of(key)),
            year=2017,
            currency=currency,
            annual_cost=Decimal(cost),
        )
    _month_of_hours(user_of, "birmingham-officer-1", "birmingham-approver-admin", "7.5", [6])
    _month_of_hours(user_of, "gdansk-officer-1", "gdansk-approver-admin", "5", [6])
    traveller = user_of("birmingham-officer-1")
    claim = claim_create(actor=traveller, programme=programme, purpose=hostile)
    for number, supplier in enumerate([hostile, *HOSTILE], start=1):
        claim_line_add(
            actor=traveller,
            claim=claim,
            data=LineInput(
                date(2017, 3, 6), "travel", supplier, Decimal(number), "EUR", description=hostile
            ),
            receipts=[pdf()],
        )
    claim = claim_submit(actor=traveller, claim=claim)
    decisions = {line.pk: ("accepted", "") for line in claim.lines.all()}
    claim = claim_check(actor=finance, claim=claim, decisions=decisions, revision=claim.revision)
    travel_budget(user_of)
    claim = claim_approve(actor=user_of("finance-2"), claim=claim)  # the duties are separated
    total = sum((line.amount_eur for line in claim.lines.all()), Decimal(0))
    claim_reimburse(
        actor=finance, claim=claim, paid_on=date(2017, 4, 3), amount_eur=total, reference="P-1"
    )
    suppliers = {line.supplier for line in claim.lines.all()}
    return (
        statement_create(
            actor=finance, programme=programme, kind="interim", period_end=date(2017, 6, 30)
        ),
        suppliers,
    )


def _downloaded_statement(client_of, user_of, statement, capture) -> bytes:
    """Generated by the queue's task, downloaded from the statement's page."""
    with capture(execute=True):
        statement_files_request(actor=user_of("finance-1"), statement=statement, language="en")
    assert StatementFiles.objects.get(statement=statement).status == StatementFiles.Status.DONE
    url = reverse("finance:statement_file", args=["cities-grow", statement.pk, "xlsx"])
    response = client_of("auditor-1").get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _formula_cells_in_xml(data: bytes) -> dict[str, set[str]]:
    """Which cells of each sheet the file itself stores as formulas (read without openpyxl)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    titles = [sheet.get("name") for sheet in book.iter(f"{MAIN}sheet")]
    found = {}
    for number, title in enumerate(titles, start=1):
        root = ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{number}.xml"))
        found[title] = {
            cell.get("r") for cell in root.iter(f"{MAIN}c") if cell.find(f"{MAIN}f") is not None
        }
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
def test_the_statement_xlsx_keeps_typed_text_as_text_and_its_own_sums_as_formulas(
    hostile, user_of, client_of, django_capture_on_commit_callbacks
):
    typed = _hostile_names(hostile)
    statement, typed["supplier"] = _statement_with(user_of, hostile)
    data = _downloaded_statement(client_of, user_of, statement, django_capture_on_commit_callbacks)
    book = load_workbook(io.BytesIO(data))

    # Every cell holding what people typed is a text cell with exactly their characters.
    everything_typed = set().union(*typed.values())
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                # XlsxWriter stores control characters as the standard's _xHHHH_ escapes,
                # which Excel decodes and openpyxl leaves as they are.
                value = unescape(cell.value) if isinstance(cell.value, str) else cell.value
                if value in everything_typed:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, value)
                    assert cell.quotePrefix == is_formula_like(value)
                if cell.data_type == "s":
                    texts.add(value)
    reported = {t.partner.organisation.name for t in statement_content(statement).partners}
    assert reported <= typed["organisation"] and len(reported) >= 3
    # Every supplier, person and reported partner is in the file, as text.
    assert typed["supplier"] | typed["person"] | reported <= texts
    # The detail columns of partners, people and suppliers hold nothing but what was typed.
    for title, columns in (
        ("Staff", {2: "organisation", 3: "person"}),
        ("Travel", {2: "organisation", 3: "person", 5: "supplier"}),
    ):
        for row in book[title].iter_rows(min_row=2):
            for column, kind in columns.items():
                assert row[column].data_type == "s"
                assert unescape(row[column].value) in typed[kind]

    # The only formulas in the file are the platform's, in the file itself too: each detail
    # row's derived figures (hourly rate, amount and EUR; a travel line's EUR), and the
    # Summary's sums, flat rate, co-financing and EU contribution.
    formulas = {
        sheet.title: {c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"}
        for sheet in book.worksheets
    }
    staff_rows = range(2, book["Staff"].max_row + 1)
    travel_rows = range(2, book["Travel"].max_row + 1)
    assert formulas["Staff"] == {f"{c}{r}" for r in staff_rows for c in "HKM"}
    assert formulas["Travel"] == {f"K{r}" for r in travel_rows}
    assert formulas["Rules"] == set()
    # Per partner: staff, travel, indirect, total, co-financing; the same sums; four lines.
    assert len(formulas["Summary"]) == 5 * len(reported) + 5 + 4
    assert _formula_cells_in_xml(data) == formulas
    # ... and they still compute the platform's figures from the detail sheets, whatever the
    # partners' names (the sums match partners by number, never by name).
    rows = reconcile(data)
    for label, (by_formula, by_platform) in rows.items():
        assert by_formula == by_platform, label
    assert len(rows) == len(formulas["Summary"])


# ---------------------------------------------------------------- the practices' export


def _hostile_practice(user_of, hostile: str) -> GoodPractice:
    """A practice whose every free-text field someone typed as a formula."""
    local = {"@": "=at", "\t": "=tab", "\r": "=cr"}.get(hostile[0], hostile[:4]).strip('"')
    return practice_create(
        actor=user_of("facilitator-b"),
        data=practice_input(
            reference=f"-1-{HOSTILE.index(hostile)}",
            title=hostile,
            city_name=hostile,
            organisation=hostile,
            summary=hostile,
            description=hostile,
            results=hostile,
            evidence=hostile,
            contact_name=hostile,
            contact_email=f"{local}@example.org",
            source_name=hostile,
            links=(LinkInput("website", "https://example.org/x", hostile, hostile),),
        ),
    )


def _check_practices_csv(text: str, practices: list[GoodPractice]) -> None:
    from knowledge.services.exchange import _flat, practice_record

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS
    written = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    for row in rows[1:]:
        for value in row:  # no field of any practice opens as a formula
            assert not is_formula_like(value), row
    for practice in practices:
        expected = _flat(practice_record(practice))
        reference = csv_value(practice.reference)
        assert reference.startswith("'-1-")  # the reference itself starts with "-"
        for column in CSV_COLUMNS:
            value = expected[column]
            assert written[reference][column] == str(csv_value(value)), column
        for column in ("title", "city", "summary", "results", "contact_name", "source_name"):
            assert written[reference][column] == f"'{expected[column]}", column


@pytest.mark.django_db
def test_the_practices_csv_keeps_typed_text_as_text_and_imports_back_unchanged(
    user_of, client_of, tmp_path
):
    practices = [_hostile_practice(user_of, hostile) for hostile in HOSTILE]
    response = client_of("facilitator-b").get(reverse("knowledge:practice_export") + "?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    _check_practices_csv(text, practices)
    # The command writes the same file.
    path = tmp_path / "practices.csv"
    call_command("export_practices", str(path), stdout=io.StringIO())
    assert path.read_bytes().decode("utf-8") == text
    # Importing the export gives back exactly what people typed: nothing changes.
    result = practices_import(actor=None, content=text, file_format="csv")
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated) == (0, 0)
    for practice in practices:
        stored = GoodPractice.objects.get(pk=practice.pk)
        assert stored.title == practice.title and stored.revision == practice.revision


@pytest.mark.django_db
def test_the_participants_xlsx_keeps_what_delegates_typed_as_text(user_of):
    from conference.documents.onsite import participants_document_xlsx
    from conference.selectors.onsite import Variant, participants_for_day
    from conference.services import register
    from tests.conference.builders import delegate, icc

    conference = icc(capacity=len(HOSTILE) + 1)
    for n, hostile in enumerate(HOSTILE):
        register(
            conference=conference,
            data=delegate(n, first_name=hostile, organisation=hostile, consent_listed=True),
        )
    found = participants_for_day(
        user_of("coordinator-1"), conference, date(2018, 11, 7), Variant.SIGN_IN
    )
    book = load_workbook(io.BytesIO(participants_document_xlsx(found)))
    typed = {hostile.strip() for hostile in HOSTILE}  # the form strips spaces, tabs, returns
    organisations = set()
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if cell.value in typed:
                assert cell.data_type == "s" and cell.quotePrefix == is_formula_like(cell.value)
                organisations.add(cell.value)
    assert organisations == typed


# ---------------------------------------------------------------- no producer left out

# Every module that writes spreadsheets through core.spreadsheets, and the test above that
# fills its text columns with formulas: a new producer adds its test here.
STATEMENT_TEST = test_the_statement_xlsx_keeps_typed_text_as_text_and_its_own_sums_as_formulas
PRACTICES_TEST = test_the_practices_csv_keeps_typed_text_as_text_and_imports_back_unchanged
COVERED = {
    "conference/documents/onsite.py": test_the_participants_xlsx_keeps_what_delegates_typed_as_text,
    "finance/exports.py": STATEMENT_TEST,
    "knowledge/services/exchange.py": PRACTICES_TEST,
}
HELPER = "core/spreadsheets.py"
# Spreadsheet writers: only core/spreadsheets.py uses them.
WRITING_MODULES = ("xlsxwriter", "xlwt", "odf", "ezodf", "pyexcel", "tablib", "pandas", "polars")
OPENPYXL_LOOKS = ("openpyxl.styles", "openpyxl.utils")  # fonts, widths, column letters
CSV_WRITERS = {"writer", "DictWriter"}
# Modules that name a spreadsheet's type or extension without writing one, and why.
NAMES_ONLY = {
    "finance/forms.py": "the exchange rates' upload accepts a CSV file",
    "finance/services/statement_files.py": "stores the XLSX finance/exports.py made",
    "knowledge/views.py": "serves the CSV knowledge/services/exchange.py made",
    "assessments/services/self_assessments.py": "attachments may be spreadsheets",
    "core/uploads": "the upload policy checks the spreadsheets people upload",
    "conference/views/onsite.py": "serves the XLSX conference/documents/onsite.py made",
}
SPREADSHEET_NAMES = re.compile(
    r"text/csv|tab-separated|spreadsheetml|ms-excel|opendocument\.spreadsheet|\.(csv|xlsx?|ods|tsv)\b"
)


def _sources():
    """The platform's Python modules (not the tests, migrations or installed packages)."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(
            d
            for d in subfolders
            if not d.startswith(".") and d not in {"tests", "migrations", "node_modules"}
        )
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(folder) / name
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _spreadsheet_writing(tree: ast.AST) -> list[str]:
    """What in a module writes spreadsheets (imports of writers, csv writers, pandas' to_*)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in WRITING_MODULES or (
                    alias.name.startswith("openpyxl") and alias.name not in OPENPYXL_LOOKS
                ):
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            openpyxl_writing = module.startswith("openpyxl") and module not in OPENPYXL_LOOKS
            if module.split(".")[0] in WRITING_MODULES or openpyxl_writing:
                found.append(f"from {module}")
            elif module == "csv" and CSV_WRITERS & {a.name for a in node.names}:
                found.append("from csv import a writer")
        elif isinstance(node, ast.Attribute):
            is_csv = isinstance(node.value, ast.Name) and node.value.id == "csv"
            if node.attr in CSV_WRITERS and is_csv:
                found.append(f"csv.{node.attr}")
            if node.attr in ("to_csv", "to_excel"):
                found.append(node.attr)
    return found


def test_no_module_writes_a_spreadsheet_past_the_rule():
    writing, naming, producers = {}, [], set()
    for relative, source in _sources():
        tree = ast.parse(source)
        if relative != HELPER and (found := _spreadsheet_writing(tree)):
            writing[relative] = found
        imports_helper = any(
            isinstance(node, ast.ImportFrom) and node.module == "core.spreadsheets"
            for node in ast.walk(tree)
        )
        if imports_helper:
            producers.add(relative)
        strings = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        if any(SPREADSHEET_NAMES.search(s) for s in strings):
            allowed = [p for p in NAMES_ONLY if relative == p or relative.startswith(p + "/")]
            if not (imports_helper or allowed or relative == HELPER):
                naming.append(relative)
    assert writing == {}, "write spreadsheets through core.spreadsheets"
    assert naming == [], "a spreadsheet's name without core.spreadsheets: add it to NAMES_ONLY?"
    assert producers == set(COVERED), "every producer has a test above with formula-like text"


def test_the_escaped_starts_are_the_owasp_list():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize(
    "source",
    [
        "import csv\ncsv.writer(out).writerow(row)",
        "from csv import DictWriter",
        "from openpyxl import Workbook",
        "import openpyxl",
        "import xlsxwriter",
        "frame.to_excel(path)",
    ],
)
def test_the_check_finds_a_spreadsheet_written_past_the_rule(source):
    assert _spreadsheet_writing(ast.parse(source))


def test_the_check_lets_reading_and_looks_through():
    source = "import csv\ncsv.reader(f)\ncsv.DictReader(f)\nfrom openpyxl.styles import Font"
    assert _spreadsheet_writing(ast.parse(source)) == []
