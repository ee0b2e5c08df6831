"""The backend interface: index documents, remove posts, query, clear. Two implementations.

A backend only knows documents (``PostDoc``) and a resolved ``Scope``; it returns post ids with
scores. Everything a person sees is then reloaded from the database and checked against
``forum.permissions`` by ``search.searching``.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Protocol


@dataclass(frozen=True)
class Scope:
    """The query's filters, resolved to ids. ``space_ids`` is always set: what the viewer may read."""
    space_ids: frozenset
    author_ids: frozenset | None = None      # None: anyone
    tags: tuple = ()
    status: str | None = None
    after: date | None = None                # inclusive
    before: date | None = None               # exclusive
    in_title: bool = False
    order: str = "relevance"


@dataclass(frozen=True)
class Terms:
    """The text part of a query: required words and phrases, excluded ones, and how words combine."""
    words: tuple = ()
    phrases: tuple = ()
    excluded: tuple = ()
    any_word: bool = False                   # True: at least one word (the fallback), else all


@dataclass
class Page:
    post_ids: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    total: int = 0


class Backend(Protocol):
    #: True when ``index``/``remove`` write in the caller's database transaction (PostgreSQL);
    #: False when they must run after commit, one writer at a time, from the journal (Whoosh).
    transactional: bool

    def index(self, docs: Iterable) -> None:
        """Add or replace these documents (idempotent); a non-searchable one is removed."""

    def remove(self, post_ids: Iterable[int]) -> None:
        """Remove these posts (idempotent)."""

    def search(self, terms: Terms, scope: Scope, offset: int, limit: int) -> Page:
        """Post ids of one page of results, best first, and the total count."""

    def clear(self) -> None:
        """Remove everything."""

    def rebuild(self, batches: Iterable, progress=None) -> int:
        """Replace the whole index with these documents (batches of ``PostDoc``)."""

    def is_stale(self) -> bool:
        """True when the index was built by an earlier version and must be rebuilt."""
