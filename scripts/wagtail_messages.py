"""Maintain `locale_wagtail/vi/LC_MESSAGES/`: Wagtail's back-office in Vietnamese.

Wagtail's own Vietnamese catalogues translate about a tenth of its screens
(134 of the admin's 902 messages in Wagtail 8), so staff saw English in
the page editor, images, documents, users and settings. This catalogue
fills the rest; it is the second entry of `LOCALE_PATHS`, so it overrides
Wagtail's catalogues and yields to the project's own (`locale/`), and
`makemessages` never touches it (decision 0020).

Maintenance only (needs `pip install polib`); add `djangojs` at the end of
either command for the catalogue of the admin's scripts:

    python scripts/wagtail_messages.py missing > /tmp/missing.json
        every message of the installed Wagtail (and taggit) that neither
        Wagtail's Vietnamese catalogues nor this one translate, as JSON:
        after an upgrade of Wagtail, translate these;
    python scripts/wagtail_messages.py add /tmp/done.json
        add translations (`{key: text}`, key = "context\\x04msgid" or msgid)
        to this catalogue, then run `make messages` to compile it.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale_wagtail" / "vi" / "LC_MESSAGES"
#: The two domains: "django" (templates and Python) and "djangojs" (the admin's scripts).
DOMAINS = ("django", "djangojs")
#: The installed packages whose messages the back-office shows.
PACKAGES = ("wagtail", "taggit")


def _polib():  # type: ignore[no-untyped-def]
    try:
        import polib
    except ImportError:
        sys.exit("This maintenance script needs polib: .venv/bin/pip install polib")
    return polib


def _key(entry) -> str:  # type: ignore[no-untyped-def]
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def _catalogue(domain: str) -> Path:
    return LOCALE / f"{domain}.po"


def _catalogues(language: str, domain: str) -> list[Path]:
    """Return the catalogues in `language` of the installed apps of `PACKAGES`."""
    import os

    import django
    from django.apps import apps

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    found = []
    for app in apps.get_app_configs():
        if app.name.split(".")[0] in PACKAGES:
            path = Path(app.path) / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                found.append(path)
    return found


def missing(domain: str = "django") -> list[dict[str, object]]:
    """Return the messages that no Vietnamese catalogue translates yet."""
    polib = _polib()
    done = set()
    for path in [*_catalogues("vi", domain), _catalogue(domain)]:
        if path.exists():
            done |= {_key(e) for e in polib.pofile(str(path)).translated_entries()}
    out, seen = [], set()
    for path in _catalogues("en", domain):
        for entry in polib.pofile(str(path)):
            key = _key(entry)
            if entry.obsolete or key in done or key in seen:
                continue
            seen.add(key)
            out.append(
                {
                    "key": key,
                    "context": entry.msgctxt,
                    "msgid": entry.msgid,
                    "msgid_plural": entry.msgid_plural or None,
                    "where": [place for place, _line in entry.occurrences][:3],
                    "flags": entry.flags,
                }
            )
    return out


def _messages(domain: str) -> dict[str, object]:
    """Return every message of the installed packages' English catalogues, by key."""
    polib = _polib()
    found: dict[str, object] = {}
    for path in _catalogues("en", domain):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                found.setdefault(_key(entry), entry)
    return found


def add(translations: dict[str, str], domain: str = "django") -> int:
    """Add `translations` (by key, or by msgid for every context) to the
    catalogue; return how many. A message Wagtail already translates may be
    given too: this catalogue wins (to keep the glossary's terms)."""
    polib = _polib()
    path = _catalogue(domain)
    if path.exists():
        catalogue = polib.pofile(str(path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue = polib.POFile()
        catalogue.metadata = {
            "Project-Id-Version": "danvan (Wagtail back-office)",
            "Language": "vi",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    present = {_key(entry) for entry in catalogue}
    added = 0
    for key, source in _messages(domain).items():
        text = translations.get(key) or translations.get(source.msgid) or ""  # type: ignore[attr-defined]
        if not text.strip() or key in present:
            continue
        entry = polib.POEntry(
            msgctxt=source.msgctxt,  # type: ignore[attr-defined]
            msgid=source.msgid,  # type: ignore[attr-defined]
            flags=[flag for flag in source.flags if flag != "fuzzy"],  # type: ignore[attr-defined]
        )
        if source.msgid_plural:  # type: ignore[attr-defined]
            entry.msgid_plural = source.msgid_plural  # type: ignore[attr-defined]
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        catalogue.append(entry)
        present.add(key)
        added += 1
    catalogue.sort(key=lambda entry: (entry.msgctxt or "", entry.msgid))
    catalogue.save(str(path))
    return added


def main() -> None:
    args = sys.argv[1:]
    domain = args.pop() if args and args[-1] in DOMAINS else "django"
    if args == ["missing"]:
        json.dump(missing(domain), sys.stdout, ensure_ascii=False, indent=1)
    elif len(args) == 2 and args[0] == "add":
        translations = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        added = add(translations, domain)
        sys.stdout.write(f"added {added} translations to {_catalogue(domain).relative_to(ROOT)}\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
