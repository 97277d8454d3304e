"""Translating the catalogues in chunks of JSON (see docs/translations.md).

    .venv/bin/python tools/translation_chunks.py status
    .venv/bin/python tools/translation_chunks.py export LANG [SIZE]   untranslated and fuzzy
        entries to var/translations/LANG/in/NNN.json, with the French as a hint
    .venv/bin/python tools/translation_chunks.py check LANG NNN       one chunk's answers
        (var/translations/LANG/out/NNN.json) checked, nothing written
    .venv/bin/python tools/translation_chunks.py merge LANG           every checked answer
        written into locale/LANG/LC_MESSAGES/django.po
    .venv/bin/python tools/translation_chunks.py init LANG            a new language's
        catalogue, from the French one with every translation empty

A translator (a person or a helper) answers each chunk with a JSON object from the entry's `n`
to its translation (a list of the plural forms for a plural entry); `check` refuses an answer
whose placeholders, HTML tags or line breaks differ from the English (the first plural form is
held to the singular, the second to the plural, as Babel checks them).
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

import polib  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "translations"
PLURALS = {
    "el": "nplurals=2; plural=(n != 1);",
    "ca": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "nl": "nplurals=2; plural=(n != 1);",
    "fi": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "tr": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
NAMES = {
    "el": "Greek",
    "ca": "Catalan",
    "es": "Spanish",
    "de": "German",
    "pl": "Polish",
    "nl": "Dutch",
    "fi": "Finnish",
    "pt": "Portuguese",
    "lv": "Latvian",
    "tr": "Turkish",
}
PERCENT = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_.]*\}|\{\d*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")


def po_path(lang):
    return REPO / "locale" / lang / "LC_MESSAGES" / "django.po"


def translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def init(lang):
    path = po_path(lang)
    if path.exists():
        print(f"{path} exists: left alone")
        return
    source = polib.pofile(str(po_path("fr")))
    target = polib.POFile(wrapwidth=79)
    target.metadata = dict(source.metadata)
    target.metadata["Language"] = lang
    target.metadata["Plural-Forms"] = PLURALS[lang]
    target.metadata["Language-Team"] = f"{NAMES[lang]} <LL@li.org>"
    target.header = source.header
    for entry in source:
        if entry.obsolete:
            continue
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgctxt=entry.msgctxt,
            occurrences=entry.occurrences,
            flags=[f for f in entry.flags if f != "fuzzy"],
            comment=entry.comment,
            tcomment="",
        )
        if entry.msgid_plural:
            forms = int(PLURALS[lang].split(";")[0].split("=")[1])
            copy.msgstr_plural = dict.fromkeys(range(forms), "")
        target.append(copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    target.save(str(path))
    print(f"{path}: {len(target)} entries")


def key(entry):
    return json.dumps([entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""])


def export(lang, size=150):
    po = polib.pofile(str(po_path(lang)))
    french = {key(e): e for e in polib.pofile(str(po_path("fr")))}
    folder = WORK / lang / "in"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        if not (WORK / lang / "out" / old.name).exists():
            old.unlink()
    taken = {k for p in folder.glob("*.json") for k in json.loads(p.read_text())["keys"].values()}
    pending = [
        e
        for e in po
        if not e.obsolete and (not translated(e) or "fuzzy" in e.flags) and key(e) not in taken
    ]
    forms = int(PLURALS[lang].split(";")[0].split("=")[1])
    number = max((int(p.stem) for p in folder.glob("*.json")), default=0)
    for start in range(0, len(pending), size):
        number += 1
        items, keys = [], {}
        for n, entry in enumerate(pending[start : start + size], 1):
            item = {"n": n, "msgid": entry.msgid}
            if entry.msgid_plural:
                item["msgid_plural"] = entry.msgid_plural
                item["forms"] = forms
            if entry.msgctxt:
                item["context"] = entry.msgctxt
            ref = french.get(key(entry))
            if ref is not None:
                item["fr"] = (
                    [ref.msgstr_plural[i] for i in sorted(ref.msgstr_plural)]
                    if ref.msgid_plural
                    else ref.msgstr
                )
            if entry.occurrences:
                item["where"] = entry.occurrences[0][0]
            items.append(item)
            keys[str(n)] = key(entry)
        (folder / f"{number:03d}.json").write_text(
            json.dumps(
                {
                    "language": lang,
                    "plural_forms": PLURALS[lang],
                    "entries": items,
                    "keys": keys,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    print(f"{lang}: {len(pending)} entries in {-(-len(pending) // size)} new chunk(s) in {folder}")


def problems(msgid, text, allowed=None):
    found = []
    if not isinstance(text, str) or not text.strip():
        return ["empty"]
    if allowed is None:
        if Counter(PERCENT.findall(msgid)) != Counter(PERCENT.findall(text)):
            found.append(
                f"placeholders {sorted(PERCENT.findall(msgid))} != {sorted(PERCENT.findall(text))}"
            )
    else:
        extra = set(PERCENT.findall(text)) - allowed
        if extra:
            found.append(f"unknown placeholders {sorted(extra)}")
    if BRACE.findall(msgid) and Counter(BRACE.findall(msgid)) != Counter(BRACE.findall(text)):
        found.append(
            f"brace placeholders {sorted(BRACE.findall(msgid))} != {sorted(BRACE.findall(text))}"
        )
    if Counter(TAG.findall(msgid)) != Counter(TAG.findall(text)):
        found.append(f"HTML tags {sorted(TAG.findall(msgid))} != {sorted(TAG.findall(text))}")
    if msgid.endswith("\n") != text.endswith("\n") or msgid.startswith("\n") != text.startswith(
        "\n"
    ):
        found.append("leading/trailing newline differs from msgid")
    return found


def merge(lang, only=None):
    """Write every checked answer into the .po; with `only` (a chunk number), check that chunk
    and write nothing."""
    po = polib.pofile(str(po_path(lang)), wrapwidth=79)
    entries = {key(e): e for e in po}
    forms = int(PLURALS[lang].split(";")[0].split("=")[1])
    written = bad = 0
    for out in sorted((WORK / lang / "out").glob("*.json")):
        if only is not None and out.stem != f"{int(only):03d}":
            continue
        source = json.loads((WORK / lang / "in" / out.name).read_text())
        try:
            answers = json.loads(out.read_text())
        except json.JSONDecodeError as error:
            print(f"{out.name}: not valid JSON: {error}")
            bad += 1
            continue
        by_n = {str(item["n"]): item for item in source["entries"]}
        for n, text in answers.items():
            item = by_n.get(str(n))
            if item is None:
                print(f"{out.name} #{n}: no such entry")
                bad += 1
                continue
            entry = entries.get(source["keys"][str(n)])
            if entry is None:
                continue  # the msgid left the catalogue since the export
            if entry.msgid_plural:
                if not isinstance(text, list) or len(text) != forms:
                    print(f"{out.name} #{n}: needs a list of {forms} plural forms")
                    bad += 1
                    continue
                # As Babel checks: the first form may use only the singular's placeholders, the
                # second only the plural's, the others either.
                singular = set(PERCENT.findall(entry.msgid))
                plural = set(PERCENT.findall(entry.msgid_plural))
                held = [(entry.msgid, singular), (entry.msgid_plural, plural)]
                errors = []
                for i, form in enumerate(text):
                    english, allowed = held[i] if i < 2 else (entry.msgid_plural, singular | plural)
                    errors += problems(english, form, allowed)
                named = set(PERCENT.findall(entry.msgid_plural)) - set(PERCENT.findall(text[-1]))
                if named:
                    errors.append(f"last form lacks {sorted(named)}")
            else:
                errors = problems(entry.msgid, text)
            if errors:
                print(f"{out.name} #{n}: {'; '.join(errors)}  | msgid: {entry.msgid[:70]!r}")
                bad += 1
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(text))
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            written += 1
    if only is not None:
        print(
            f"{lang} chunk {only}: {written} good, {bad} refused "
            "(nothing written: run merge to write)"
        )
        return
    po.save(str(po_path(lang)))
    left = sum(1 for e in po if not e.obsolete and (not translated(e) or "fuzzy" in e.flags))
    print(f"{lang}: {written} written, {bad} refused, {left} still untranslated of {len(po)}")


def status():
    for path in sorted((REPO / "locale").glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(path))
        left = sum(1 for e in po if not e.obsolete and (not translated(e) or "fuzzy" in e.flags))
        print(f"{path.parts[-3]}: {left} untranslated or fuzzy of {len(po)}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "init":
        init(args[0])
    elif command == "export":
        export(args[0], int(args[1]) if len(args) > 1 else 150)
    elif command == "merge":
        merge(args[0])
    elif command == "check":
        merge(args[0], only=args[1])
    elif command == "status":
        status()
