"""Free-text answers fed to the synthesis aid: a question's answers grouped like proposals.

The aid's own grouping (``synthesis.grouping.group_texts``: French roots, TF-IDF, similar answers
gathered around the one with most neighbours) runs on the answers' plain texts. Answers carry no
author, so none is shown; they are read sorted by their text, so the order they came in is not
either. Under ``MIN_ANSWERS`` answers nothing is grouped: a small group would point at a person.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.questionnaires.models import TEXT_KINDS, Answer, Question, Questionnaire
from concertation.questionnaires.results import FLOOR
from concertation.synthesis.grouping import group_texts

MIN_ANSWERS = FLOOR
# Answers are shorter than proposals: two of them sharing two telling roots among a handful of words
# are alike, below the proposals' threshold (``grouping.GROUP_THRESHOLD``).
GROUP_THRESHOLD = 0.25


@dataclass
class TextGroup:
    words: list[str]
    texts: list[str]


@dataclass
class GroupedAnswers:
    question: Question
    count: int
    groups: list[TextGroup] = field(default_factory=list)
    apart: list[str] = field(default_factory=list)

    @property
    def grouped_count(self) -> int:
        return sum(len(g.texts) for g in self.groups)


def text_questions(questionnaire: Questionnaire) -> list[Question]:
    return [q for q in questionnaire.questions if q.kind in TEXT_KINDS]


def answers_of(question: Question) -> list[str]:
    """The question's non-empty free-text answers, sorted by their text (one query)."""
    texts = db.session.scalars(
        select(Answer.text).where(Answer.question_id == question.id, Answer.text.is_not(None)).order_by(Answer.text)
    )
    return [text for text in texts if text and text.strip()]


def group_answers(question: Question) -> GroupedAnswers:
    """The question's answers in groups of similar ones (largest first), and those alike none."""
    if question.kind not in TEXT_KINDS:
        raise ActionRefused(_l("Seules les réponses libres d’une question à texte se regroupent."), status=404)
    texts = answers_of(question)
    if len(texts) < MIN_ANSWERS:
        raise ActionRefused(
            _l(
                "Le regroupement des réponses libres demande au moins %(floor)d réponses, "
                "pour qu’aucun petit groupe ne désigne une personne.",
                floor=MIN_ANSWERS,
            ),
            status=409,
        )
    aid = group_texts([(index, text, "") for index, text in enumerate(texts)], group_threshold=GROUP_THRESHOLD)
    grouped: set[int] = set()
    result = GroupedAnswers(question, len(texts))
    for group in aid.groups:
        result.groups.append(TextGroup(group.words, [texts[index] for index, _ in group.members]))
        grouped.update(index for index, _ in group.members)
    result.apart = [text for index, text in enumerate(texts) if index not in grouped]
    return result
