"""Fixtures of the petition tests."""

from django.utils import translation

#: Phường Mỹ Tho, Tỉnh Đồng Tháp (82), a current commune in the loaded units.
COMMUNE = 28261


def translated(message: str, language: str = "vi", **params: object) -> str:
    """Return `message` (an English msgid) as shown in `language`, placeholders filled."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text
