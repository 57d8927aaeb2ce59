"""Event extraction: mentions → events, as stages over one sentence at a time.

`build_events` reads each sentence of the body once. `SentenceState` (sentence) holds what
every stage reads; the stages, each a module: `reference` (who or what can move, and what
"they", "the group", "the plane" refer to), `subjects` (which of them a trigger moves),
`roles` (origin, via, destination, location), `timing` (the time of the trigger's
clause), `conjuncts` (movements told without their own verb), `cues` (modality and
negation), `attribution` (who says so, who operates the aircraft). `merge` joins a mover's
triggers into drafts, `finish` turns drafts into events with what the story remembers
(`memory`), and `explain` names every decision. The English they consult is compiled by
`lexicon` from `data/events/`.
"""

from timeline.events.build import build_events
from timeline.events.explain import DECISIONS, Explanation, Finding

__all__ = ["DECISIONS", "Explanation", "Finding", "build_events"]
