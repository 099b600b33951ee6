"""Signals other layers listen to, so that briefings never import them.

`briefing_concluded` is sent (after the transaction commits) when a
briefing's conclusion notice is issued; the portal connects a receiver that
drafts a news article for its editors (`danvan.portal.briefing_articles`).
Arguments: `sender` (the `Briefing` class), `briefing`, `actor`.
"""

from django.dispatch import Signal

briefing_concluded = Signal()
