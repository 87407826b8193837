"""Reading which option(s) a sentence means: by the words of the options' labels, their
synonyms, list numbers, yes/no words and negations; near misses through rapidfuzz.

Pure. Generic over the question's choices: a question added later with labels and
synonyms is read the same way. `read_choice` and `read_set` give a `Reading` or raise
`Unreadable`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from conversations.reading import CLAUSE_BREAK, Reading, Unreadable, hedged, tokens, unsure

if TYPE_CHECKING:
    from conversations.questions import Choice, Question


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words too common to tell one option from another.
_STOP = _words(
    "a an the of or and into from for to in on at by with is are it its it's this that  "
    "yes no not yet we our your you they them their be been has have do does did so just  "
    "very really set one any all what which who as than then there here e g eg etc"
)
_NEGATORS = frozenset(
    {"not", "no", "never", "without", "hardly", "barely", "nor", "neither", "nothing", "nobody"}
)
# After an option's words, these say it is not a problem ("tone is fine").
_FINE = frozenset({"fine", "ok", "okay", "good", "great", "solid", "perfect", "excellent"})
_YES_LEAD = _words(
    "yes yeah yep yup yea ya sure definitely absolutely correct indeed affirmative  "
    "certainly totally ok okay y"
)
_NO_LEAD = _words("no nope nah not never negative n")
# Verbs that say yes when they stand unnegated ("we did", "it does", "we ran one").
_YES_VERBS = _words(
    "did do does have has had is are was were ran run done tried measured can could will"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_NONE_WORDS = _words(
    "none nothing no gaps gap n a na nope neither really major issues issue problems  "
    "problem all good fine it is real shortfalls everything works great nah at of them  "
    "honestly so far yet right now currently that we see can think i really"
)
# Among _NONE_WORDS, those that say "none" by themselves ("all good", "no real problems").
_SAYS_NONE = _words("none nothing no nope nah neither n na fine good great works")
FUZZY_CUTOFF = 80


@dataclass(frozen=True)
class _Hit:
    choice: int  # index into the question's choices
    at: int  # token position
    length: int  # words matched: a longer phrase is stronger evidence
    negated: str  # "" (not negated), "before" or "after": see _negated
    fuzzy: bool


@cache
def stem(word: str) -> str:
    """A word without its plural ending: "ships" -> "ship", "policies" -> "policy"."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _same(word: str, typed: str) -> bool:
    return word == typed or stem(word) == stem(typed)


def _phrases(question: Question) -> tuple[tuple[tuple[str, ...], ...], ...]:
    return _phrases_of(question.choices)


@cache
def _phrases_of(choices: tuple[Choice, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per choice, the word sequences that name it: id, label, synonyms, and each label
    word no other choice uses."""
    named: list[set[tuple[str, ...]]] = []
    label_words: list[set[str]] = []
    for choice in choices:
        words = {tuple(w for w in tokens(choice.id.replace("_", " ")) if w != CLAUSE_BREAK)}
        label = [w for w in tokens(choice.label) if w != CLAUSE_BREAK]
        words.add(tuple(label))
        for synonym in choice.synonyms:
            words.add(tuple(w for w in tokens(synonym) if w != CLAUSE_BREAK))
        named.append({w for w in words if w})
        label_words.append({w for w in label if w not in _STOP and len(w) > 1})
    counts: dict[str, int] = {}
    for own in label_words:
        for word in own:
            counts[word] = counts.get(word, 0) + 1
    taken = {p for own in named for p in own}
    for index, own in enumerate(label_words):
        for word in own:
            if counts[word] == 1 and (word,) not in taken:
                named[index].add((word,))
    return tuple(tuple(sorted(p, key=len, reverse=True)) for p in named)


def _vocabulary(question: Question) -> tuple[tuple[str, int], ...]:
    return _vocabulary_of(question.choices)


@cache
def _vocabulary_of(choices: tuple[Choice, ...]) -> tuple[tuple[str, int], ...]:
    """(word, choice) for every word of 4+ letters that names a choice: the typo targets."""
    seen: dict[str, int] = {}
    clash: set[str] = set()
    for index, phrases in enumerate(_phrases_of(choices)):
        for phrase in phrases:
            if len(phrase) != 1:
                continue  # a word of a longer phrase names nothing on its own
            word = phrase[0]
            if len(word) >= 4 and word not in _STOP:
                if seen.get(word, index) != index:
                    clash.add(word)
                seen[word] = index
    return tuple((w, i) for w, i in seen.items() if w not in clash)


def _negated(words: Sequence[str], at: int, length: int, *, fine_after: bool) -> str:
    """How the option's words at `at` are negated: "before" (a negator up to three words
    before, in the same clause), "after" ("we have not"; for a set, "tone is fine" or
    "tone is not a problem"), or "" when they are not."""
    after = list(words[at + length : at + length + 4])
    if CLAUSE_BREAK in after:
        after = after[: after.index(CLAUSE_BREAK)]  # negations stay in their clause
    if after[:1] in (["not"], ["never"]):  # "we have not", "it does not"
        return "after"
    for back in range(1, 4):
        i = at - back
        if i < 0 or words[i] == CLAUSE_BREAK:
            break
        if words[i] in _NEGATORS:
            return "before"
    if fine_after:
        follow = after[1:] if after[:1] in (["is"], ["are"], ["was"]) else after
        if follow[:1] and (follow[0] in _FINE or follow[0] == "not"):
            return "after"
    return ""


def _hits(question: Question, words: list[str], *, fine_after: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    used: set[int] = set()
    candidates = [
        (index, phrase) for index, phrases in enumerate(_phrases(question)) for phrase in phrases
    ]
    candidates.sort(key=lambda item: len(item[1]), reverse=True)  # longest phrases first
    for index, phrase in candidates:
        n = len(phrase)
        for at in range(len(words) - n + 1):
            span = set(range(at, at + n))
            if span & used:
                continue
            if all(_same(phrase[k], words[at + k]) for k in range(n)):
                neg = _negated(words, at, n, fine_after=fine_after)
                hits.append(_Hit(index, at, n, neg, False))
                used |= span
    vocabulary = _vocabulary(question)
    targets = [w for w, _ in vocabulary]
    for at, word in enumerate(words):
        if at in used or len(word) < 4 or word in _STOP or word == CLAUSE_BREAK:
            continue
        best = process.extractOne(word, targets, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None:
            neg = _negated(words, at, 1, fine_after=fine_after)
            hits.append(_Hit(vocabulary[best[2]][1], at, 1, neg, True))
    return hits


def _listed(question: Question, words: list[str]) -> list[int] | None:
    """List numbers ("2", "option 2", "2 and 4", "the second one"), as indexes; None when
    the answer is not made of list numbers only."""
    picked: list[int] = []
    for word in words:
        if word in ("option", "options", "number", "the", "one", "and", "both", CLAUSE_BREAK):
            continue
        if re.fullmatch(r"[0-9]{1,2}", word):
            number = int(word)
        elif word in _ORDINALS:
            number = _ORDINALS[word]
        else:
            return None
        size = len(question.choices)
        index = size - 1 if number == -1 else number - 1
        if not 0 <= index < size:
            raise Unreadable(f"There is no option {word}.")
        picked.append(index)
    return picked or None


def _is_yes_no(question: Question) -> bool:
    return sorted(c.id for c in question.choices) == ["no", "yes"]


def _yes_no_votes(
    question: Question, words: list[str], hits: list[_Hit]
) -> list[tuple[int, str, bool]]:
    """(position, "yes"/"no", strong) for each sign of a yes or a no."""
    ids = [c.id for c in question.choices]
    votes: list[tuple[int, str, bool]] = []
    first = next((w for w in words if w != CLAUSE_BREAK), "")
    if first in _YES_LEAD:
        votes.append((0, "yes", True))
    elif first in _NO_LEAD:
        votes.append((0, "no", True))
    elif sorted(first) in (sorted("yes"), sorted("nope"), sorted("yeah")):
        votes.append((0, "no" if "n" in first else "yes", False))  # "yse", "npoe"
    for hit in hits:
        said = ids[hit.choice]
        if hit.negated:
            said = "no" if said == "yes" else "yes"
        if hit.at == 0 and hit.length == 1 and words[0] in _YES_LEAD | _NO_LEAD:
            continue  # already counted as the lead word
        votes.append((hit.at, said, not hit.fuzzy))
    for at in range(len(words) - 1):  # "I think so", "I don't think so"
        if words[at] in ("think", "believe", "guess", "hope") and words[at + 1] == "so":
            said = "no" if "not" in words[max(0, at - 3) : at] else "yes"
            votes.append((at, said, False))
    if any(strong for _, _, strong in votes):
        votes = [v for v in votes if v[2]]  # a typo's guess never outvotes plain words
    if not votes:
        negated = any(w in _NEGATORS for w in words)
        if negated:
            votes.append((len(words), "no", False))
        elif any(w in _YES_VERBS for w in words):
            votes.append((len(words), "yes", False))
    return votes


def read_choice(question: Question, typed: str) -> Reading:
    """The one option an answer means; unsure for a typo, a hedge or a close call."""
    words = tokens(typed)
    if not words:
        raise Unreadable()
    listed = _listed(question, words)
    if listed is not None:
        if len(set(listed)) != 1:
            raise Unreadable("Pick one option.")
        return Reading(question.choices[listed[0]].id)
    hits = _hits(question, words, fine_after=False)
    if _is_yes_no(question):
        reading = _read_yes_no(question, words, hits)
    else:
        reading = _read_one_of(question, words, hits)
    return unsure(reading, "a hedge") if reading.sure and hedged(typed) else reading


def _read_yes_no(question: Question, words: list[str], hits: list[_Hit]) -> Reading:
    votes = _yes_no_votes(question, words, hits)
    if not votes:
        raise Unreadable()
    said = {v for _, v, _ in votes}
    if len(said) == 1:
        (value,) = said
        strong = any(s for _, _, s in votes)
        fuzzy_only = all(h.fuzzy for h in hits) and hits and len(votes) == len(hits)
        if not strong:
            return Reading(value, False, "a guess from the wording")
        if fuzzy_only:
            return Reading(value, False, "a typo")
        return Reading(value)
    # Both a yes and a no: the last clause has the last word ("fine, but too costly").
    breaks = [i for i, w in enumerate(words) if w == CLAUSE_BREAK]
    last = breaks[-1] if breaks else -1
    tail = {v for at, v, _ in votes if at > last}
    if len(tail) == 1:
        return Reading(tail.pop(), False, "a yes and a no in one answer")
    raise Unreadable(picked="both a yes and a no")


def _read_one_of(question: Question, words: list[str], hits: list[_Hit]) -> Reading:
    meant = [h for h in hits if not h.negated]
    if any(not h.fuzzy for h in meant):
        meant = [h for h in meant if not h.fuzzy]  # plain words beat a near miss
    if not meant and len(question.choices) == 2 and hits:
        other = {1 - h.choice for h in hits}  # "not production" in a two-way question
        if len(other) == 1:
            return Reading(question.choices[other.pop()].id, False, "a negation")
    if not meant:
        raise Unreadable()
    strength: dict[int, tuple[int, int, int]] = {}
    for hit in meant:
        exact, length, first = strength.get(hit.choice, (0, 0, -hit.at))
        strength[hit.choice] = (
            exact + (0 if hit.fuzzy else 1),
            max(length, hit.length),
            max(first, -hit.at),
        )
    ranked = sorted(strength, key=lambda i: strength[i], reverse=True)
    best = ranked[0]
    value = question.choices[best].id
    if len(ranked) > 1:
        if strength[ranked[1]][:2] == strength[best][:2] and strength[best][0] == 0:
            labels = " or ".join(question.choices[i].label for i in ranked[:2])
            raise Unreadable(picked=labels)
        return Reading(value, False, "two options that both fit")
    if strength[best][0] == 0:
        return Reading(value, False, "a typo")
    return Reading(value)


def read_set(question: Question, typed: str, none_words: frozenset[str] = _NONE_WORDS) -> Reading:
    """Every option a sentence names ("it gets facts wrong and the JSON breaks"), or none."""
    words = tokens(typed)
    if not words:
        raise Unreadable()
    listed = _listed(question, words)
    if listed is not None:
        chosen = set(listed)
        return Reading([c.id for i, c in enumerate(question.choices) if i in chosen])
    hits = _hits(question, words, fine_after=True)
    # A capability denied is a shortfall named: "it can't reason" is a reasoning gap.
    meant = [h for h in hits if not h.negated or _denied(words, h.at)]
    # Other negations leave the option out; only "no X" and "X is fine" are plain enough
    # to do so without asking.
    doubtful = any(
        h.negated and not _denied(words, h.at) and not _plainly_not(words, h) for h in hits
    )
    plain_words = [w for w in words if w != CLAUSE_BREAK]
    if not meant:
        said_none = any(w in ("none", "nothing") for w in plain_words)
        # Only words of "no gaps" and a word that says none: "all" or "major issues" alone
        # are no answer of none.
        only_none = all(w in none_words for w in plain_words) and any(
            w in _SAYS_NONE for w in plain_words
        )
        if hits or said_none or only_none:
            sure = only_none and not hedged(typed)
            sure = sure or (bool(hits) and not doubtful and not hedged(typed))
            return Reading([], sure, "" if sure else "a negation")
        raise Unreadable()
    chosen = {h.choice for h in meant}
    value = [c.id for i, c in enumerate(question.choices) if i in chosen]
    reading = Reading(value)
    if any(h.fuzzy for h in meant):
        reading = unsure(reading, "a typo")
    if doubtful:
        reading = unsure(reading, "a negation")
    if hedged(typed):
        reading = unsure(reading, "a hedge")
    return reading


_AUXILIARIES = _words("can cannot could does do did will would is are was")


def _denied(words: Sequence[str], at: int) -> bool:
    """ "can not reason", "does not refuse": the option's verb itself is negated."""
    return at >= 2 and words[at - 1] == "not" and words[at - 2] in _AUXILIARIES


def _plainly_not(words: Sequence[str], hit: _Hit) -> bool:
    """ "no tone issues", "not the tone", or an option named as fine: left out, surely."""
    at = hit.at
    return hit.negated == "after" or (
        at >= 1
        and (words[at - 1] in ("no", "not") or (at >= 2 and words[at - 2 : at] == ["not", "the"]))
    )
