"""The ids each choice and set field of FRAMEWORK.md §2 accepts, in list order."""

from __future__ import annotations

from enum import StrEnum


class Deployment(StrEnum):
    PRODUCTION = "production"
    RESEARCH = "research"


class Domain(StrEnum):
    GENERAL = "general"
    SPECIALIZED = "specialized"


class Task(StrEnum):
    GENERATION = "generation"
    CLASSIFICATION = "classification"
    EXTRACTION = "extraction"
    DOCUMENT_SEARCH = "document_search"


class KnowledgeNeed(StrEnum):
    NONE = "none"
    SMALL_FIXED = "small_fixed"
    CORPUS = "corpus"


class Freshness(StrEnum):
    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    RARELY = "rarely"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class Gap(StrEnum):
    TONE = "tone"
    FORMAT = "format"
    REFUSAL = "refusal"
    REASONING = "reasoning"
    KNOWLEDGE = "knowledge"


class RepeatQueries(StrEnum):
    OFTEN = "often"
    SOMETIMES = "sometimes"
    RARELY = "rarely"
