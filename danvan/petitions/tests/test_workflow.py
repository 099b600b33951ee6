"""The petition workflow table, its guards and its rendered document."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from danvan.petitions.management.commands.render_workflow import default_path
from danvan.petitions.workflow import (
    INITIAL_STATUS,
    KIND_ACTIONS,
    SUSPENDABLE,
    TRANSITIONS,
    Action,
    InvalidTransition,
    PetitionKind,
    Status,
    allowed_actions,
    is_terminal,
    render_markdown,
    require,
    resume_target,
)

S, A, K = Status, Action, PetitionKind

# The table written out again by hand, for a complaint (the kind that knows the
# most actions but EXTEND). RESUME goes back to the status before SUSPEND.
COMPLAINT_TABLE: dict[Status, dict[Action, Status | None]] = {
    S.RECEIVED: {
        A.CLASSIFY: S.CLASSIFIED,
        A.REQUEST_INFORMATION: S.AWAITING_INFORMATION,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.AWAITING_INFORMATION: {A.RECEIVE: S.RECEIVED, A.FILE: S.FILED, A.WITHDRAW: S.WITHDRAWN},
    S.CLASSIFIED: {
        A.ACCEPT: S.ACCEPTED,
        A.TRANSFER: S.TRANSFERRED,
        A.GUIDE: S.GUIDED,
        A.FILE: S.FILED,
        A.REQUEST_INFORMATION: S.AWAITING_INFORMATION,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.ACCEPTED: {
        A.VERIFY: S.VERIFYING,
        A.DECIDE: S.DECIDED,
        A.SUSPEND: S.SUSPENDED,
        A.APPEAL: S.APPEALED,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.VERIFYING: {
        A.REQUEST_INFORMATION: S.VERIFYING,
        A.HOLD_DIALOGUE: S.DIALOGUE,
        A.DECIDE: S.DECIDED,
        A.SUSPEND: S.SUSPENDED,
        A.APPEAL: S.APPEALED,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.DIALOGUE: {
        A.VERIFY: S.VERIFYING,
        A.DECIDE: S.DECIDED,
        A.SUSPEND: S.SUSPENDED,
        A.APPEAL: S.APPEALED,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.SUSPENDED: {A.RESUME: None, A.WITHDRAW: S.WITHDRAWN},
    S.DECIDED: {A.NOTIFY: S.NOTIFIED},
    S.NOTIFIED: {A.CLOSE: S.CLOSED, A.APPEAL: S.APPEALED},
    S.CLOSED: {A.REOPEN: S.ACCEPTED, A.APPEAL: S.APPEALED},
    S.TRANSFERRED: {A.RECEIVE: S.RECEIVED},
    S.GUIDED: {},
    S.FILED: {A.REOPEN: S.RECEIVED},
    S.WITHDRAWN: {},
    S.APPEALED: {A.RECEIVE: S.RECEIVED},
}
COMPLAINT_ONLY = {A.HOLD_DIALOGUE, A.APPEAL}
DENUNCIATION_ONLY = {A.EXTEND}
SUSPENSION = {A.SUSPEND, A.RESUME}


def expected_target(status: Status, action: Action, kind: PetitionKind) -> Status | bool | None:
    """Return the hand-written target, None for RESUME, False when forbidden."""
    row = dict(COMPLAINT_TABLE[status])
    if kind is K.DENUNCIATION:
        for action_only in COMPLAINT_ONLY:
            row.pop(action_only, None)
        if status in (S.ACCEPTED, S.VERIFYING):
            row[A.EXTEND] = status
    elif kind in (K.FEEDBACK, K.RECOMMENDATION):
        for action_only in COMPLAINT_ONLY | SUSPENSION:
            row.pop(action_only, None)
    return row.get(action, False)


ALL_TRIPLES = [(s, a, k) for s in Status for a in Action for k in PetitionKind]


@pytest.mark.parametrize(("status", "action", "kind"), ALL_TRIPLES)
def test_every_status_action_and_kind_is_allowed_or_refused_as_the_table_says(
    status: Status, action: Action, kind: PetitionKind
) -> None:
    expected = expected_target(status, action, kind)
    if expected is False:
        assert action not in allowed_actions(status, kind)
        with pytest.raises(InvalidTransition) as raised:
            require(status, action, kind, previous=S.VERIFYING)
        assert (raised.value.status, raised.value.action, raised.value.kind) == (
            status,
            action,
            kind,
        )
    elif expected is None:
        assert action in allowed_actions(status, kind)
        assert require(status, action, kind, previous=S.DIALOGUE) == S.DIALOGUE
    else:
        assert action in allowed_actions(status, kind)
        assert require(status, action, kind) == expected


def test_table_has_a_row_for_every_status_and_kind_actions_for_every_kind() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert set(KIND_ACTIONS) == set(PetitionKind)


def test_allowed_actions_come_in_a_stable_order() -> None:
    assert allowed_actions(S.CLASSIFIED, K.FEEDBACK) == [
        A.REQUEST_INFORMATION,
        A.ACCEPT,
        A.TRANSFER,
        A.GUIDE,
        A.FILE,
        A.WITHDRAW,
    ]


def test_dialogue_and_appeal_are_offered_only_for_complaints() -> None:
    for kind in PetitionKind:
        offered = A.HOLD_DIALOGUE in allowed_actions(S.VERIFYING, kind)
        assert offered is (kind is K.COMPLAINT)
        assert (A.APPEAL in allowed_actions(S.NOTIFIED, kind)) is (kind is K.COMPLAINT)


def test_only_denunciations_are_extended() -> None:
    for kind in PetitionKind:
        assert (A.EXTEND in allowed_actions(S.VERIFYING, kind)) is (kind is K.DENUNCIATION)


def test_refused_action_explains_itself_in_english() -> None:
    with translation.override("en"), pytest.raises(InvalidTransition) as raised:
        require(S.VERIFYING, A.HOLD_DIALOGUE, K.DENUNCIATION)
    assert str(raised.value) == (
        "The action “Hold a dialogue” is not allowed on a petition of kind “Denunciation” "
        "in status “Verifying”."
    )


def test_refused_action_message_follows_the_active_language() -> None:
    with translation.override("vi"), pytest.raises(InvalidTransition) as raised:
        require(S.CLOSED, A.VERIFY, K.COMPLAINT)
    with translation.override("vi"):
        labels = (str(A.VERIFY.label), str(K.COMPLAINT.label), str(S.CLOSED.label))
    for label in labels:
        assert f"“{label}”" in raised.value.message


def test_refused_action_accepts_plain_strings_from_the_database() -> None:
    with pytest.raises(InvalidTransition) as raised:
        require("closed", "verify", "feedback")  # type: ignore[arg-type]
    assert raised.value.status is S.CLOSED


@pytest.mark.parametrize(
    ("before", "kind"),
    [(s, K.COMPLAINT) for s in sorted(SUSPENDABLE)]
    + [(S.ACCEPTED, K.DENUNCIATION), (S.VERIFYING, K.DENUNCIATION)],
)
def test_resume_returns_to_the_status_held_before_suspension(
    before: Status, kind: PetitionKind
) -> None:
    suspended = require(before, A.SUSPEND, kind)
    assert suspended is S.SUSPENDED
    assert allowed_actions(suspended, kind) == [A.RESUME, A.WITHDRAW]
    assert require(suspended, A.RESUME, kind, previous=before) is before


def test_resume_without_the_previous_status_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="status held before the suspension"):
        require(S.SUSPENDED, A.RESUME, K.COMPLAINT)


def test_resume_cannot_return_to_a_status_that_cannot_be_suspended() -> None:
    with pytest.raises(ValueError, match="cannot have been suspended while 'closed'"):
        resume_target(S.CLOSED)
    with pytest.raises(ValueError, match="cannot have been suspended"):
        require(S.SUSPENDED, A.RESUME, K.COMPLAINT, previous=S.RECEIVED)


def test_feedback_cannot_be_suspended() -> None:
    assert A.SUSPEND not in allowed_actions(S.ACCEPTED, K.FEEDBACK)
    with pytest.raises(InvalidTransition):
        require(S.ACCEPTED, A.SUSPEND, K.FEEDBACK)


def test_terminal_statuses_are_those_where_handling_has_ended() -> None:
    assert {s for s in Status if is_terminal(s)} == {
        S.CLOSED,
        S.TRANSFERRED,
        S.GUIDED,
        S.FILED,
        S.WITHDRAWN,
        S.APPEALED,
    }


def test_only_receive_reopen_or_appeal_lead_out_of_a_terminal_status() -> None:
    for status in Status:
        if is_terminal(status):
            assert set(TRANSITIONS[status]) <= {A.RECEIVE, A.REOPEN, A.APPEAL}, status


def test_every_open_status_offers_a_way_forward_for_every_kind() -> None:
    for status in Status:
        if not is_terminal(status):
            for kind in PetitionKind:
                if status is S.DIALOGUE and kind is not K.COMPLAINT:
                    continue  # unreachable for other kinds
                assert allowed_actions(status, kind), (status, kind)


def test_every_status_is_reachable_from_a_new_complaint() -> None:
    seen, frontier = {INITIAL_STATUS}, [INITIAL_STATUS]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status, K.COMPLAINT):
            target = require(status, action, K.COMPLAINT, previous=S.ACCEPTED)
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(Status)


def test_markdown_lists_every_status_action_and_transition() -> None:
    text = render_markdown()
    for status in Status:
        assert f"| `{status.value}` |" in text
    for action in Action:
        assert f"| `{action.value}` |" in text
    assert "| `verifying` | `hold_dialogue` | `dialogue` | complaint |" in text
    assert "| `suspended` | `resume` | (status before `suspend`) | complaint, denunciation |" in (
        text
    )


def test_workflow_document_in_the_repository_is_up_to_date() -> None:
    out = StringIO()
    call_command("render_workflow", "--check", stdout=out)
    assert "is up to date" in out.getvalue()
    assert default_path().name == "workflow.md"


def test_check_fails_on_a_stale_document_and_writing_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "workflow.md"
    path.write_text("# old\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("render_workflow", "--check", "--path", str(path), stdout=StringIO())
    call_command("render_workflow", "--path", str(path), stdout=StringIO())
    assert "render_workflow" in path.read_text(encoding="utf-8").splitlines()[3]
    call_command("render_workflow", "--check", "--path", str(path), stdout=StringIO())


def test_check_fails_when_the_document_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="out of date"):
        call_command(
            "render_workflow", "--check", "--path", str(tmp_path / "none.md"), stdout=StringIO()
        )
