"""The export formats (placeholder until the renderers land: Markdown and HTML only)."""
from html import escape


def to_markdown(doc):
    return f"# {doc.title}\n\n{doc.body_html}\n"


def to_html(doc):
    return (f'<!doctype html><html lang="{doc.lang}"><head><meta charset="utf-8"><title>{escape(doc.title)}</title>'
            f"</head><body><h1>{escape(doc.title)}</h1>{doc.body_html}</body></html>")


FORMATS = {"md": (to_markdown, "text/markdown; charset=utf-8", "md"),
           "html": (to_html, "text/html; charset=utf-8", "html")}
