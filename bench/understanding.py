"""How well the interview understands answers in people's own words.

Run: `.venv/bin/python bench/understanding.py [--wrong]`. Reads every answer of
`tests/conversations/answers_corpus.json` (sentences, hedges, typos, units, ranges,
negations, button words) with the interview's reader and prints how many were

- read right: stored at once, as meant;
- asked back: "did you mean …?" with the meant value (a yes stores it);
- asked back wrong: "did you mean …?" with another value (a no asks again);
- refused: "I couldn't read that", saying what is accepted;
- read wrong: stored at once as something the person did not mean. The aim is 0.

A row marked "may ask" has no single right reading: asking back or refusing is right
there, and storing anything at once is read wrong. The aim is at least 95 % read right or
asked back right, and 0 read wrong.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a script, bench/ comes first on sys.path and bench/conversations.py would shadow
# the `conversations` package; imported (by the tests), sys.path is left alone.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from conversations.errors import ParseError
from conversations.parsing import read_answer
from conversations.questions import QUESTIONS

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "conversations" / "answers_corpus.json"
MAY_ASK = "may ask"
OUTCOMES = ("read right", "asked back", "asked back wrong", "refused", "read wrong")


@dataclass(frozen=True)
class Judged:
    question_id: str
    text: str
    expected: Any
    outcome: str
    got: Any


def corpus(part: str | None = None) -> list[tuple[str, str, Any]]:
    """The corpus rows: (question id, what was typed, the meant value or "may ask").

    `part`: "answers" (written with the reader) or "held_out" (written before the reader
    saw them; their first run is in docs/interview.md); None: both."""
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    rows = [r for key in ((part,) if part else ("answers", "held_out")) for r in data[key]]
    return [(str(q), str(text), expected) for q, text, expected in rows]


def judge(question_id: str, text: str, expected: Any) -> Judged:
    """What the reader does with one answer, against what was meant."""
    try:
        reading = read_answer(QUESTIONS[question_id], text)
    except ParseError:
        outcome = "refused"
        return Judged(question_id, text, expected, outcome, None)
    if expected == MAY_ASK:
        outcome = "asked back" if not reading.sure else "read wrong"
    elif reading.value == expected:
        outcome = "read right" if reading.sure else "asked back"
    else:
        outcome = "asked back wrong" if not reading.sure else "read wrong"
    return Judged(question_id, text, expected, outcome, reading.value)


def judge_all(part: str | None = None) -> list[Judged]:
    return [judge(*row) for row in corpus(part)]


def right_share(judged: list[Judged]) -> float:
    """Read right or asked back with the right value (refusing is right on a may-ask row)."""
    good = sum(
        1
        for j in judged
        if j.outcome in ("read right", "asked back")
        or (j.expected == MAY_ASK and j.outcome == "refused")
    )
    return good / len(judged)


def main(argv: list[str]) -> int:
    judged = judge_all()
    counts = Counter(j.outcome for j in judged)
    print(f"{len(judged)} answers to {len({j.question_id for j in judged})} questions")
    for outcome in OUTCOMES:
        share = counts[outcome] / len(judged)
        print(f"  {outcome:<17} {counts[outcome]:>4}  {share:6.1%}")
    print(f"  right or confirmed right: {right_share(judged):.1%} (aim >= 95%)")
    held = judge_all("held_out")
    print(
        f"  of which the {len(held)} held-out answers: {right_share(held):.1%} right or "
        f"confirmed right, {sum(j.outcome == 'read wrong' for j in held)} read wrong"
    )
    shown = ("read wrong", "asked back wrong", "refused") if "--wrong" in argv else ("read wrong",)
    for j in judged:
        if j.outcome in shown:
            print(f"  {j.outcome}: {j.question_id}: {j.text!r} -> {j.got!r} (meant {j.expected!r})")
    return 1 if counts["read wrong"] else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
