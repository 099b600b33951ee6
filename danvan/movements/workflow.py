"""The steps of a model's or an exemplar's recognition and the states they join.

    registered ──review──▶ under review ──recognize(level)──▶ recognized
        ▲                     │                                │  ▲
        │                     └──reject(reason)──▶ not recognized   │  └─renew (each year)
        └──────────────── review again ◀───────────┘          │
                                                 screen_out(reason)──▶ screened out

- *review* opens the file for evaluation (also again after a refusal, the
  next year);
- *recognize* needs an evaluation of the current year against the
  province's criteria that reached the province's pass mark (data:
  `criteria.pass_percent_for`), and a level;
- *reject* and *screen out* need a reason (Hội An practice, legal-rules.md
  §8: ineffective models are screened out);
- *renew* is the yearly re-review of a recognized one: a new evaluation of
  the year that passes keeps it, with a new `Recognition` row for the year;
  one that fails should be screened out.

Evaluations are recorded while under review or recognized. The
registering unit (or the commission) changes the file (its text and its
results) while it is `EDITABLE`: registered, under review or recognized
(a recognized one reports new figures for its yearly re-review), not once
it is closed with a reason (not recognized, screened out): the reason was
given on the file as it stood; a refused one is opened again by *review*,
after which it may be changed again.
"""

from enum import StrEnum
from typing import Final

from danvan.movements.models import RegistrationStatus as S


class Step(StrEnum):
    """A step of the recognition workflow."""

    REVIEW = "review"
    RECOGNIZE = "recognize"
    REJECT = "reject"
    RENEW = "renew"
    SCREEN_OUT = "screen_out"


#: For each step: the states it may be taken from, and the state it leads to.
TRANSITIONS: Final[dict[Step, tuple[frozenset[S], S]]] = {
    Step.REVIEW: (frozenset({S.REGISTERED, S.NOT_RECOGNIZED}), S.UNDER_REVIEW),
    Step.RECOGNIZE: (frozenset({S.UNDER_REVIEW}), S.RECOGNIZED),
    Step.REJECT: (frozenset({S.UNDER_REVIEW}), S.NOT_RECOGNIZED),
    Step.RENEW: (frozenset({S.RECOGNIZED}), S.RECOGNIZED),
    Step.SCREEN_OUT: (frozenset({S.RECOGNIZED}), S.SCREENED_OUT),
}

#: The states in which an evaluation may be recorded.
EVALUABLE: Final = frozenset({S.UNDER_REVIEW, S.RECOGNIZED})

#: The states in which the file (text and results) may still be changed.
EDITABLE: Final = frozenset({S.REGISTERED, S.UNDER_REVIEW, S.RECOGNIZED})


def steps_from(status: str) -> list[Step]:
    """Return the steps that may be taken from `status`, in workflow order."""
    return [step for step, (sources, _target) in TRANSITIONS.items() if status in sources]


def passes(total: int, maximum: int, *, pass_percent: int) -> bool:
    """Tell whether a total out of `maximum` reaches `pass_percent` percent
    of it (the province's pass mark, `criteria.pass_percent_for`)."""
    return maximum > 0 and total * 100 >= pass_percent * maximum
