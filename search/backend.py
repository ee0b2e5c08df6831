"""The backend interface, ``Backend``: what ``indexing``, ``searching`` and ``cli`` ask of an index.

A backend only knows documents (``PostDoc``) and a resolved ``Scope``; it returns post ids with
scores. Everything a person sees is then reloaded from the database and checked against
``forum.permissions`` by ``search.searching``.

Two implementations: ``whoosh_backend`` (embedded, written after commit from the journal, see
``journal``) and ``postgres_backend`` (written in the change's own transaction). Callers never
ask which one they hold: a third backend implements ``Backend`` and touches no caller.
"""
import abc
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from flask import current_app

#: The default of ``Backend.search``'s ``max_results``, for callers that do not say (``searching``
#: always does: ``MAX_PAGE`` pages of results). Counting further costs and serves nobody.
MAX_RESULTS = 1000


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
    post_ids: frozenset | None = None        # None: any post; else only these (``type:decision``)


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


class Backend(abc.ABC):
    """A full-text index of the published posts. Every method is abstract: a backend lacking one
    cannot be instantiated."""

    # --- keeping the index in step with the database (``search.indexing``) -----------------

    @abc.abstractmethod
    def changed(self, session, post_ids: Iterable[int], topic_ids: Iterable[int]) -> None:
        """Inside the transaction of a change (``session``'s): the documents of these posts, and of
        every post of these topics, may have changed. What is written here commits or rolls back
        with the change. May raise: the caller logs it, and the change goes on (a backend that
        writes in ``session`` does so in a savepoint)."""

    @abc.abstractmethod
    def after_commit(self) -> None:
        """After such a change committed: whatever work is left to make it searchable. Never
        raises for an indexing failure (it is logged; ``drain`` or ``rebuild`` repairs it)."""

    @abc.abstractmethod
    def drain(self) -> int:
        """Apply the work left pending by earlier changes (after a crash, a failure, or with the
        work after commit turned off); returns how many jobs were applied."""

    @abc.abstractmethod
    def pending(self) -> int:
        """How many jobs wait for ``drain``."""

    @abc.abstractmethod
    def lag_seconds(self) -> float:
        """How long the oldest job waiting for ``drain`` has waited, in seconds (/metrics)."""

    @abc.abstractmethod
    def rebuild(self, batches: Iterable, progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index with these documents (batches of ``PostDoc``, read from the
        database as they are consumed); returns the number of documents read. Work pending
        from before is done too."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    @abc.abstractmethod
    def is_stale(self) -> bool:
        """True when the index was built by an earlier version and must be rebuilt."""

    @abc.abstractmethod
    def forget(self) -> None:
        """Drop what rewritten or removed documents leave behind (a member was erased: their
        name must not stay readable in the index's files)."""

    # --- querying (``search.searching``) ---------------------------------------------------

    @abc.abstractmethod
    def search(self, terms: Terms, scope: Scope, offset: int, limit: int,
               max_results: int = MAX_RESULTS) -> Page:
        """Post ids of one page of results, best first (latest first with ``order: latest`` or
        without words), and their scores.

        ``total`` counts the matches: exactly up to ``max_results`` (the most results the
        caller will ever show), or an estimate; past ``max_results`` it is only said to be
        greater, so that frequent words are not counted to the end."""


def current() -> Backend:
    """The backend of the current app (``search.init_app`` made it)."""
    return current_app.extensions["search"]
