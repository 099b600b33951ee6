"""Migration 0007 appends petitioners' names to the search column, never a denouncer's."""

from typing import Any

import pytest
from django.db import connection

from danvan.petitions.models import Petition
from danvan.petitions.services import PetitionerInput, petition_receive, petition_search_text
from danvan.petitions.tests.conftest import COMMUNE
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

PERSON = PetitionerInput(name="Đặng Thị Mai", phone="0912000111")


def _without_names(kind: PetitionKind) -> Petition:
    received = petition_receive(
        kind=kind,
        channel="portal",
        title="Cống thoát nước bị tắc",
        content="Nước tràn lên mặt đường.",
        commune_code=COMMUNE,
        petitioners=[PERSON],
    )
    petition = Petition.objects.get(code=received.code)
    # As stored before this version: code, title and content only.
    old = petition_search_text(
        code=petition.code, title=petition.title, content=petition.content, kind=kind
    )
    Petition.objects.filter(pk=petition.pk).update(search_text=old)
    return petition


def test_names_are_appended_except_for_denunciations() -> None:
    import importlib

    migration: Any = importlib.import_module(
        "danvan.petitions.migrations.0007_search_text_with_names"
    )
    feedback = _without_names(PetitionKind.FEEDBACK)
    denunciation = _without_names(PetitionKind.DENUNCIATION)

    migration.append_names(connection)

    feedback.refresh_from_db()
    denunciation.refresh_from_db()
    assert feedback.search_text.endswith(" dang thi mai")
    assert feedback.search_text == petition_search_text(
        code=feedback.code,
        title=feedback.title,
        content=feedback.content,
        kind=PetitionKind.FEEDBACK,
        names=[PERSON.name],
    )
    assert "mai" not in denunciation.search_text.split()
