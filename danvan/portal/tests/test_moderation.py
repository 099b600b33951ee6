"""The news desk: an editor writes and submits, a head approves and publishes.

Wagtail's workflow "Duyệt tin" (migration portal.0003).
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import WorkflowState

from danvan.portal.models import ArticlePage
from danvan.portal.tests.news_factories import (
    _empty_page_cache,  # noqa: F401 (autouse fixture)
    home,
    section,
)

pytestmark = pytest.mark.django_db
PASSWORD = "x-Strong-Pass-1"


def _user(username: str, group: str) -> Any:
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def _draft(author: Any) -> ArticlePage:
    page = ArticlePage(title="Bài chờ duyệt", slug="bai-cho-duyet", lead="Tóm tắt.", live=False)
    page.body = []
    section().add_child(instance=page)
    page.save_revision(user=author)
    return page


def test_the_news_desk_groups_and_workflow_exist_after_migrate() -> None:
    workflow = home().get_workflow()
    assert workflow is not None
    assert workflow.name == "Duyệt tin"
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["Lãnh đạo duyệt tin"]
    assert section().get_workflow() == workflow  # every article under the home page


def test_an_editor_cannot_publish_but_a_head_can() -> None:
    editor = _user("bientap", "Biên tập viên")
    head = _user("lanhdao", "Lãnh đạo duyệt tin")
    page = _draft(editor)
    assert section().permissions_for_user(editor).can_add_subpage()
    assert page.permissions_for_user(editor).can_edit()
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(head).can_publish()


def test_an_editors_publish_request_in_the_admin_leaves_the_article_unpublished() -> None:
    editor = _user("bientap", "Biên tập viên")
    page = _draft(editor)
    client = Client()
    client.force_login(editor)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "title": page.title,
            "slug": page.slug,
            "lead": page.lead,
            "body-count": "0",
            "tags": "",
            "action-publish": "publish",
        },
    )
    assert response.status_code in (200, 302, 403)
    page.refresh_from_db()
    assert not page.live


def test_a_submitted_article_is_published_when_a_head_approves() -> None:
    editor = _user("bientap", "Biên tập viên")
    head = _user("lanhdao", "Lãnh đạo duyệt tin")
    page = _draft(editor)
    workflow = page.get_workflow()
    state = workflow.start(page, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    # Only a head may act on the task.
    assert task.get_actions(page, editor) == []
    assert "approve" in [name for name, *_ in task.get_actions(page, head)]
    task.on_action(task_state, head, "approve")
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED
