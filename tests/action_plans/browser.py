"""What a browser sends for a form as rendered: every input's value, every textarea's text, and
every select's selected option (or its first one, as a browser picks), with the data a person
types laid over it. A test that posts hand-picked fields misses a field the page sends that the
view does not expect (a blank row's select always sends a value)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        has = {k for k, _v in attrs}
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None or "disabled" in has:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in has:
                return
            self._form.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in has)
            self._option_text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # A browser drops the newline right after <textarea>.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self._form.append((self._textarea, text))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            self._options.append((value if value is not None else self._option_text, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            self._form.extend((self._select, value) for value in chosen[-1:])
            self._select = None


def browser_post_data(html: str, *, with_field: str, typed: dict[str, str] | None = None):
    """The data a browser posts for the form of the page that holds the field `with_field`, with
    what the person typed (`typed`, field name → text) in place of the rendered values."""
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if any(name == with_field for name, _v in f)]
    assert len(forms) == 1, f"{len(forms)} forms hold {with_field}"
    data: dict[str, list[str]] = {}
    for name, value in forms[0]:
        data.setdefault(name, []).append(value)
    for name, value in (typed or {}).items():
        assert name in data, f"the page has no field {name}"
        data[name] = [value]
    return data
