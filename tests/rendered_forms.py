"""What a browser would submit for a form of a rendered page: its hidden and text inputs, the
checked radios and boxes, each select's chosen (or first) option and its textareas, so a view
test posts the form the page really shows rather than fields it chose by hand."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action = action
        self.found = False
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.found:
            if self.action is None or a.get("action", "") == self.action:
                self.found = self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                self.data.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(html: str, action: str | None = None) -> dict[str, list[str]]:
    """The submitted fields of the page's first form (or the first whose action is `action`)."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form with action {action!r} on the page"
    data = reader.data
    data.pop("csrfmiddlewaretoken", None)
    return data
