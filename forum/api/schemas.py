"""The JSON Schemas (2020-12, as OpenAPI 3.1 reads them) of what ``shapes.py`` writes: the
document's components. Every field ``shapes.py`` writes is named here with its type; the
schemathesis run (tests/api/test_openapi.py) fails when an answer and its schema part ways."""


def _nullable(kind):
    return {"type": [kind, "null"]}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": "string", "format": "date-time"}
NULL_DATE = {"type": ["string", "null"], "format": "date-time"}


def _object(properties, required=None):
    return {"type": "object", "properties": properties, "required": sorted(required or properties)}


USER = _object({"id": INTEGER, "username": STRING, "name": STRING, "avatar_template": STRING,
                "college": _nullable("string")})

POSTER = _object({"extras": _nullable("string"), "description": STRING, "user_id": INTEGER,
                  "primary_group_id": {"type": "null"}})

TOPIC_ITEM = _object({
    "id": INTEGER, "title": STRING, "fancy_title": STRING, "slug": STRING, "posts_count": INTEGER,
    "reply_count": INTEGER, "highest_post_number": INTEGER, "image_url": {"type": "null"},
    "created_at": DATE, "last_posted_at": DATE, "bumped": BOOLEAN, "bumped_at": DATE,
    "archetype": {"const": "regular"}, "unseen": BOOLEAN, "unread_posts": INTEGER, "new_posts": INTEGER,
    "last_read_post_number": _nullable("integer"), "pinned": BOOLEAN, "unpinned": {"type": "null"},
    "visible": BOOLEAN, "closed": BOOLEAN, "archived": BOOLEAN, "bookmarked": {"type": "null"},
    "liked": {"type": "null"}, "tags": {"type": "array", "items": STRING}, "views": INTEGER,
    "like_count": INTEGER, "has_summary": BOOLEAN, "last_poster_username": STRING, "category_id": INTEGER,
    "pinned_globally": BOOLEAN, "featured_link": {"type": "null"},
    "posters": {"type": "array", "items": {"$ref": "#/components/schemas/Poster"}},
    "decision_closes_at": NULL_DATE,
})

TAG_OF_LIST = _object({"id": STRING, "name": STRING, "text": STRING, "topic_count": INTEGER, "staff": BOOLEAN})

TOPIC_LIST = _object({
    "users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
    "primary_groups": {"type": "array", "maxItems": 0},
    "topic_list": _object({
        "can_create_topic": BOOLEAN, "more_topics_url": _nullable("string"), "per_page": INTEGER,
        "top_tags": {"type": "array"},
        "topics": {"type": "array", "items": {"$ref": "#/components/schemas/TopicListItem"}},
        "tags": {"type": "array", "items": TAG_OF_LIST},
    }, required=["can_create_topic", "more_topics_url", "per_page", "topics"]),
    "category": {"$ref": "#/components/schemas/Category"},
}, required=["users", "primary_groups", "topic_list"])

CATEGORY = _object({
    "id": INTEGER, "name": STRING, "color": STRING, "text_color": STRING, "slug": STRING, "topic_count": INTEGER,
    "post_count": INTEGER, "position": INTEGER, "description": STRING, "description_text": STRING,
    "description_excerpt": STRING, "topic_url": STRING, "read_restricted": BOOLEAN, "permission": {"type": "null"},
    "notification_level": {"type": "null"}, "topic_template": {"type": "null"}, "has_children": BOOLEAN,
    "sort_order": {"type": "null"}, "sort_ascending": {"type": "null"}, "show_subcategory_list": BOOLEAN,
    "num_featured_topics": INTEGER, "default_view": STRING, "subcategory_list_style": STRING,
    "default_top_period": STRING, "default_list_filter": STRING, "minimum_required_tags": INTEGER,
    "navigate_to_first_post_after_read": BOOLEAN, "subcategory_ids": {"type": "array", "maxItems": 0},
    "uploaded_logo": {"type": "null"}, "uploaded_background": {"type": "null"}, "kind": STRING,
    "department": _nullable("string"), "archived": BOOLEAN,
})

CATEGORY_LIST = _object({"category_list": _object({
    "can_create_category": BOOLEAN, "can_create_topic": BOOLEAN,
    "categories": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}}})})

POST = _object({
    "id": INTEGER, "name": STRING, "username": STRING, "avatar_template": STRING, "created_at": DATE,
    "updated_at": DATE, "cooked": STRING, "post_number": INTEGER, "post_type": INTEGER, "reply_count": INTEGER,
    "reply_to_post_number": _nullable("integer"), "quote_count": INTEGER, "incoming_link_count": INTEGER,
    "reads": INTEGER, "readers_count": INTEGER, "score": INTEGER, "yours": BOOLEAN, "topic_id": INTEGER,
    "topic_slug": STRING, "display_username": STRING, "primary_group_name": {"type": "null"},
    "flair_name": {"type": "null"}, "version": INTEGER, "can_edit": BOOLEAN, "can_delete": BOOLEAN,
    "can_recover": BOOLEAN, "can_wiki": BOOLEAN, "read": BOOLEAN, "user_title": {"type": "null"},
    "bookmarked": BOOLEAN, "actions_summary": {"type": "array"}, "moderator": BOOLEAN, "admin": BOOLEAN,
    "staff": BOOLEAN, "user_id": _nullable("integer"), "hidden": BOOLEAN, "trust_level": INTEGER,
    "deleted_at": NULL_DATE, "user_deleted": BOOLEAN, "edit_reason": {"type": "null"},
    "can_view_edit_history": BOOLEAN, "wiki": BOOLEAN,
    "state": {"enum": ["visible", "pending", "hidden", "deleted", "removed"]}, "college": _nullable("string"),
    "raw": STRING,
}, required=["id", "username", "cooked", "post_number", "topic_id", "created_at", "user_id", "hidden", "state"])

TOPIC = {"allOf": [{"$ref": "#/components/schemas/TopicListItem"}, _object({
    "post_stream": _object({"posts": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}},
                            "stream": {"type": "array", "items": INTEGER}}),
    "details": _object({"can_edit": BOOLEAN, "can_create_post": BOOLEAN, "can_reply_as_new_topic": BOOLEAN,
                        "notification_level": INTEGER,
                        "participants": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
                        "created_by": {"$ref": "#/components/schemas/User"},
                        "last_poster": {"anyOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]}}),
    "chunk_size": INTEGER, "participant_count": INTEGER, "current_post_number": INTEGER,
    "user_id": INTEGER, "page": INTEGER, "pages": INTEGER,
})]}

TAGS = _object({"tags": {"type": "array", "items": _object({
    "id": STRING, "text": STRING, "name": STRING, "count": INTEGER, "pm_count": INTEGER, "target_tag": {"type": "null"}})},
    "extras": _object({"categories": {"type": "array"}})})

PROFILE = _object({"user_badges": {"type": "array", "maxItems": 0}, "user": {"allOf": [
    {"$ref": "#/components/schemas/User"},
    _object({"created_at": DATE, "bio_raw": STRING, "bio_excerpt": STRING, "profile_url": STRING,
             "trust_level": INTEGER, "moderator": BOOLEAN, "admin": BOOLEAN, "title": {"type": "null"},
             "badge_count": INTEGER,
             "recent_posts": {"type": "array", "items": _object({
                 "id": INTEGER, "topic_id": INTEGER, "topic_title": STRING, "post_number": INTEGER,
                 "created_at": DATE})}})]}})

NOTIFICATIONS = _object({
    "notifications": {"type": "array", "items": _object({
        "id": INTEGER, "user_id": INTEGER, "notification_type": INTEGER, "read": BOOLEAN, "high_priority": BOOLEAN,
        "created_at": DATE, "post_number": _nullable("integer"), "topic_id": _nullable("integer"),
        "fancy_title": _nullable("string"), "slug": _nullable("string"), "data": {"type": "object"},
        "kind": STRING, "url": STRING})},
    "total_rows_notifications": INTEGER, "seen_notification_id": _nullable("integer"),
    "load_more_notifications": _nullable("string"), "unread": INTEGER})

SEARCH = _object({
    "posts": {"type": "array", "items": _object({
        "id": INTEGER, "name": STRING, "username": STRING, "avatar_template": STRING, "created_at": DATE,
        "like_count": INTEGER, "blurb": STRING, "post_number": INTEGER, "topic_title_headline": STRING,
        "topic_id": INTEGER})},
    "topics": {"type": "array", "items": {"$ref": "#/components/schemas/TopicListItem"}},
    "grouped_search_result": {"type": "object", "required": ["term", "post_ids"],
                              "properties": {"term": STRING, "post_ids": {"type": "array", "items": INTEGER}}},
    "total": INTEGER, "query": STRING,
})

ERROR = _object({"errors": {"type": "array", "items": STRING, "minItems": 1}, "error_type": STRING,
                 "error": STRING, "status": INTEGER})

EDITED = _object({"post": {"$ref": "#/components/schemas/Post"}})

CURRENT_USER = _object({"current_user": {"allOf": [{"$ref": "#/components/schemas/User"}, _object({
    "admin": BOOLEAN, "moderator": BOOLEAN, "staff": BOOLEAN, "silenced": BOOLEAN, "locale": STRING})]}})

# What the writes read (``writing.py``): a reply names its topic, a new topic its title and space.
NEW_POST = {"type": "object", "additionalProperties": False, "required": ["raw"], "properties": {
    "raw": {"type": "string", "minLength": 1}, "topic_id": {"type": "integer", "minimum": 1},
    "reply_to_post_number": {"type": "integer", "minimum": 1}, "title": STRING,
    "category": {"type": "integer", "minimum": 1}, "tags": {"type": "array", "items": STRING},
    "archetype": {"const": "regular"}}}
POST_EDIT = {"type": "object", "additionalProperties": False, "required": ["post"], "properties": {
    "post": {"type": "object", "additionalProperties": False, "required": ["raw"],
             "properties": {"raw": {"type": "string", "minLength": 1}, "edit_reason": STRING}}}}

COMPONENTS = {"User": USER, "Poster": POSTER, "TopicListItem": TOPIC_ITEM, "TopicList": TOPIC_LIST,
              "Category": CATEGORY, "CategoryList": CATEGORY_LIST, "Post": POST, "Topic": TOPIC, "Tags": TAGS,
              "Profile": PROFILE, "Notifications": NOTIFICATIONS, "Search": SEARCH, "Error": ERROR,
              "EditedPost": EDITED, "NewPost": NEW_POST, "PostEdit": POST_EDIT,
              "CurrentUser": CURRENT_USER}
