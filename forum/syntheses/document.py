"""A synthesis as it is exported: plain data, already permission-checked and filtered.

Built by ``forum.syntheses.export`` from a synthesis (or a published version) for one reader;
the renderers (PDF, ODT, Markdown, standalone HTML) read only this, never the database. Every
text in it is safe to print: hidden, deleted, redacted and pending posts never enter it.
"""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    """A topic, decision or post the synthesis is built on, with its absolute link."""
    kind: str            # "topic" | "decision" | "post"
    label: str           # « Sujet : Accès aux droits… », « Décision : … », « Message de Claire-IRTS »
    url: str             # absolute URL (https://…/sujet/12)


@dataclass(frozen=True)
class CollegeCount:
    """Contributors of one collège, or of a merged group (« Autres collèges (…) »)."""
    label: str
    count: int


@dataclass(frozen=True)
class ExportDocument:
    title: str
    body_html: str                  # sanitized HTML of the synthesis (h2/h3…, p, lists, tables,
                                    # blockquote class="quote" with p.quote-source cite a), no h1
    space_name: str                 # the comité or theme: « Comité local des Bouches-du-Rhône »
    version: int                    # 1, 2…
    status_label: str               # « Brouillon », « En relecture », « Validée », « Publiée »,
                                    # « Publiée et transmise au HCTS »
    dated: datetime                 # UTC; published_at when published, else last change
    url: str                        # absolute URL of the synthesis page
    lang: str = "fr"
    sources: tuple = field(default_factory=tuple)            # Source…
    contributors: tuple = field(default_factory=tuple)       # CollegeCount…, small groups merged
    named_contributors: tuple = field(default_factory=tuple)  # pseudonyms of who agreed to be named
    contributor_total: int = 0                               # everyone counted (when no collège is shown)
    transmitted_at: datetime | None = None                   # sent to the HCTS
