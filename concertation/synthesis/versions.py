"""What changed between two published versions of a synthesis: texts, retained proposals, figures."""

import difflib
from dataclasses import dataclass, field

from concertation.synthesis.models import SynthesisVersion

# The scalar figures a reader compares, in the order they are shown.
COMPARED_FIGURES = (
    "participants",
    "citizens",
    "agents",
    "proposals",
    "comments",
    "contributions",
    "votes",
    "voters",
    "population_share",
)


@dataclass
class TextChange:
    title: str
    status: str  # "added", "removed", "changed" or "unchanged"
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("+" | "-" | " ", line)


@dataclass
class VersionDifference:
    old: SynthesisVersion
    new: SynthesisVersion
    texts: list[TextChange]
    proposals_added: list[str]
    proposals_removed: list[str]
    figures_changed: list[tuple[str, object, object]]

    @property
    def changed_texts(self) -> list[TextChange]:
        return [t for t in self.texts if t.status != "unchanged"]

    @property
    def is_empty(self) -> bool:
        return not (self.changed_texts or self.proposals_added or self.proposals_removed or self.figures_changed)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line-by-line difference (difflib), keeping one line of context around each change."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    lines = []
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("…", ""))
        else:
            lines.append((line[0], line[1:]))
    return lines


def _text_change(title: str, old: str | None, new: str | None) -> TextChange:
    if old is None:
        return TextChange(title, "added", [("+", line) for line in (new or "").splitlines()])
    if new is None:
        return TextChange(title, "removed", [("-", line) for line in (old or "").splitlines()])
    if old == new:
        return TextChange(title, "unchanged")
    return TextChange(title, "changed", text_diff(old, new))


def compare(old: SynthesisVersion, new: SynthesisVersion) -> VersionDifference:
    """The difference from `old` to `new` (sections are matched by title)."""
    texts = [_text_change("Introduction", old.introduction, new.introduction)]
    old_sections = {s["title"]: s["body"] for s in old.sections}
    new_sections = {s["title"]: s["body"] for s in new.sections}
    for title in [*new_sections, *(t for t in old_sections if t not in new_sections)]:
        texts.append(_text_change(title, old_sections.get(title), new_sections.get(title)))
    old_ids = {r.proposal_id: r.title for r in old.retained}
    new_ids = {r.proposal_id: r.title for r in new.retained}
    changed = [
        (key, old.figures.get(key), new.figures.get(key))
        for key in COMPARED_FIGURES
        if old.figures.get(key) != new.figures.get(key)
    ]
    return VersionDifference(
        old=old,
        new=new,
        texts=texts,
        proposals_added=[title for pid, title in new_ids.items() if pid not in old_ids],
        proposals_removed=[title for pid, title in old_ids.items() if pid not in new_ids],
        figures_changed=changed,
    )
