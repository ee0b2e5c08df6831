"""``/search.json`` in Discourse's shape as well: ``posts``, ``topics`` and
``grouped_search_result``, beside Agora's own fields (forum/api/: the API in Discourse's shapes).

Built from the same ``Results`` as the page, so totals and items are what the viewer may read."""
from markupsafe import Markup

from forum.api import shapes
from forum.topics.reading import TopicRow


def shape(found, can_create_topic):
    topics, posts = {}, []
    for item in found.items:
        topics.setdefault(item.topic.id, shapes.topic_item(TopicRow(item.topic)))
        posts.append({"id": item.post.id, "name": item.author.pseudonym, "username": item.author.pseudonym,
                      "avatar_template": "", "created_at": shapes.when(item.post.created_at), "like_count": 0,
                      "blurb": Markup(str(item.excerpt_html)).striptags(), "post_number": item.post.number,
                      "topic_title_headline": Markup(str(item.title_html)).striptags(),
                      "topic_id": item.topic.id})
    more = found.pagination is not None and found.pagination.has_next
    return {
        "posts": posts, "topics": list(topics.values()), "users": [], "categories": [], "tags": [], "groups": [],
        "grouped_search_result": {
            "more_posts": more or None, "more_users": None, "more_categories": None, "term": found.text,
            "search_log_id": None, "more_full_page_results": more or None, "can_create_topic": can_create_topic,
            "error": None, "post_ids": [post["id"] for post in posts], "user_ids": [], "category_ids": [],
            "tag_ids": [], "group_ids": [],
        },
    }
