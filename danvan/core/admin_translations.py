"""Vietnamese for the Wagtail back-office strings that Wagtail's own
catalogue leaves untranslated.

Wagtail's Vietnamese catalogue covers about a tenth of its admin. The
msgids below are Wagtail's own (same text, no context); listing them here
keeps them in the project's catalogue (`locale/vi`), which Django consults
before the apps' catalogues. The better fix is upstream, in Wagtail's
translations; until then the most visible strings are translated here.

Since decision 0020 every other Wagtail message is translated in
`locale_wagtail/` (`scripts/wagtail_messages.py`); the project's catalogue
comes first, so the wording chosen here wins where both translate a msgid
(most of these are also the project's own: "Clear", "Next", "History").
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = (
    gettext_noop("Images"),
    gettext_noop("Documents"),
    gettext_noop("Reports"),
    gettext_noop("Help"),
    gettext_noop("Create"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Search…"),
    gettext_noop("History"),
    gettext_noop("Snippets"),
    gettext_noop("Clear"),
    gettext_noop("Actions"),
    gettext_noop("Collections"),
    gettext_noop("Workflows"),
    gettext_noop("Tasks"),
    gettext_noop("Locked pages"),
    gettext_noop("Aging pages"),
    gettext_noop("Site history"),
    gettext_noop("Log out"),
    gettext_noop("Sort by"),
    gettext_noop("Filter"),
    gettext_noop("Apply filters"),
    gettext_noop("There are no results."),
    gettext_noop("Show filters"),
    gettext_noop("Next"),
    gettext_noop("Previous"),
    gettext_noop("Page %(page_number)s of %(num_pages)s."),
    gettext_noop("Saved"),
    gettext_noop("Updated"),
    gettext_noop("Live"),
    # Django 6.1's empty choice of a select.
    gettext_noop("- Select an option -"),
)
