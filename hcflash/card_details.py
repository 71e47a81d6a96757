"""What a learner reads about one card beside its question: what changed in it since they last
reviewed it (shown before the reveal, so a fixed card is not mistaken for a lapse of memory), and
its card info (state, history, retrievability now). Reads only; nothing here changes the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hcflash import records

if TYPE_CHECKING:
    from hcflash.records import CardInfo, ContentChange
    from hcflash.service import StudyService


class CardDetails:
    def __init__(self, col: StudyService) -> None:
        self.col = col

    def content_change(self, card_id: int) -> ContentChange | None:
        """What changed in the question and in the answer since the learner last reviewed the card."""
        card, state = self.col.store.cards.with_state(card_id)
        if not (card.content_changed_at and state.last_review and card.content_changed_at > state.last_review):
            return None
        if card.previous_question is None and card.previous_answer is None:
            return None
        return records.ContentChange(
            question=content_diff(card.previous_question or "", card.question),
            answer=content_diff(card.previous_answer or "", card.answer),
        )

    def card_change(self, card_id: int) -> str | None:
        """The whole change as one short diff (question lines, then answer lines)."""
        change = self.content_change(card_id)
        if change is None:
            return None
        return "\n".join(part for part in (change.question, change.answer) if part) or None

    def card_info(self, card_id: int) -> CardInfo:
        from hcflash import schedule  # fsrs loads on first use: start-up stays short
        from hcflash.records import CardInfo  # the other screens' records load with those screens, not before the first card

        card, state = self.col.store.cards.with_state(card_id)
        scheduler = schedule.make_scheduler(self.col.settings)
        return CardInfo(
            card=card,
            state=state,
            history=tuple(self.col.store.log.of_card(card_id)),
            retrievability=schedule.retrievability(scheduler, state, self.col.now()),
        )


def content_diff(old: str, new: str, max_lines: int = 12) -> str:
    """The changed lines between two versions of a card, `-` old and `+` new, at most `max_lines`."""
    import difflib

    lines = [
        line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"… {len(lines) - max_lines} more changed line(s)"]
    return "\n".join(lines)
