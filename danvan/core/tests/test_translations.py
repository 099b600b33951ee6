"""Vietnamese is the first language: every message must be translated.

The catalogue is `locale/vi/LC_MESSAGES/django.po`; its compiled `.mo` is
committed so that a fresh machine needs no gettext tools to run the site.
"""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

_STRING = re.compile(r'^"(.*)"$')


def _unquote(text: str) -> str:
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path: Path) -> list[dict[str, object]]:
    """Return the entries of a .po file: msgid, msgid_plural, msgstrs, flags."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in current:
                entries.append(current)
            current, field = {}, ""
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            current["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        else:
            keyword, _, rest = line.partition(" ")
            if keyword.startswith(("msgid", "msgstr", "msgctxt")):
                field = keyword
                current[field] = _unquote(rest[1:-1])
            elif (match := _STRING.match(line)) and field:
                current[field] = str(current[field]) + _unquote(match.group(1))
    return entries


def messages(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    return [entry for entry in entries if entry["msgid"] != ""]


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = messages(parse_po(PO))
    assert len(entries) > 100
    untranslated = [
        entry["msgid"] for entry in entries if not (entry.get("msgstr") or entry.get("msgstr[0]"))
    ]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in str(entry.get("flags", ""))]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in messages(parse_po(PO)):
        msgid = str(entry["msgid"])
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            assert catalogue.ngettext(msgid, str(entry["msgid_plural"]), 1) == entry["msgstr[0]"]
        elif context is not None:
            assert catalogue.pgettext(str(context), msgid) == entry["msgstr"], msgid
        else:
            assert catalogue.gettext(msgid) == entry["msgstr"], msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_catalogue_holds_every_message_of_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.pyc", "__pycache__", ".*cache"),
    )
    (copy / "locale" / "vi" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "vi",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DEBUG": "1"},
        timeout=300,
    )
    in_code = {str(e["msgid"]) for e in messages(parse_po(copy / PO.relative_to(ROOT)))}
    in_catalogue = {str(e["msgid"]) for e in messages(parse_po(PO))}
    assert sorted(in_code - in_catalogue) == []
