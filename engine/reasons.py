"""Each fired rule's reason in words that fit the path the decision took (FRAMEWORK.md §3).

A rule can fire and be overridden (B5 then K5, B2 then D1): its reason then says what it
found and which rule took the behaviour further, so the trace never contradicts the decision.
Texts read only what the rules' cache key keeps (intervals, ids), never an exact figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.vocabulary import GAP_WORDS, STRUCTURAL

Facts = Mapping[str, Any]

_FURTHER = {
    "K5": "the quality target above 90 % widens it to a full fine-tune (K5)",
    "D1": "the serving limits turn it into a distilled small model (D1)",
}


def gap_phrase(gaps: frozenset[str], noun: str = "gap") -> str:
    """'an output-format gap', 'refusal and reasoning gaps', in the ids' list order."""
    names = [GAP_WORDS[g] for g in GAP_WORDS if g in gaps]
    if not names:
        return f"no {noun}"
    if len(names) == 1:
        article = "an" if names[0][0] in "aeiou" else "a"
        return f"{article} {names[0]} {noun}"
    return f"{', '.join(names[:-1])} and {names[-1]} {noun}s"


def _structural(f: Facts) -> frozenset[str]:
    gaps: frozenset[str] = f.get("gaps", frozenset())
    return STRUCTURAL & gaps


def _b1(f: Facts, behaviour_rule: str | None) -> str:
    if behaviour_rule == "D1":
        return (
            "No prompt baseline has been measured, so measure the gap first; the serving "
            "limits already call for a distilled small model (D1)."
        )
    return "No prompt baseline has been measured: keep prompting for now and measure the gap first."


def _b2(f: Facts, behaviour_rule: str | None) -> str:
    if behaviour_rule == "D1":
        return (
            "A good prompt already reaches 80 % or more, so behaviour needs no fine-tune; "
            "the distilled model answers the serving limits, not a behaviour gap (D1)."
        )
    return (
        "A good prompt already reaches 80 % or more: a fine-tune would depreciate with the "
        "next base model, so prompting stays."
    )


def _b3(f: Facts, behaviour_rule: str | None) -> str:
    gaps = _structural(f)
    head = f"Below 50 % with {gap_phrase(gaps)}"
    if gaps == {"format"}:
        if behaviour_rule == "B3":
            return (
                f"{head} and no other structural one: a format-only fine-tune closes it and "
                "keeps its value across base-model upgrades."
            )
        return f"{head} alone, a format-only fine-tune would do; {_FURTHER[str(behaviour_rule)]}."
    if behaviour_rule == "D1":
        return f"{head}: a tuned model is worth its cost; {_FURTHER['D1']}."
    gap = "gaps are" if len(gaps) > 1 else "gap is"
    return (
        f"{head}: the {gap} structural and wide, so a fine-tune keeps its value across "
        "base-model upgrades."
    )


def _b4(f: Facts, behaviour_rule: str | None) -> str:
    gaps = _structural(f)
    head = f"Between 50 and 80 % with {gap_phrase(gaps)}"
    if gaps == {"format"}:
        if behaviour_rule == "B4":
            return (
                f"{head} and no other structural one: a format-only fine-tune is small, cheap "
                "and survives base-model upgrades."
            )
        return (
            f"{head} alone, a format-only fine-tune would do for behaviour; "
            f"{_FURTHER[str(behaviour_rule)]}."
        )
    if behaviour_rule == "B4":
        return (
            f"{head}: a fine-tune for it would probably be overtaken by the next base model, "
            "so keep prompting and re-measure at each release."
        )
    return f"{head}: on behaviour alone prompting would do; {_further(behaviour_rule)}."


def _further(behaviour_rule: str | None) -> str:
    if behaviour_rule == "K5":
        return "the quality target above 90 % brings in a full fine-tune (K5)"
    return "the serving limits call for a distilled small model (D1)"


def _b5(f: Facts, behaviour_rule: str | None) -> str:
    if behaviour_rule == "B5":
        return (
            "Below 80 % but no gap is structural: better prompting closes the rest more "
            "cheaply than a fine-tune."
        )
    return f"Below 80 % with no structural gap: prompting would do; {_further(behaviour_rule)}."


def _k5(f: Facts, behaviour_rule: str | None) -> str:
    head = (
        "Past 90 % retrieval alone rarely suffices: curate the sources, structure the key "
        "facts and keep people reviewing the residual errors"
    )
    gaps = _structural(f)
    phrase = gap_phrase(gaps).removeprefix("an ").removeprefix("a ")
    trained = (
        f"examples that close the {phrase} you reported"
        if gaps
        else "examples of approved answers (for the quality target: no structural gap was reported)"
    )
    tail = {
        "K5": f", and fine-tune on {trained}.",
        "B3": f"; the fine-tune already chosen covers {trained}.",
        "D1": "; the distilled model carries the tuned behaviour.",
        "B1": "; whether a fine-tune belongs in the mix waits for a measured prompt baseline.",
        "B2": "; no fine-tune, as the prompt already reaches 80 % and a tuned model would "
        "depreciate.",
    }
    return head + tail.get(str(behaviour_rule), ".")


def _n1(f: Facts, behaviour_rule: str | None) -> str:
    return {
        "classification": "A stable label set is usually served better and cheaper by a small "
        "specialised model or classic NLP than by an LLM.",
        "extraction": "Fields pulled from a stable format are usually served better and cheaper "
        "by a small specialised model or classic NLP than by an LLM.",
    }.get(
        str(f.get("task")),
        "People want documents, not answers: classic search serves that "
        "better and cheaper than an LLM.",
    )


_BY_PATH = {"B1": _b1, "B2": _b2, "B3": _b3, "B4": _b4, "B5": _b5, "K5": _k5, "N1": _n1}


def path_reason(rule_id: str, generic: str, facts: Facts, behaviour_rule: str | None) -> str:
    """The reason of `rule_id` on this path; `behaviour_rule` set the final behaviour."""
    explain = _BY_PATH.get(rule_id)
    return generic if explain is None else explain(facts, behaviour_rule)
