"""Wagtail's keyboard-shortcuts dialog, rendered once per language and platform.

Every back-office page carries the dialog (hidden until "?" is pressed):
about thirty rows rendered through Wagtail's dialog and help-block
components, about 1 ms of CPU a page, 5–7 % of the inbox page
(docs/benchmarks.md, issue 3, seventh round). Its markup depends only on
what Wagtail's own tag puts in its context: the labels (the language, and
the platform read from the User-Agent: "⌘" on a Mac, "Ctrl" elsewhere),
whether the user turned the shortcuts off, and whether comments are on;
plus the address of the account page. No user data is in it. So the markup
is kept in this process, keyed by exactly those values, and Wagtail's tag
computes them on every page as before: a change of any of them renders the
dialog anew.
"""

from typing import Any

from django.template import Library
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: Wagtail's template of the dialog (`wagtailadmin_tags.keyboard_shortcuts_dialog`).
TEMPLATE_NAME = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"

#: Rendered dialogs by their key; a few languages × platforms × two settings.
_rendered: dict[tuple[Any, ...], str] = {}
#: A bound on the entries, should keys ever multiply (a new key is rendered, not kept).
MAX_ENTRIES = 64


def dialog_key(values: dict[str, Any]) -> tuple[Any, ...]:
    """Return what the dialog's markup depends on, from the context that
    Wagtail's tag made (`values`): the language, the script prefix of the
    account link, the user's setting and every label shown."""
    shortcuts = tuple(
        (
            str(category_id),
            str(category_label),
            tuple((str(label), str(keys)) for label, keys in (row for row in rows if row)),
        )
        for (category_id, category_label), rows in values["shortcuts"].items()
    )
    return (
        get_language(),
        get_script_prefix(),
        bool(values["keyboard_shortcuts_enabled"]),
        shortcuts,
    )


def install(library: Library, original: Any) -> None:
    """Register a keeping `keyboard_shortcuts_dialog` in Wagtail's tag `library`.

    `original` is Wagtail's own tag function, which gives the dialog's
    context (the template is Wagtail's, unchanged).
    """

    def keyboard_shortcuts_dialog(context: Any) -> SafeString:
        values = original(context)
        key = dialog_key(values)
        html = _rendered.get(key)
        if html is None:
            # As Django's inclusion tags render (`InclusionNode.render`).
            template = context.template.engine.get_template(TEMPLATE_NAME)
            html = template.render(context.new(values))
            if len(_rendered) < MAX_ENTRIES:
                _rendered[key] = html
        return mark_safe(html)  # noqa: S308 - Wagtail's own template's output

    library.simple_tag(takes_context=True, name="keyboard_shortcuts_dialog")(
        keyboard_shortcuts_dialog
    )
