"""The documents a citizen or an officer attaches to a petition.

`attachments_check` refuses what may not be stored, with messages that say
what to fix; `attachments_store` stores the files in the protected storage
(outside the web root, served only by `views_files`) inside the caller's
transaction, so that a petition and its documents are stored together or
not at all.

The type is read from the content (`filetype`, magic numbers), never from
the file name or the browser's content type, both of which the sender
chooses. Allowed:

- PDF, JPEG and PNG: fixed signatures at the start of the file;
- DOCX and ODT: ZIP containers whose first entries name the format
  (`[Content_Types].xml` with `word/`, or a `mimetype` entry holding the
  OpenDocument text type), which `filetype` checks;

and not the old binary Word format (DOC): it is an OLE2 container whose
header is the same as Excel, PowerPoint and installer files, `filetype`
tells them apart only by a few bytes that many writers do not put there,
and it carries macros. A citizen with a DOC file is asked to save it as
PDF or DOCX.

Documents a denouncer sends may show their identity or handwriting (Luật
Tố cáo 2018 Art. 47(1)(a)): `reveals_identity` defaults to on for a
denunciation, so that only those who may see the denouncer open them.
"""

import hashlib
from collections.abc import Sequence
from typing import Any, Final

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, ngettext

from danvan.core.audit import Actor, audit_record
from danvan.core.formats import format_number
from danvan.petitions.actions import user_or_none
from danvan.petitions.models import Attachment, Petition
from danvan.petitions.workflow import PetitionKind

#: The detected content types that may be stored, with a short name to show.
ALLOWED_TYPES: Final[dict[str, str]] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
}

#: The file extensions offered by the file picker (a hint only; not checked).
ACCEPT_ATTRIBUTE: Final = ".pdf,.jpg,.jpeg,.png,.docx,.odt"

DEFAULT_MAX_COUNT: Final = 5
DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
DEFAULT_MAX_TOTAL_BYTES: Final = 25 * 1024 * 1024

#: How much of the start of a file the type is read from (`filetype` reads 8 KiB).
_HEAD_BYTES: Final = 8192
_MEGABYTE: Final = 1024 * 1024
_NAME_MAX_LENGTH: Final = 255

#: An uploaded file as Django hands it over (its content is bytes).
type Upload = UploadedFile[bytes]


def max_count() -> int:
    """Return how many documents one petition may carry."""
    return int(getattr(settings, "PETITION_ATTACHMENT_MAX_COUNT", DEFAULT_MAX_COUNT))


def max_bytes() -> int:
    """Return the largest size of one document, in bytes."""
    return int(getattr(settings, "PETITION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_total_bytes() -> int:
    """Return the largest size of the documents sent at once, in bytes."""
    return int(getattr(settings, "PETITION_ATTACHMENT_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES))


def _megabytes(size: int) -> str:
    return format_number(size / _MEGABYTE, 1)


def _head(upload: Upload) -> bytes:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return bytes(head)


def detect_content_type(upload: Upload) -> str | None:
    """Return the allowed content type read from the start of `upload`, or None."""
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in ALLOWED_TYPES:
        return None
    return str(kind.mime)


def _display_name(upload: Upload) -> str:
    return (upload.name or gettext("(no name)"))[:_NAME_MAX_LENGTH]


def attachments_check(files: Sequence[Upload], *, existing: int = 0) -> None:
    """Refuse documents that may not be stored; say what to fix.

    Raise `ValidationError({"attachments": [messages]})` when there are more
    than `max_count()` documents with the `existing` ones, when one is empty
    or larger than `max_bytes()`, when together they are larger than
    `max_total_bytes()`, or when the content of one is not of an allowed
    type (`ALLOWED_TYPES`), whatever its name says.
    """
    messages: list[str] = []
    limit = max_count()
    if existing + len(files) > limit:
        left = max(limit - existing, 0)
        messages.append(
            ngettext(
                "Attach at most %(max)d file (%(left)d more allowed): remove %(extra)d.",
                "Attach at most %(max)d files (%(left)d more allowed): remove %(extra)d.",
                limit,
            )
            % {"max": limit, "left": left, "extra": existing + len(files) - limit}
        )
    per_file = max_bytes()
    total = 0
    for upload in files:
        name = _display_name(upload)
        size = upload.size or 0
        total += size
        if size == 0:
            messages.append(
                gettext("The file “%(name)s” is empty: choose the file again.") % {"name": name}
            )
            continue
        if size > per_file:
            messages.append(
                gettext(
                    "The file “%(name)s” is %(size)s MB: each file may be at most %(max)s MB. "
                    "Send a smaller file, for example a scan at a lower resolution."
                )
                % {"name": name, "size": _megabytes(size), "max": _megabytes(per_file)}
            )
            continue
        if detect_content_type(upload) is None:
            messages.append(
                gettext(
                    "The file “%(name)s” is not a PDF, JPEG, PNG, DOCX or ODT document "
                    "(judged by its content, not its name). Save it in one of these formats."
                )
                % {"name": name}
            )
    if total > max_total_bytes():
        messages.append(
            gettext("The files together are %(size)s MB: send at most %(max)s MB in all.")
            % {"size": _megabytes(total), "max": _megabytes(max_total_bytes())}
        )
    if messages:
        raise ValidationError({"attachments": messages})


def _digest(upload: Upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def attachments_store(
    *,
    petition: Petition,
    files: Sequence[Upload],
    actor: Actor,
    reveals_identity: bool | None = None,
) -> list[Attachment]:
    """Check and store `files` as attachments of `petition`; return them.

    Must run inside the transaction that stores or changes the petition:
    the rows are written with it, and the audit event records the count,
    sizes and types only (never the file names, which may name people).
    `reveals_identity` defaults to on for a denunciation (Luật Tố cáo 2018
    Art. 47(1)(a)) and off otherwise. A file written to storage before the
    transaction is rolled back stays there unreferenced, under its SHA-256,
    until `purge_orphan_attachments` (a daily job) deletes it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("attachments_store must run inside a transaction.")
    if not files:
        return []
    attachments_check(files, existing=petition.attachments.count())
    if reveals_identity is None:
        reveals_identity = petition.kind == PetitionKind.DENUNCIATION
    user = user_or_none(actor)
    stored: list[Attachment] = []
    for upload in files:
        content_type = detect_content_type(upload)
        if content_type is None:  # pragma: no cover - refused by attachments_check
            raise ValidationError({"attachments": [gettext("Unknown file type.")]})
        attachment = Attachment(
            petition=petition,
            original_name=_display_name(upload),
            content_type=content_type,
            size=upload.size or 0,
            sha256=_digest(upload),
            reveals_identity=reveals_identity,
            uploaded_by=user,
        )
        attachment.file.save(attachment.sha256, upload, save=False)
        attachment.save(force_insert=True)
        stored.append(attachment)
    details: dict[str, Any] = {
        "code": petition.code,
        "attachment_ids": [a.pk for a in stored],
        "content_types": [a.content_type for a in stored],
        "sizes": [a.size for a in stored],
        "reveals_identity": reveals_identity,
    }
    audit_record(actor=actor, action="petition.attachments_store", target=petition, data=details)
    return stored
