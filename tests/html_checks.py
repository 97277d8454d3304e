"""Structural accessibility checks every HTML page must pass (WCAG 2.1 AA basics that a parser
can verify: language, title, skip link, main landmark, labelled form controls)."""

from html.parser import HTMLParser


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang = ""
        self.title = ""
        self._in_title = False
        self.has_main = False
        self.has_skip_link = False
        self.label_fors: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.h1_count = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "main" and a.get("id") == "main":
            self.has_main = True
        elif tag == "a" and a.get("href") == "#main":
            self.has_skip_link = True
        elif tag == "label" and a.get("for"):
            self.label_fors.add(a["for"])
        elif tag == "h1":
            self.h1_count += 1
        elif tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append(a)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def accessibility_problems(html: str) -> list[str]:
    page = _PageParser()
    page.feed(html)
    problems = []
    if not page.html_lang:
        problems.append("no lang on <html>")
    if not page.title.strip():
        problems.append("empty <title>")
    if not page.has_main:
        problems.append("no <main id=main> landmark")
    if not page.has_skip_link:
        problems.append("no skip link to #main")
    if page.h1_count != 1:
        problems.append(f"{page.h1_count} <h1> headings")
    for control in page.controls:
        if control.get("id") not in page.label_fors and not control.get("aria-label"):
            problems.append(f"unlabelled control {control.get('name')}")
    return problems
