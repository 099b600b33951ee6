"""Vietnamese is the first language: every message must be translated.

The catalogue is `locale/vi/LC_MESSAGES/django.po`, and Wagtail's back-office
in `locale_wagtail/vi/LC_MESSAGES/django.po` (decision 0020); their compiled
`.mo` are committed so that a fresh machine needs no gettext tools to run
the site.
"""

import gettext
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
WAGTAIL_PO = ROOT / "locale_wagtail" / "vi" / "LC_MESSAGES" / "django.po"
WAGTAIL_JS_PO = WAGTAIL_PO.with_name("djangojs.po")
CATALOGUES = pytest.mark.parametrize(
    "po", [PO, WAGTAIL_PO, WAGTAIL_JS_PO], ids=["project", "wagtail", "wagtail-js"]
)

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


@CATALOGUES
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    entries = messages(parse_po(po))
    assert len(entries) > 50
    untranslated = [
        entry["msgid"] for entry in entries if not (entry.get("msgstr") or entry.get("msgstr[0]"))
    ]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in str(entry.get("flags", ""))]
    assert untranslated == []
    assert fuzzy == []


@CATALOGUES
def test_compiled_catalogue_matches_the_po_file(po: Path) -> None:
    with po.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in messages(parse_po(po)):
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
    # makemessages writes the project's catalogue only, never Wagtail's.
    wagtail_copy = copy / WAGTAIL_PO.relative_to(ROOT)
    assert wagtail_copy.read_bytes() == WAGTAIL_PO.read_bytes()


def _msgstr(po: Path, msgid: str) -> str:
    (entry,) = [e for e in messages(parse_po(po)) if e["msgid"] == msgid and "msgctxt" not in e]
    return str(entry.get("msgstr") or entry.get("msgstr[0]"))


@pytest.mark.django_db
def test_wagtails_own_screens_and_scripts_speak_vietnamese() -> None:
    """Wagtail's messages that its catalogue leaves in English come from
    `locale_wagtail/` (decision 0020), for templates and for the scripts."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.create_superuser("quantri", password="Thu-Nghiem@2026")
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(admin)
    page = client.get("/admin/pages/").text
    for msgid in ("Keyboard shortcuts", "Toggle minimap", "Paste without formatting"):
        vietnamese = _msgstr(WAGTAIL_PO, msgid)
        assert vietnamese != msgid
        assert vietnamese in page
        assert f">{msgid}<" not in page
    # The catalogue of the scripts is JSON, every letter outside ASCII escaped.
    scripts = client.get("/admin/jsi18n/").text
    for msgid in ("Collapse all", "Write something or type ‘/’ to insert a block"):
        vietnamese = _msgstr(WAGTAIL_JS_PO, msgid)
        assert vietnamese != msgid
        assert json.dumps(vietnamese)[1:-1] in scripts
