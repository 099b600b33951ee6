"""`purge_orphan_attachments`: files left by a rolled-back intake are deleted, others kept."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone

from danvan.petitions.models import Attachment
from danvan.petitions.tests.factories import make_petition

pytestmark = pytest.mark.django_db


def test_only_old_files_without_a_record_are_deleted() -> None:
    storage = storages["protected"]
    petition = make_petition()
    kept = Attachment.objects.create(
        petition=petition,
        file=ContentFile(b"%PDF-1.4 kept", name="kept.pdf"),
        original_name="kept.pdf",
        content_type="application/pdf",
        size=13,
        sha256="a" * 64,
    )
    orphan = storage.save("petitions/2026/bb/" + "b" * 64, ContentFile(b"%PDF-1.4 left"))
    later = timezone.now() + datetime.timedelta(hours=25)

    # A fresh orphan may belong to an intake still running: kept.
    call_command("purge_orphan_attachments", verbosity=0)
    assert storage.exists(orphan)

    with time_machine.travel(later):
        call_command("purge_orphan_attachments", verbosity=0)
    assert not storage.exists(orphan)
    assert storage.exists(kept.file.name)


def test_less_than_an_hour_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("purge_orphan_attachments", "--hours", "0")
