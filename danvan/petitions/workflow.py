"""The petition workflow as a table of states, actions and petition kinds.

`TRANSITIONS` says which action leads from which status to which status;
`KIND_ACTIONS` says which actions a petition kind knows at all (a dialogue
and an appeal to the second instance exist only for complaints, an
extension only for denunciations). Both are data, with the legal basis next
to each row, and are read by the pure functions below; the service that
applies an action (next step) calls `require()` under a row lock and writes
the case event. `manage.py render_workflow` renders the tables into
`docs/workflow.md`.

Suspension (*tạm đình chỉ*) is the one action whose target is not a
constant: `RESUME` returns to the status held before `SUSPEND`, which the
caller passes as `previous` (the case event of the suspension records it).

Sources: Luật Khiếu nại 2011 (02/2011/QH13) Art. 27–41; Luật Tố cáo 2018
(25/2018/QH14) Art. 24–35; NĐ 124/2020/NĐ-CP as amended by NĐ 155/2026/NĐ-CP
(Art. 7a, 16, 28, 28a, 28b); TT 05/2021/TT-TTCP (classification and
filing); Luật Tiếp công dân 2013 Art. 28; NĐ 20/2008/NĐ-CP Art. 9, 14.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.db.models import TextChoices
from django.utils.translation import gettext, pgettext_lazy


class PetitionKind(TextChoices):
    """What a petition asks for, judged by its content (TT 05/2021 Art. 6)."""

    FEEDBACK = "feedback", pgettext_lazy("petition kind", "Feedback")
    RECOMMENDATION = "recommendation", pgettext_lazy("petition kind", "Recommendation")
    COMPLAINT = "complaint", pgettext_lazy("petition kind", "Complaint")
    DENUNCIATION = "denunciation", pgettext_lazy("petition kind", "Denunciation")


class Status(TextChoices):
    """Where a petition stands in the organization that holds it."""

    RECEIVED = "received", pgettext_lazy("petition status", "Received")
    AWAITING_INFORMATION = (
        "awaiting_information",
        pgettext_lazy("petition status", "Awaiting information"),
    )
    CLASSIFIED = "classified", pgettext_lazy("petition status", "Classified")
    ACCEPTED = "accepted", pgettext_lazy("petition status", "Accepted")
    VERIFYING = "verifying", pgettext_lazy("petition status", "Verifying")
    DIALOGUE = "dialogue", pgettext_lazy("petition status", "In dialogue")
    SUSPENDED = "suspended", pgettext_lazy("petition status", "Suspended")
    DECIDED = "decided", pgettext_lazy("petition status", "Decided or concluded")
    NOTIFIED = "notified", pgettext_lazy("petition status", "Result notified")
    CLOSED = "closed", pgettext_lazy("petition status", "Closed")
    TRANSFERRED = "transferred", pgettext_lazy("petition status", "Transferred")
    GUIDED = "guided", pgettext_lazy("petition status", "Guided elsewhere")
    FILED = "filed", pgettext_lazy("petition status", "Filed away")
    WITHDRAWN = "withdrawn", pgettext_lazy("petition status", "Withdrawn")
    APPEALED = "appealed", pgettext_lazy("petition status", "Appealed to the second instance")


class Action(TextChoices):
    """A step a handler (or the citizen, for a withdrawal) takes on a petition."""

    RECEIVE = "receive", pgettext_lazy("petition action", "Receive")
    CLASSIFY = "classify", pgettext_lazy("petition action", "Classify")
    REQUEST_INFORMATION = (
        "request_information",
        pgettext_lazy("petition action", "Request more information"),
    )
    ACCEPT = "accept", pgettext_lazy("petition action", "Accept")
    TRANSFER = "transfer", pgettext_lazy("petition action", "Transfer")
    GUIDE = "guide", pgettext_lazy("petition action", "Guide to the competent body")
    FILE = "file", pgettext_lazy("petition action", "File away")
    VERIFY = "verify", pgettext_lazy("petition action", "Verify")
    HOLD_DIALOGUE = "hold_dialogue", pgettext_lazy("petition action", "Hold a dialogue")
    EXTEND = "extend", pgettext_lazy("petition action", "Extend the time limit")
    SUSPEND = "suspend", pgettext_lazy("petition action", "Suspend")
    RESUME = "resume", pgettext_lazy("petition action", "Resume")
    DECIDE = "decide", pgettext_lazy("petition action", "Decide or conclude")
    NOTIFY = "notify", pgettext_lazy("petition action", "Notify the result")
    CLOSE = "close", pgettext_lazy("petition action", "Close")
    WITHDRAW = "withdraw", pgettext_lazy("petition action", "Withdraw")
    APPEAL = "appeal", pgettext_lazy("petition action", "Appeal to the second instance")
    REOPEN = "reopen", pgettext_lazy("petition action", "Reopen")


#: The status of a petition just stored, reached by `Action.RECEIVE`.
INITIAL_STATUS: Final = Status.RECEIVED

#: The statuses a case may be suspended in, hence where `RESUME` may return.
#: NĐ 124/2020 Art. 28a–28b (as amended by NĐ 155/2026) for complaints;
#: Luật Tố cáo 2018, tạm đình chỉ việc giải quyết tố cáo, for denunciations.
SUSPENDABLE: Final[frozenset[Status]] = frozenset(
    {Status.ACCEPTED, Status.VERIFYING, Status.DIALOGUE}
)

# One row per status: the actions allowed in it and the status each leads to.
# A row whose action a kind does not know (KIND_ACTIONS) is not offered for
# that kind. Self-loops record a step without changing the status.
_TRANSITIONS: dict[Status, dict[Action, Status]] = {
    Status.RECEIVED: {
        # Vào sổ, phân loại: TT 05/2021 Art. 6; Luật Tố cáo Art. 24(1).
        Action.CLASSIFY: Status.CLASSIFIED,
        # The form lacks what classification needs (TT 05/2021 Art. 6;
        # Luật Khiếu nại Art. 8(2); Luật Tố cáo Art. 23).
        Action.REQUEST_INFORMATION: Status.AWAITING_INFORMATION,
        # Luật Khiếu nại Art. 10; Luật Tố cáo Art. 33.
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.AWAITING_INFORMATION: {
        # The citizen's supplement is received; classification starts again.
        Action.RECEIVE: Status.RECEIVED,
        # No supplement: ineligible, filed away (TT 05/2021 Art. 6).
        Action.FILE: Status.FILED,
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.CLASSIFIED: {
        # Thụ lý: Luật Khiếu nại Art. 27 (first instance), Art. 36 (second);
        # NĐ 124/2020 Art. 16(1); Luật Tố cáo Art. 29. For feedback and
        # recommendations: taken up for handling (NĐ 20/2008 Art. 14).
        Action.ACCEPT: Status.ACCEPTED,
        # Not competent: Luật Tố cáo Art. 24(2) (5 working days), TT 05/2021
        # Art. 14 (a denunciation is transferred once), NĐ 20/2008 Art.
        # 9(1)(d), Luật Tiếp công dân Art. 28(1)(d).
        Action.TRANSFER: Status.TRANSFERRED,
        # Not competent, in person: Luật Tố cáo Art. 24(2); TT 05/2021.
        Action.GUIDE: Status.GUIDED,
        # Ineligible, duplicate or anonymous: TT 05/2021 Art. 6; Luật Khiếu
        # nại Art. 11; Luật Tố cáo Art. 24(3), 25.
        Action.FILE: Status.FILED,
        Action.REQUEST_INFORMATION: Status.AWAITING_INFORMATION,
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.ACCEPTED: {
        # Luật Khiếu nại Art. 29, 38; Luật Tố cáo Art. 28(2), 31.
        Action.VERIFY: Status.VERIFYING,
        # A petition whose facts are already clear is answered directly.
        Action.DECIDE: Status.DECIDED,
        # Luật Tố cáo Art. 30: extended once (complex), twice (especially
        # complex), each by at most 30 days; NĐ 31/2019 Art. 3.
        Action.EXTEND: Status.ACCEPTED,
        # NĐ 124/2020 Art. 28a–28b as amended; Luật Khiếu nại Art. 11a.
        Action.SUSPEND: Status.SUSPENDED,
        # Luật Khiếu nại Art. 33(1): the first-instance period expired with
        # no decision. The service checks that the period has expired.
        Action.APPEAL: Status.APPEALED,
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.VERIFYING: {
        # Evidence asked of the parties; the clock keeps running (Luật Khiếu
        # nại Art. 29).
        Action.REQUEST_INFORMATION: Status.VERIFYING,
        # Luật Khiếu nại Art. 30 (first instance), Art. 38 (second, where NĐ
        # 124/2020 Art. 28 as amended makes it mandatory).
        Action.HOLD_DIALOGUE: Status.DIALOGUE,
        # Luật Khiếu nại Art. 31, 40 (decision); Luật Tố cáo Art. 35
        # (conclusion).
        Action.DECIDE: Status.DECIDED,
        Action.EXTEND: Status.VERIFYING,
        Action.SUSPEND: Status.SUSPENDED,
        Action.APPEAL: Status.APPEALED,
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.DIALOGUE: {
        # The dialogue showed facts that need verifying again.
        Action.VERIFY: Status.VERIFYING,
        # Luật Khiếu nại Art. 30(3): the dialogue is one basis of the decision.
        Action.DECIDE: Status.DECIDED,
        Action.SUSPEND: Status.SUSPENDED,
        Action.APPEAL: Status.APPEALED,
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.SUSPENDED: {
        # RESUME is not listed: its target is the status before SUSPEND, see
        # `resume_target` (NĐ 124/2020 Art. 28b as amended: the time limit
        # runs again from the resume decision).
        # NĐ 124/2020 Art. 7a as amended: all complainants withdraw.
        Action.WITHDRAW: Status.WITHDRAWN,
    },
    Status.DECIDED: {
        # Luật Khiếu nại Art. 32, 41 (send the decision); Luật Tố cáo Art.
        # 35 (notify the conclusion); Luật Tiếp công dân Art. 28;
        # NĐ 20/2008 Art. 19 (publish the answer).
        Action.NOTIFY: Status.NOTIFIED,
    },
    Status.NOTIFIED: {
        Action.CLOSE: Status.CLOSED,
        # Luật Khiếu nại Art. 33(1): within 30 days (45 in remote areas) of
        # receiving the first-instance decision.
        Action.APPEAL: Status.APPEALED,
    },
    Status.CLOSED: {
        # The citizen's rating or a superior's request reopens handling.
        Action.REOPEN: Status.ACCEPTED,
        # Luật Khiếu nại Art. 33(1); the service checks the 30/45-day window.
        Action.APPEAL: Status.APPEALED,
    },
    Status.TRANSFERRED: {
        # The competent body in this system receives it under the same code.
        Action.RECEIVE: Status.RECEIVED,
    },
    Status.GUIDED: {},
    Status.FILED: {
        # Filed in error (e.g. an identified author after all): classify again.
        Action.REOPEN: Status.RECEIVED,
    },
    Status.WITHDRAWN: {},
    Status.APPEALED: {
        # The second-instance body receives it under the same code
        # (instance 2, Luật Khiếu nại Art. 33, 36).
        Action.RECEIVE: Status.RECEIVED,
    },
}

#: The workflow table: for each status, each allowed action and its target.
TRANSITIONS: Final[Mapping[Status, Mapping[Action, Status]]] = MappingProxyType(
    {status: MappingProxyType(row) for status, row in _TRANSITIONS.items()}
)

_COMMON: Final = frozenset(
    {
        Action.RECEIVE,
        Action.CLASSIFY,
        Action.REQUEST_INFORMATION,
        Action.ACCEPT,
        Action.TRANSFER,
        Action.GUIDE,
        Action.FILE,
        Action.VERIFY,
        Action.DECIDE,
        Action.NOTIFY,
        Action.CLOSE,
        Action.WITHDRAW,
        Action.REOPEN,
    }
)

#: The actions each kind knows, whatever its status.
KIND_ACTIONS: Final[Mapping[PetitionKind, frozenset[Action]]] = MappingProxyType(
    {
        # NĐ 20/2008 Art. 9, 14; Luật Tiếp công dân Art. 28; TT 05/2021.
        PetitionKind.FEEDBACK: _COMMON,
        PetitionKind.RECOMMENDATION: _COMMON,
        # Luật Khiếu nại: dialogue Art. 30, 38; second instance Art. 33;
        # suspension Art. 11a and NĐ 124/2020 Art. 28a–28b as amended. The
        # law grants no extension: a complex case has a longer fixed limit.
        PetitionKind.COMPLAINT: _COMMON
        | {Action.HOLD_DIALOGUE, Action.SUSPEND, Action.RESUME, Action.APPEAL},
        # Luật Tố cáo: extension Art. 30; suspension (tạm đình chỉ). A new
        # denunciation to the superior (Art. 37) is a new petition, not an
        # appeal, and the law has no dialogue.
        PetitionKind.DENUNCIATION: _COMMON | {Action.EXTEND, Action.SUSPEND, Action.RESUME},
    }
)

#: Statuses where handling by the holding organization has ended: no clock
#: runs and the case leaves the inbox. Only RECEIVE (by the competent or the
#: second-instance body), REOPEN and APPEAL lead out of some of them.
TERMINAL: Final[frozenset[Status]] = frozenset(
    {
        Status.CLOSED,
        Status.TRANSFERRED,
        Status.GUIDED,
        Status.FILED,
        Status.WITHDRAWN,
        Status.APPEALED,
    }
)


class InvalidTransition(Exception):
    """An action that the workflow does not allow now (an API answers 409).

    `str(error)` is a sentence in the active language naming the action,
    the kind and the status.
    """

    def __init__(self, status: Status, action: Action, kind: PetitionKind) -> None:
        """Build the message in the active language."""
        self.status = Status(status)
        self.action = Action(action)
        self.kind = PetitionKind(kind)
        self.message = gettext(
            "The action “%(action)s” is not allowed on a petition of kind “%(kind)s” "
            "in status “%(status)s”."
        ) % {
            "action": self.action.label,
            "kind": self.kind.label,
            "status": self.status.label,
        }
        super().__init__(self.message)


def allowed_actions(status: Status, kind: PetitionKind) -> list[Action]:
    """Return the actions allowed on a petition of `kind` in `status`.

    In the order of `Action`, so that a page shows them in a stable order.
    """
    known = KIND_ACTIONS[PetitionKind(kind)]
    status = Status(status)
    available = set(TRANSITIONS[status])
    if status is Status.SUSPENDED:
        available.add(Action.RESUME)
    return [action for action in Action if action in available and action in known]


def resume_target(previous: Status) -> Status:
    """Return where a suspended case goes back to: the status it was in.

    NĐ 124/2020 Art. 28b (as amended by NĐ 155/2026): "thời hạn giải quyết
    khiếu nại tiếp tục được tính từ ngày ban hành quyết định tiếp tục giải
    quyết khiếu nại"; the handling picks up where it stopped.
    """
    previous = Status(previous)
    if previous not in SUSPENDABLE:
        raise ValueError(
            f"A case cannot have been suspended while {previous.value!r}; "
            f"suspension is allowed from {sorted(s.value for s in SUSPENDABLE)}."
        )
    return previous


def require(
    status: Status,
    action: Action,
    kind: PetitionKind,
    *,
    previous: Status | None = None,
) -> Status:
    """Return the status that `action` leads to, or raise `InvalidTransition`.

    For `Action.RESUME`, `previous` is the status held before the
    suspension (recorded by the suspension's case event) and is required.
    """
    status, action, kind = Status(status), Action(action), PetitionKind(kind)
    if action not in allowed_actions(status, kind):
        raise InvalidTransition(status, action, kind)
    if action is Action.RESUME:
        if previous is None:
            raise ValueError("Resuming needs the status held before the suspension.")
        return resume_target(previous)
    return TRANSITIONS[status][action]


def is_terminal(status: Status) -> bool:
    """Return whether handling has ended in `status` (no clock runs)."""
    return Status(status) in TERMINAL


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def render_markdown() -> str:
    """Render the workflow tables as Markdown, labels in Vietnamese and English."""
    from django.utils import translation

    def labels(choice: Status | Action | PetitionKind) -> tuple[str, str]:
        with translation.override("vi"):
            vietnamese = str(choice.label)
        with translation.override("en"):
            english = str(choice.label)
        return vietnamese, english

    lines = [
        "## Statuses",
        "",
        "| Status | Tiếng Việt | English | Terminal |",
        "|---|---|---|---|",
    ]
    for status in Status:
        vi, en = labels(status)
        terminal = "yes" if is_terminal(status) else ""
        lines.append(f"| `{status.value}` | {_cell(vi)} | {_cell(en)} | {terminal} |")

    lines += ["", "## Actions", "", "| Action | Tiếng Việt | English |", "|---|---|---|"]
    for action in Action:
        vi, en = labels(action)
        lines.append(f"| `{action.value}` | {_cell(vi)} | {_cell(en)} |")

    lines += [
        "",
        "## Transitions",
        "",
        f"A new petition starts in `{INITIAL_STATUS.value}` (action `receive`). "
        "`resume` returns to the status held before `suspend` "
        f"(one of {', '.join(f'`{s.value}`' for s in Status if s in SUSPENDABLE)}).",
        "",
        "| From | Action | To | Kinds |",
        "|---|---|---|---|",
    ]
    for status in Status:
        row = dict(TRANSITIONS[status])
        for action in Action:
            if action is Action.RESUME and status is Status.SUSPENDED:
                target = "(status before `suspend`)"
            elif action in row:
                target = f"`{row[action].value}`"
            else:
                continue
            knowing = [kind.value for kind in PetitionKind if action in KIND_ACTIONS[kind]]
            shown = "all" if len(knowing) == len(PetitionKind) else ", ".join(knowing)
            lines.append(f"| `{status.value}` | `{action.value}` | {target} | {shown} |")

    kinds = list(PetitionKind)
    lines += [
        "",
        "## Actions per kind",
        "",
        "| Action | " + " | ".join(f"`{kind.value}`" for kind in kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for action in Action:
        marks = " | ".join("✓" if action in KIND_ACTIONS[kind] else "" for kind in kinds)
        lines.append(f"| `{action.value}` | {marks} |")
    return "\n".join(lines) + "\n"
