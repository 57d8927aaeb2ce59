"""Movements a sentence tells without a verb of their own: verbless conjuncts ("and the
other by way of Dubai"), followers ("followed by a second on Wednesday") and coordinated
destinations ("to X in May and to Y in June")."""

from __future__ import annotations

import bisect
from dataclasses import replace

from timeline.events.lexicon import PRONOUNS, Trigger, phrase
from timeline.events.memory import Conjunct, Draft, Role
from timeline.events.roles import RoleStage
from timeline.events.timing import TimeStage
from timeline.model import Place, TimeMention

_CONJUNCT_LEAD = phrase("conjunct_lead")
_CONJUNCT_TAIL = phrase("conjunct_tail")
_GAPPED = phrase("gapped")
_FOLLOWER = phrase("follower")


class ConjunctStage(RoleStage, TimeStage):
    """Makes the events of verbless conjuncts, followers and coordinated destinations."""

    def conjuncts(self, after: int) -> list[Conjunct]:
        """Verbless conjuncts after the last trigger ("landed in Minsk, an An-124 in Tehran
        and a Tu-154 in Damascus", "and the other by way of Dubai"): (start, subject end,
        in text order."""
        if self.lex.trigger_pattern.search(self.low, after, self.sentence.end) is None:
            found = [
                Conjunct(m.start(), m.end("subject"), m["subject"], None)
                for m in _GAPPED.finditer(self.text, after, self.sentence.end)
            ]
            for subject in self.subjects[bisect.bisect_left(self.subject_starts, after) :]:
                if subject.text.lower() in PRONOUNS:
                    continue
                lead = _CONJUNCT_LEAD.search(
                    self.text, max(after, subject.start - 40), subject.start
                )
                if lead and _CONJUNCT_TAIL.match(self.text, subject.end):
                    found.append(Conjunct(lead.start(), subject.end, subject.text, subject.entity))
            return sorted(found)
        return []

    def gapped(
        self,
        draft: Draft,
        trigger: Trigger,
        conjuncts: list[Conjunct],
    ) -> list[Draft]:
        """One more event per verbless conjunct, with the main verb, its own places and time."""
        made = []
        ends = [conjunct.start for conjunct in conjuncts[1:]] + [self.sentence.end]
        for (_, subject_end, text, entity), end in zip(conjuncts, ends, strict=True):
            roles = self.roles(subject_end, end, trigger)
            if not roles:
                continue
            if entity is None:
                entity = replace(
                    draft.entity,
                    text=text,
                    count=None,
                    last_place=None,
                    referent=draft.entity.referent.copy(),
                )
            own = self.time_for(subject_end, subject_end, end, after_only=True)
            made.append(
                Draft(
                    entity=entity,
                    subject_text=text,
                    types=list(draft.types),
                    origin=next((p for r, p in roles if r == "origin"), draft.origin),
                    via=[p for r, p in roles if r == "via"],
                    destinations=[p for r, p in roles if r == "destination"]
                    or list(draft.destinations),
                    location=next((p for r, p in roles if r == "location"), None),
                    when=own or draft.when,
                    continuation=draft.continuation,
                    rules=[*draft.rules, "gapping"],
                )
            )
        return made

    def followers(self, draft: Draft, after: int) -> list[Draft]:
        """ "landed in Jeddah on Tuesday, followed by a second with 135 on Wednesday, and a
        third the next day": one more movement like the last, per follower with its own time."""
        if self.lex.trigger_pattern.search(self.low, after, self.sentence.end):
            return []
        found = list(_FOLLOWER.finditer(self.text, after, self.sentence.end))
        if not found or not found[0]["followed"]:
            return []
        ends = [m.start() for m in found[1:]] + [self.sentence.end]
        made = []
        for match, end in zip(found, ends, strict=True):
            own = self.time_for(match.end(), match.end(), end, after_only=True)
            if own is None:
                continue
            made.append(
                replace(
                    draft,
                    entity=replace(
                        draft.entity,
                        text=match["subject"],
                        count=None,
                        referent=draft.entity.referent.copy(),
                    ),
                    subject_text=match["subject"],
                    types=list(draft.types),
                    via=list(draft.via),
                    destinations=list(draft.destinations),
                    overflown=list(draft.overflown),
                    when=own,
                    own_time=True,
                    rules=[*draft.rules, "follower"],
                )
            )
        return made

    def coordinated_parts(
        self,
        trigger: Trigger,
        roles: list[Role],
        when: TimeMention | None,
        window_end: int,
    ) -> tuple[list[list[Role]], list[TimeMention | None]]:
        """A verb with coordinated destinations ("went to X and Y", "to X in May and to Y in June")
        reports one movement per destination, each with the time written after it, if any."""
        spans = [
            (index, span)
            for index, span in enumerate(self.role_spans)
            if span.role == "destination"
        ]
        distinct = {span.place for _, span in spans}
        if (
            trigger.event_type not in ("arrival", "flight")
            or trigger.kind != "verb"
            or len(distinct) < 2
            or not any(index in self.coordinated for index, _ in spans)
        ):
            return [roles], [when]
        others = [role for role in roles if role.role != "destination"]
        parts, times = [], []
        seen: set[Place] = set()
        for (_, span), next_start in zip(
            spans, [span.start for _, span in spans[1:]] + [window_end], strict=True
        ):
            if span.place in seen:
                continue
            seen.add(span.place)
            parts.append([*others, Role("destination", span.place)])
            own = self.time_for(span.end, span.end, next_start, after_only=True)
            times.append(own or when)
        return parts, times
