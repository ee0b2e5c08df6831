"""Every setting with its default and one line of doc.

Each one can be overridden by an environment variable of the same name prefixed with
``FORUM_`` (``FORUM_DATABASE_URL``, ``FORUM_SECRET_KEY``…), read by Flask's
``from_prefixed_env``: values are parsed as JSON when they can be (``FORUM_RATELIMIT_ENABLED=false``).
The table of docs/configuration.md is checked against this module by tests/test_documentation.py.
"""

DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"

SETTINGS = {
    # name: (default, doc)
    "SECRET_KEY": (None, "Signs sessions and tokens. Unset: a random key kept in the instance folder; "
                         "set the same random value on every machine. The development key is refused."),
    "INSTANCE_PATH": (None, "Instance folder (database, index, uploads, secret); default: instance/ beside the code."),
    "DATABASE_URL": (None, "SQLAlchemy URL; default: SQLite file agora.db in the instance folder."),
    "REDIS_URL": (None, "Redis URL; when set, Socket.IO uses it as message queue and rate limits are shared."),
    "SOCKETIO_MESSAGE_QUEUE": (None, "Socket.IO message queue URL, when it differs from REDIS_URL."),
    "SOCKETIO_ASYNC_MODE": ("threading", "Socket.IO async mode: threading (default) or gevent; never auto-detected."),
    "SOCKETIO_WEBSOCKET_ONLY": (False, "Accept the WebSocket transport only (no long-polling): set when several "
                                       "workers share a port without sticky sessions (gunicorn.conf.py does)."),
    "SEARCH_BACKEND": ("whoosh", "Full-text search backend: whoosh (embedded) or postgres."),
    "SEARCH_INDEX_DIR": (None, "Whoosh index folder; default: search-index in the instance folder."),
    "SEARCH_DRAIN_AFTER_COMMIT": (True, "Whoosh: apply the indexing journal right after each change commits; false "
                                        "when `flask search drain` runs on its own instead."),
    "UPLOAD_DIR": (None, "Attachment folder; default: uploads in the instance folder."),
    "MAX_ATTACHMENT_BYTES": (8 * 1024 * 1024, "Largest attachment accepted, in bytes."),
    "MEETING_RECEIPT_MAX_BYTES": (5 * 1024 * 1024, "Largest receipt (PDF, JPEG or PNG) accepted with a travel claim, "
                                                   "in bytes (forum/meetings/travel.py)."),
    "MAX_CONTENT_LENGTH": (16 * 1024 * 1024, "Largest HTTP request body accepted, in bytes."),
    "POST_MAX_CHARS": (30000, "Longest post body accepted, in characters."),
    "TITLE_MAX_CHARS": (160, "Longest topic title accepted, in characters."),
    "TITLE_MIN_CHARS": (5, "Shortest topic title accepted, in characters."),
    "TOPICS_PER_PAGE": (30, "Topics per page in a space or tag listing."),
    "POSTS_PER_PAGE": (100, "Posts per page of a topic."),
    "THREAD_MAX_DEPTH": (4, "Deepest indentation of the reply tree; deeper replies are shown flat."),
    "REDACTION_APPEAL_DAYS": (30, "Days a withdrawn version's text is kept, for the coordination only, before "
                                  "`flask moderation purge-redactions` deletes it for good."),
    "NEW_TOPIC_DAYS": (14, "A topic counts as new for a member during this many days if they never opened it."),
    "REGISTRATION_MODE": ("open", "How people join: open (anyone registers), invitation (by invitation only: "
                                  "the registration form is closed) or approval (anyone registers, the "
                                  "coordination approves each account before it can log in)."),
    "REGISTRATION_CONTACT": (None, "An address or a sentence the closed registration page (mode invitation) gives "
                                   "to ask the coordination for an invitation."),
    "PASSWORD_METHOD": ("scrypt", "Werkzeug password hashing method."),
    "PASSWORD_MIN_CHARS": (10, "Shortest password accepted."),
    "RATELIMIT_ENABLED": (True, "Turns Flask-Limiter rate limits on or off."),
    "RATELIMIT_LOGIN": ("10 per minute;50 per hour", "Login attempts allowed per client address and per account."),
    "RATELIMIT_TWO_STEP": ("5 per minute;30 per hour", "Wrong two-step login codes allowed per account and per "
                                                        "client network (login and turning it off)."),
    "TWO_STEP_REQUIRED_FOR_STAFF": (False, "Administrators, coordinators and space moderators must turn two-step "
                                           "login on before anything else; gunicorn.conf.py (production) sets it "
                                           "to true."),
    "RATELIMIT_REGISTRATION_NETWORK": ("30 per hour;100 per day", "Registrations allowed per client network (an "
                                                                   "IPv4 address, an IPv6 /64): a plenary on one "
                                                                   "wifi registers together."),
    "RATELIMIT_REGISTRATION_ADDRESS": ("3 per hour;5 per day", "Registrations allowed per email address (each one "
                                                               "sends an email there)."),
    "RATELIMIT_LINK_NETWORK": ("20 per hour;60 per day", "Requests for an emailed link (forgotten password, login "
                                                          "link, confirmation sent again) per client network."),
    "RATELIMIT_LINK_ADDRESS": ("3 per hour;10 per day", "Requests for an emailed link per email address typed, "
                                                        "from wherever they come (the inbox is the victim)."),
    "RATELIMIT_ACCOUNT_LINKS": ("5 per hour;15 per day", "Account emails (links, address changes) one account "
                                                         "receives, whoever asks; beyond, nothing is sent and "
                                                         "the answer is the same."),
    "RATELIMIT_INVITATIONS": ("30 per hour;200 per day", "Invitation forms (one address, a CSV file, a resend) "
                                                         "sent per member."),
    "RATELIMIT_POSTING": ("6 per minute;120 per day", "Posts allowed per member."),
    "RATELIMIT_CONVERSATIONS": ("5 per hour;20 per day", "Conversations a member may start (private messages and "
                                "letters to a group inbox); answers count as posts."),
    "CONVERSATION_MAX_PARTICIPANTS": (20, "Most members in one private conversation, its author included."),
    "RATELIMIT_POSTING_NEW_MEMBER": ("2 per minute;20 per day", "Posts allowed per member during their first days."),
    "RATELIMIT_API_KEY": ("60 per minute", "Requests allowed per API key, whatever it asks (Discourse's default "
                                            "for its keys); beyond, 429 with Retry-After."),
    "API_CORS_ORIGINS": ("", "Other sites whose pages may call the JSON API with a key (CORS), separated by "
                             "spaces, e.g. \"https://tableau.example.org\"; empty: none (never with the "
                             "member's cookie)."),
    "NEW_MEMBER_DAYS": (3, "A member counts as new during this many days after registration."),
    "RATELIMIT_REPORTING": ("10 per hour;40 per day", "Reports (signalements) allowed per member."),
    "RATELIMIT_REPORTING_NEW_MEMBER": ("3 per hour;10 per day", "Reports allowed per member during their first days."),
    "MODERATION_REPORT_THRESHOLD": (3, "Reports from distinct members that hide a post until a moderator reviews it "
                                      "(default of every space; each space can set its own)."),
    "MODERATION_ESCALATION_HOURS": (48, "Hours a report may wait in a space's queue before the coordination is told "
                                        "(default of every space; each space can set its own)."),
    "PREFERRED_URL_SCHEME": ("http", "Scheme used for absolute links (emails, feeds)."),
    "SERVER_NAME": (None, "Host (and port) used for absolute links outside a request, such as emails."),
    "SESSION_COOKIE_SECURE": (None, "Mark cookies Secure (HTTPS only). Unset: Secure over HTTPS and for every host but "
                                    "127.0.0.1/localhost; false to serve others over plain HTTP."),
    "PROXY_COUNT": (0, "Reverse proxies trusted in front of the app: their X-Forwarded-For and X-Forwarded-Proto "
                       "give the client's address (rate limits, logs) and scheme; 0 ignores those headers."),
    "REMEMBER_COOKIE_DURATION": (30 * 24 * 3600, "Seconds a \"stay logged in\" session lasts without a visit; the "
                                                  "server forgets it after as long."),
    "CONNECTION_DATA_DAYS": (30, "Days connection data is kept (sessions unused since, last visits); `flask accounts "
                                 "purge` deletes what is older (docs/privacy.md)."),
    "BABEL_DEFAULT_LOCALE": ("fr", "Default interface language."),
    "BABEL_DEFAULT_TIMEZONE": ("Europe/Paris", "Time zone in which dates are shown."),
    "SMTP_URL": (None, "smtp://user:pass@host:587 (STARTTLS) or smtps://…; without it, emails are written to files."),
    "CONTACT_EMAIL": ("coordination@agora.localhost", "Address of the coordination shown on the help page and "
                                                      "in pages about access (set a real inbox in production)."),
    "MAIL_SENDER": ("Agora <ne-pas-repondre@agora.localhost>", "From address of the emails sent."),
    "INBOUND_EMAIL_DOMAIN": ("", "Domain of the reply-by-email addresses (reponse+<token>@<domain>, docs/email-in.md); "
                                 "empty: no reply address in emails, replying by email is off."),
    "INBOUND_EMAIL_TOKEN_DAYS": (30, "Days a reply address stays valid after the email that carried it."),
    "INBOUND_EMAIL_MAX_BYTES": (10 * 1024 * 1024, "Largest email received, in bytes; a larger one is refused "
                                                  "(and its sender told)."),
    "INBOUND_EMAIL_KEEP_DAYS": (30, "Days a refused email is kept in quarantine (and the record of each email "
                                    "received), then deleted."),
    "DIGEST_WEEKDAY": (0, "Day the weekly digest is due (0 = Monday)."),
    "DIGEST_HOUR": (8, "Hour (Europe/Paris) the weekly digest is due."),
    "NOTIFICATION_EMAIL_DELAY": (600, "Seconds a notification email waits, gathering others, before it is sent "
                                      "(not sent if the member read it or came to the site meanwhile)."),
    "NOTIFICATION_EMAIL_THREAD": (True, "Send notification emails from a thread of the web process; false when "
                                        "`flask notifications send-emails` runs from cron instead."),
    "GROUP_MENTION_MAX_MEMBERS": (100, "Members past which a group mentioned (@comite-13, @college-…) is not "
                                       "notified; the author is told."),
    "WEBHOOK_TIMEOUT": (10, "Seconds a webhook's receiver has to connect and to answer each read, per attempt."),
    "WEBHOOK_MAX_ATTEMPTS": (5, "Attempts of one webhook delivery before it is given up (the first one included)."),
    "WEBHOOK_RETRY_DELAY": (60, "Seconds before a failed webhook delivery is tried again, doubled at each new "
                                "attempt (60, 120, 240…)."),
    "WEBHOOK_DISABLE_AFTER": (10, "Failed attempts in a row (whatever the deliveries) after which a webhook is "
                                  "disabled, until an administrator enables it again."),
    "WEBHOOK_LOG_DAYS": (30, "Days a finished webhook delivery stays in its webhook's log."),
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": (False, "Let webhooks send to this machine and to private networks "
                                               "(loopback, 10.x, 192.168.x…): refused by default."),
    "EXPORT_BACKGROUND_POSTS": (500, "A member with more posts than this gets their data archive (\"Mes données\") "
                                     "prepared in the background and a link by email, instead of at once."),
    "EXPORT_PER_DAY": (3, "Data archives a member may ask for in 24 hours (one at a time)."),
    "EXPORT_ATTACHMENT_BYTES": (2 * 1024 * 1024, "Largest uploaded file copied into a member's data archive, "
                                                 "in bytes; larger ones are listed only."),
    "BACKUP_DIR": (None, "Folder of `flask backup create` without --to; default: backups in the instance folder."),
    "BACKUP_KEEP": (14, "Archives kept in FORUM_BACKUP_DIR: `flask backup create` deletes the older ones."),
    "METRICS_TOKEN": ("", "Token that opens /metrics from elsewhere than this machine (Authorization: Bearer …); "
                          "empty: loopback only."),
    "LOG_FORMAT": ("text", "Request logs: \"json\" (one line per request: id, route, status, duration, member "
                           "hashed; gunicorn.conf.py sets it) or \"text\"."),
    "PAGE_CACHE_BYTES": (16 * 1024 * 1024, "Memory per process for whole pages kept for anonymous visitors and "
                                           "members (invalidated through the database); 0 turns the cache off."),
    "PAGE_CACHE_VERIFY": (False, "Render a member's kept page again on each hit and fail if it differs (tests: "
                                 "a write that forgot to bump a version); never in production."),
    "WEB_ONLY": (False, "Serve pages only: skip what the command line alone needs (Alembic, ~11 MiB per "
                        "process); gunicorn.conf.py sets it for its workers."),
    "COMPRESS_RESPONSES": (True, "Gzip text responses (pages only for requests from the site itself, against "
                                 "BREACH); false when a proxy in front compresses by the same rule."),
    "BENCH_HOOKS": (False, "Expose loopback-only benchmark hooks (/_bench/…); never in production."),
}

LOCALES = ("fr", "en")


def defaults():
    """The default value of every setting, as a mapping for ``app.config``."""
    return {name: default for name, (default, _doc) in SETTINGS.items()}
