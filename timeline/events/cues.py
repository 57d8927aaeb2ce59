"""Modality and negation: a trigger under a cue ("denied that", "was expected to", "nobody")
reports no movement."""

from __future__ import annotations

import bisect

from timeline.events.lexicon import phrase
from timeline.events.sentence import SentenceState

_CLAIM_NOUN = phrase("claim_noun")
_DISMISSED = phrase("dismissed")
_GERUND_CLAUSE = phrase("gerund_clause")
_GERUND = phrase("gerund")
_CALLED_OFF_AFTER = phrase("called_off_after")
_CLOSERS = "\"'”’)] "
"""Quotes and brackets a sentence may end with after its final mark."""
_QUESTION_OPENERS = (":", "“", '"')
"""Marks after which a quoted question begins ('... to ask: "Why now?"')."""


class CueStage(SentenceState):
    """Says why a trigger is not a reported fact, if it is not."""

    def cancelled(self, trigger_start: int) -> str:
        """The reason a trigger is not a reported fact (negation, plan...), or ""."""
        s0 = self.sentence.start
        if trigger_start >= self._question_start():
            return "a question"
        last = bisect.bisect_right(self.marker_ends, trigger_start) - 1
        clause_start = self.marker_ends[last] if last >= 0 else s0
        if last >= 0 and self.markers[last][2].endswith("that"):
            that = clause_start - len("that")
            if self.lex.denial.search(self.low, max(s0, that - 100), that):
                return "denied"
            if _CLAIM_NOUN.search(self.low, max(s0, that - 40), that) and _DISMISSED.search(
                self.low, trigger_start, self.sentence.end
            ):
                return "denied"
        first = bisect.bisect_left(self.word_starts, clause_start)
        end = bisect.bisect_left(self.word_starts, trigger_start)
        if last >= 0 and first == end and self._gerund(last, trigger_start):
            return self._governing_mood(last)
        # the cues share a few scopes: each window is joined and searched for all of its
        # cues at once; only a window some cue matches is searched cue by cue
        windows: dict[int, str] = {}
        for cue in self.lex.cues:
            if not cue.scope:
                continue
            window = windows.get(cue.scope)
            if window is None:
                words = self.words[max(first, end - cue.scope) : end]
                window = " ".join(words)
                if not self.lex.cue_scopes[cue.scope].search(window):
                    window = ""
                windows[cue.scope] = window
            if window and cue.pattern.search(window):
                return cue.reason
        return ""

    def called_off(self, trigger_end: int) -> str:
        """ "called off" when a trip noun's own verb cancels it ("the flight was cancelled")."""
        end = min(self.sentence.end, trigger_end + 60)
        return "called off" if _CALLED_OFF_AFTER.match(self.low, trigger_end, end) else ""

    def _gerund(self, marker: int, trigger_start: int) -> bool:
        """Whether the trigger is a gerund opening the clause of a `gerund_clause` marker
        ("before heading back")."""
        word = self.markers[marker][2].strip(" ,")
        trigger = self.low[trigger_start : trigger_start + 20].split(maxsplit=1)
        return (
            bool(_GERUND_CLAUSE.match(word)) and bool(trigger) and bool(_GERUND.match(trigger[0]))
        )

    def _governing_mood(self, marker: int) -> str:
        """The future, modal, planned or conditional cue of the clause a marker ends, if any."""
        start = self.marker_ends[marker - 1] if marker > 0 else self.sentence.start
        first = bisect.bisect_left(self.word_starts, start)
        window = " ".join(
            self.words[first : bisect.bisect_left(self.word_starts, self.markers[marker][0])]
        )
        for cue in self.lex.cues:
            if cue.inherited and cue.pattern.search(window):
                return cue.reason
        return ""

    def _question_start(self) -> int:
        """Where the sentence's question begins: after its last colon or opening quote when it
        ends with one ('..., prompting a reporter to ask: "Why now?"'), else at its start;
        past its end when it asks nothing."""
        text = self.sentence.text.rstrip(_CLOSERS)
        if not text.endswith("?"):
            return self.sentence.end + 1
        opening = max(text.rfind(mark) for mark in _QUESTION_OPENERS)
        return self.sentence.start + opening + 1
