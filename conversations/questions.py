"""The interview's questions as data: wording, choices, defaults and when each is asked.

Field ids, kinds, bounds and defaults come from `engine.FIELDS`, and whether a field is
asked from `engine.applies`: this module only adds the words people see.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from engine import (
    FIELDS,
    MAX_WORKLOADS,  # one limit: the CLI's and the engine's too
    applies,
)
from engine.words import answer_words, field_words

Kind = Literal["choice", "int", "float", "set", "text"]


@dataclass(frozen=True)
class Choice:
    """One option of a question: its id (the stored value), label and extra words people use."""

    id: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question: what is asked, why it matters and which answers it takes."""

    id: str
    kind: Kind
    prompt: str
    why: str
    choices: tuple[Choice, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    # What a number is per: "day", "quarter" (time) or "mtok" (a million tokens); an
    # answer in another period or size is converted, and confirmed before it is stored.
    per: str = ""
    working_time: bool = False  # periods count working time (a person's cost), not calendar
    sums_parts: bool = False  # "2k in, 500 out" is the two parts added up
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def multi(self) -> bool:
        """True when several choices may be picked at once."""
        return self.kind == "set"

    def label_for(self, value: Any) -> str:
        """The words shown for a stored value of this question."""
        if self.kind == "choice":
            return next((c.label for c in self.choices if c.id == value), str(value))
        if self.kind == "set":
            picked = [c.label for c in self.choices if c.id in set(value)]
            return ", ".join(picked) if picked else "None"
        if self.kind == "int" and self.unit == "%":
            return f"{value}%"
        if self.unit == "share":  # 0.3 -> "30%", as people said it
            return f"{float(value) * 100:g}%"
        if self.kind == "float" and self.unit == "USD":
            number = float(value)
            if self.id.endswith("_usd") and number.is_integer():
                return answer_words(self.id, number)  # "$60,000", as every report writes it
            return f"${number:,.2f}"  # a price per million tokens keeps its cents: "$4.50"
        if self.kind in ("int", "float"):
            number = float(value)
            return f"{int(number):,}" if number.is_integer() else f"{number:,}"
        return str(value)


_YES = ("yes", "y", "yep", "yeah", "yup", "sure", "true", "ok", "correct", "we did", "done")
_NO = ("no", "n", "nope", "nah", "false", "not yet", "not really", "never")


def _yes_no(yes_label: str, no_label: str) -> tuple[Choice, ...]:
    return (Choice("yes", yes_label, _YES), Choice("no", no_label, _NO))


# Our own wording for each field of FRAMEWORK.md §2 (ids from engine.FIELDS).
_WORDS: dict[str, dict[str, Any]] = {
    "deployment": {
        "prompt": "Is this workload headed for real users, or is it an experiment?",
        "why": "Research projects are better served by trying things and learning; "
        "the cost-benefit reasoning here is for systems people depend on.",
        "choices": (
            Choice("production", "Real users (production)", ("prod", "live", "shipping")),
            Choice("research", "An experiment or research", ("experiment", "exploration", "poc")),
        ),
    },
    "domain": {
        "prompt": "Is the subject everyday business, or a narrow specialist field?",
        "why": "Specialist fields such as drug discovery or scientific simulation have their "
        "own literature and trade-offs that a general rule of thumb would miss.",
        "choices": (
            Choice("general", "Everyday business subject", ("business", "normal", "generic")),
            Choice(
                "specialized",
                "Specialist field (drug discovery, simulation, niche code…)",
                ("specialised", "specialist", "niche"),
            ),
        ),
    },
    "task": {
        "prompt": "What does the model have to produce?",
        "why": "Putting items into labels that rarely change, or lifting fields out of "
        "documents that keep one layout, is usually handled better and more cheaply by a "
        "small specialised model or classic NLP; people who want the documents themselves "
        "need search. A large language model earns its cost on open-ended output.",
        "choices": (
            Choice(
                "generation",
                "Open-ended answers (assistant, agent, drafting)",
                ("generate", "answers", "open ended", "open-ended"),
            ),
            Choice(
                "classification",
                "Classification into a stable set of labels",
                ("classify", "labels", "label", "a label from a fixed set", "tagging", "routing"),
            ),
            Choice(
                "extraction",
                "Extraction of fields from a stable format",
                ("extract", "fields", "parsing", "fields from documents"),
            ),
            Choice(
                "document_search",
                "Search: people want the documents, not an answer",
                ("search", "retrieval", "documents", "find documents"),
            ),
        ),
    },
    "knowledge": {
        "prompt": "What outside facts must the answers draw on?",
        "why": "A small fixed set of facts can be looked up directly; a large or per-customer "
        "collection needs retrieval, with its own build and upkeep.",
        "choices": (
            Choice("none", "None: general knowledge is enough", ("nothing", "no")),
            Choice("small_fixed", "A small fixed set (a catalogue, a few policies)", ("small",)),
            Choice("corpus", "A large, growing or per-customer collection", ("large", "docs")),
        ),
    },
    "freshness": {
        "prompt": "How often do those facts change?",
        "why": "Facts that change daily or faster mean an ingestion pipeline to build and "
        "keep running, whatever the technique.",
        "choices": (
            Choice("realtime", "Continuously (minutes)", ("real time", "real-time", "live")),
            Choice("daily", "Every day", ("day",)),
            Choice("weekly", "Every week", ("week",)),
            Choice("monthly", "Every month", ("month",)),
            Choice("rarely", "Hardly ever", ("seldom", "never", "rare")),
        ),
    },
    "prompt_pass": {
        "prompt": "Have you run a serious, measured prompt-engineering pass "
        "on the latest frontier model?",
        "why": "Without a measured baseline any fine-tuning decision is a guess; "
        "a good prompt often closes most of the gap for free.",
        "choices": _yes_no("Yes, and we measured it", "Not yet"),
    },
    "baseline_pct": {
        "prompt": "With your best prompt, how much of your target quality do you reach? (0–100%)",
        "why": "Near the target, fine-tuning buys little and has to be redone as base models "
        "improve; far below it, a structural gap may justify training.",
        "unit": "%",
    },
    "gaps": {
        "prompt": "Where does the model still fall short? Pick all that apply, or none.",
        "why": "Format, refusal and domain reasoning are behaviours training can fix for good; "
        "tone usually yields to prompting, and missing facts need retrieval, not training.",
        "choices": (
            Choice("tone", "Tone or voice", ("voice", "style")),
            Choice("format", "Output format / structured output", ("structure", "json")),
            Choice("refusal", "Refusing the right things", ("refusals", "safety")),
            Choice("reasoning", "Domain-specific reasoning", ("logic",)),
            Choice("knowledge", "Missing or stale facts"),
        ),
    },
    "quality_target_pct": {
        "prompt": "What quality do answers grounded in your documents need to reach? (0–100%)",
        "why": "Retrieval alone tends to level off around 85%; each step beyond that costs "
        "noticeably more engineering.",
        "unit": "%",
    },
    "frontier_ok": {
        "prompt": "Are a frontier model's latency and per-request cost acceptable in production?",
        "why": "If not, a small model trained on a big model's outputs may serve the same "
        "quality faster and cheaper.",
        "choices": _yes_no("Yes, acceptable", "No, too slow or too costly"),
    },
    "small_model_ok": {
        "prompt": "Does an off-the-shelf small model already meet your quality bar?",
        "why": "If it does, you can serve on it as is; if not, distilling a frontier model "
        "into a small one is the usual way out.",
        "choices": _yes_no("Yes, it's good enough", "No, it falls short"),
    },
    "repeat_queries": {
        "prompt": "Do users ask similar questions against similar context?",
        "why": "Repetition makes prompt caching worthwhile, which cuts the cost of the "
        "retrieved context you send each time.",
        "choices": (
            Choice("often", "Often", ("frequently", "a lot")),
            Choice("sometimes", "Sometimes", ("occasionally",)),
            Choice("rarely", "Rarely", ("seldom", "never")),
        ),
    },
    "requests_per_day": {
        "prompt": "Roughly how many requests a day do you expect? (e.g. 2,000 or 10k)",
        "why": "Volume decides whether per-request costs or one-off build costs dominate, "
        "and where one approach becomes cheaper than another.",
        "per": "day",
    },
    "tokens_per_request": {
        "prompt": "About how many tokens per request, prompt plus output, "
        "not counting retrieved context?",
        "why": "Together with volume and price this sets the yearly inference bill.",
        "sums_parts": True,
    },
    "model": {
        "prompt": "Which model would serve this workload? Pick one, type any model id "
        "(e.g. gpt-4.1-mini, claude-sonnet-4-5), or choose your own price.",
        "why": "Input and output tokens are priced apart, and prompt caching and tuned models "
        "have prices of their own: the costs use the model's actual price list.",
        "kind": "choice",
        "choices": (
            Choice("gpt-4.1", "GPT-4.1 (OpenAI)"),
            Choice("gpt-4.1-mini", "GPT-4.1 mini (OpenAI)"),
            Choice("gpt-4o-mini", "GPT-4o mini (OpenAI)"),
            Choice("claude-sonnet-4-5", "Claude Sonnet 4.5 (Anthropic)"),
            Choice("claude-haiku-4-5", "Claude Haiku 4.5 (Anthropic)"),
            Choice("gemini-2.5-flash", "Gemini 2.5 Flash (Google)"),
            Choice(
                "custom",
                "My own price",
                ("own price", "my price", "other", "none of these", "self-hosted", "own model"),
            ),
        ),
        # Beside the choices, any model id of the price catalogue (conversations.catalogue).
        "extra": {"catalogue": True},
    },
    "output_share": {
        "prompt": "What share of a request's tokens is output (the model's answer)? "
        "(e.g. 30% or 0.3)",
        "why": "Output tokens usually cost several times more than input tokens, so the split "
        "moves the inference bill.",
        "unit": "share",
    },
    "price_per_mtok": {
        "prompt": "What does the serving model cost, in USD per million tokens?",
        "why": "The price of the model the prompt runs on sets the inference side of every "
        "cost estimate.",
        "unit": "USD",
        "per": "mtok",
    },
    "engineer_quarter_usd": {
        "prompt": "What does one engineer cost you for a quarter, fully loaded, in USD?",
        "why": "Build and upkeep are estimated in engineer-quarters; this turns them into "
        "money. It is asked once and used for every workload.",
        "unit": "USD",
        "per": "quarter",
        "working_time": True,
    },
}

_OWN: dict[str, Question] = {
    "name": Question(
        id="name",
        kind="text",
        prompt="What should we call this assessment? (e.g. “Support assistant”)",
        why="The name is how you will find this decision again, and what the reminder "
        "in a year will mention.",
    ),
    "workload_name": Question(
        id="workload_name",
        kind="text",
        prompt="Name this workload: one job the model does (e.g. “answer billing questions”).",
        why="One product can hold several jobs with different answers; each is assessed "
        "on its own.",
    ),
    "another_workload": Question(
        id="another_workload",
        kind="choice",
        prompt="Is there another workload in this assessment?",
        why=f"Each job the model does can need a different approach; up to {MAX_WORKLOADS} "
        "fit in one assessment.",
        choices=_yes_no("Yes, add another", "No, that's all"),
    ),
}


def _from_engine() -> dict[str, Question]:
    built: dict[str, Question] = {}
    for spec in FIELDS:
        words = _WORDS[spec.id]
        kind: Kind = words.get("kind", spec.kind)
        built[spec.id] = Question(
            id=spec.id,
            kind=kind,
            prompt=words["prompt"],
            why=words["why"],
            choices=words.get("choices", ()),
            default=spec.default,
            minimum=spec.minimum,
            maximum=spec.maximum,
            unit=words.get("unit", ""),
            per=words.get("per", ""),
            working_time=words.get("working_time", False),
            sums_parts=words.get("sums_parts", False),
            extra=words.get("extra", {}),
        )
    return built


@cache
def _answer_words() -> dict[str, dict[str, list[str]]]:
    """conversations/answer_words.toml: the words people use for each choice."""
    text = files("conversations").joinpath("answer_words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _with_words(q: Question) -> Question:
    """The question with its choices' words from answer_words.toml added to their synonyms.

    A common yes or no word that the question's own words put on the other side is
    dropped ("done" is a no to "another workload?")."""
    own = _answer_words().get(q.id, {})
    if not own:
        return q
    every = {word for words in own.values() for word in words}
    choices = []
    for choice in q.choices:
        mine = tuple(own.get(choice.id, ()))
        kept = tuple(w for w in choice.synonyms if w not in every or w in mine)
        choices.append(replace(choice, synonyms=kept + mine))
    return replace(q, choices=tuple(choices))


_FRAMEWORK = _from_engine()
FRAMEWORK_FIELDS: tuple[str, ...] = tuple(spec.id for spec in FIELDS)
QUESTIONS: dict[str, Question] = {
    question_id: _with_words(q) for question_id, q in {**_OWN, **_FRAMEWORK}.items()
}

# The order of one workload's questions; engineer_quarter_usd is placed by the machine.
WORKLOAD_ORDER: tuple[str, ...] = (
    "workload_name",
    *(f for f in FRAMEWORK_FIELDS if f != "engineer_quarter_usd"),
)


def question(question_id: str) -> Question:
    """The question with this id; KeyError names the id if there is none."""
    return QUESTIONS[question_id]


# The interview's own questions in words; the framework's fields use engine.words.FIELD_WORDS.
_OWN_FIELD_WORDS: dict[str, str] = {
    "name": "assessment name",
    "workload_name": "workload name",
    "another_workload": "another workload",
}


def question_words(question_id: str) -> str:
    """What a question asks about, in words: "baseline_pct" → "prompt baseline"."""
    return _OWN_FIELD_WORDS.get(question_id) or field_words(question_id)


def field_applies(field_id: str, answers: Mapping[str, Any]) -> bool:
    """Whether a workload field is asked, given that workload's answers so far."""
    if field_id == "workload_name":
        return True
    if field_id == "price_per_mtok" and answers.get("model", "custom") != "custom":
        return False  # a catalogue model brings its own prices
    return applies(field_id, answers)
