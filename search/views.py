"""The search page (``/recherche``) and its JSON twin (``/search.json``): thin, over ``searching``."""
from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from forum.api import arguments
from forum.api.listing import can_create_topic
from forum.topics.reading import clamp_page

from . import discourse, searching

bp = Blueprint("search", __name__)

# Form field → filter name of the query syntax (the fields are optional: the box alone is enough).
FIELDS = {"auteur": "auteur", "espace": "espace", "tag": "tag", "college": "college", "apres": "after",
          "avant": "before", "titre": "in", "statut": "status", "tri": "order"}


def _run():
    args = request.args
    fields = {name: args.get(field, "")[:200] for field, name in FIELDS.items()}
    text = args.get("q", "")[:1000]
    return searching.search(current_user, text, fields, page=clamp_page(args.get("page", 1)))


def result_url(item):
    """A decision's result leads to the decision (``decisions.show``, which finds its post in its
    topic); any other to its post. Where no decision page is registered, to the post as well."""
    if item.poll_id is not None:
        try:
            return url_for("decisions.show", poll_id=item.poll_id)
        except BuildError:
            pass
    return url_for("topics.post", post_id=item.post.id)


@bp.route("/recherche")
def results():
    found = _run()
    form = {field: request.args.get(field, "")[:200] for field in FIELDS}
    chosen = searching.choices(current_user, form["espace"], form["tag"], form["college"])
    return render_template("search/results.html", found=found, form=form, choices=chosen, result_url=result_url,
                           arguments={k: v for k, v in request.args.items() if k != "page" and v})


def _result(item):
    return {
        "post_id": item.post.id,
        "url": result_url(item),
        "decision_id": item.poll_id,
        "topic": {"id": item.topic.id, "title": item.topic.title,
                  "url": url_for("topics.topic", topic_id=item.topic.id, slug=item.topic.slug or None)},
        "space": {"slug": item.space.slug, "name": item.space.name},
        "author": item.author.pseudonym,
        "created_at": item.post.created_at.isoformat() + "Z",
        "title_html": str(item.title_html),
        "excerpt_html": str(item.excerpt_html),
        "score": item.score,
    }


def _document(item):
    """A published synthesis or a resource found (``type:synthese``, ``type:ressource``)."""
    return {"kind": item.kind, "url": item.url, "title_html": str(item.title_html),
            "excerpt_html": str(item.excerpt_html), "space": {"slug": item.space.slug, "name": item.space.name},
            "date": item.date.isoformat() + "Z", "transmitted": item.transmitted}


@bp.route("/search.json")
def results_json():
    """What the search page finds, with Discourse's fields.
    ---
    get:
      summary: Rechercher
      parameters: [{name: q, in: query, description: "the first 1,000 characters are read", schema: {type: string}},
                   {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 99999}}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Search"}}}}}
    """
    arguments.page(1)   # the API reads its arguments strictly (the page takes the nearest)
    found = _run()
    return jsonify({
        "query": found.text,
        "total": found.total,
        "page": found.pagination.page,
        "pages": found.pagination.pages,
        "per_page": found.pagination.per_page,
        "messages": found.messages,
        "partial": found.partial,
        "suggestion": found.suggestion,
        "results": [_result(item) for item in found.items],
        "documents": [_document(item) for item in found.documents],
        **discourse.shape(found, can_create_topic(current_user)),
    })
