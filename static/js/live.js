/* Agora, live pages: progressive enhancement over Socket.IO. Without it every page still works.
 *
 * Events are hints carrying ids; what is shown is always fetched over HTTP, where permissions
 * are checked (a post's fragment, a topic row, the counters). Joining a topic sends the last
 * post id seen and the server time of the last synchronisation; the acknowledgement carries
 * what was missed. Every reconnection joins again, so nothing is lost; posts already on the
 * page are never inserted twice. Nothing here moves the focus or scrolls the page.
 */
(function () {
  "use strict";

  var body = document.body;
  var script = document.currentScript;
  var topicId = Number(body.getAttribute("data-topic-id")) || 0;
  var spaceId = Number(body.getAttribute("data-space-id")) || 0;
  var home = body.getAttribute("data-live-home") === "1";
  var counter = document.getElementById("compteur-notifications");
  if (!(topicId || spaceId || home || counter) || !window.fetch || !script) {
    return;
  }

  var TYPING_EVERY_MS = 3000;
  var TYPING_SHOWN_MS = 6000;

  // --- small tools -------------------------------------------------------------------------

  function fetchJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          var error = new Error("HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return response.json();
      });
  }

  function fromHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  var announcer = document.getElementById("annonces");
  function announce(text) {
    if (!announcer || !text) {
      return;
    }
    // A new node per message: screen readers announce additions to a polite region.
    var line = document.createElement("p");
    line.textContent = text;
    announcer.appendChild(line);
    while (announcer.childNodes.length > 5) {
      announcer.removeChild(announcer.firstChild);
    }
  }

  // A bar at the bottom of the window for what cannot be placed ("reload to see…"):
  // fixed, so that nothing the member is reading moves.
  var bar = null;
  function notice(text) {
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "live-bar";
      bar.setAttribute("role", "status");
      var link = document.createElement("a");
      link.href = window.location.pathname + window.location.search;
      bar.appendChild(link);
      document.body.appendChild(bar);
    }
    bar.firstChild.textContent = text;
  }

  function text(name, fallback) {
    return (script.getAttribute("data-text-" + name) || fallback);
  }

  function loadClient(then) {
    if (window.io) {
      then();
      return;
    }
    var tag = document.createElement("script");
    tag.src = script.getAttribute("data-socketio");
    tag.onload = then;
    document.head.appendChild(tag);
  }

  // --- a topic page --------------------------------------------------------------------------

  var lastPostId = Number(body.getAttribute("data-last-post-id")) || 0;
  var cursor = body.getAttribute("data-cursor") || "";
  var view = body.getAttribute("data-view") || "arbre";
  var lastPage = body.getAttribute("data-last-page") === "1";
  var maxDepth = Number(body.getAttribute("data-thread-max-depth")) || 4;
  var pending = {};   // post ids being fetched: one request per post, whatever the hints

  function articleOf(postId) {
    return document.querySelector('article[data-post-id="' + Number(postId) + '"]');
  }

  function topList() {
    return document.querySelector("section.replies > ol.thread");
  }

  // Where a new reply goes: {list, flat} or null when it is not on this page.
  function placeFor(parentId) {
    var parent = parentId ? articleOf(parentId) : null;
    var opening = parent && !parent.closest("section.replies");
    if (view === "chrono" || !parent || opening) {
      // At the end of the last page; "en réponse à" unless it answers the opening post.
      return lastPage && topList() ? {list: topList(), flat: !!parentId && !opening} : null;
    }
    var parentItem = parent.closest("li");
    var level = 0;
    for (var node = parentItem.parentElement; node && !node.matches("section.replies > ol.thread");
         node = node.parentElement) {
      if (node.matches("ol.thread")) {
        level += 1;
      }
    }
    if (level + 1 > maxDepth) {
      return {list: parentItem.parentElement, flat: true};   // deeper replies are shown flat
    }
    var list = parentItem.querySelector(":scope > ol.thread");
    if (!list) {
      list = document.createElement("ol");
      list.className = "thread";
      parentItem.appendChild(list);
    }
    return {list: list, flat: false};
  }

  function fragmentURL(postId, flat) {
    return "/message/" + Number(postId) + "/fragment?vue=" + encodeURIComponent(view) + (flat ? "&plat=1" : "");
  }

  function showNew(post) {
    lastPostId = Math.max(lastPostId, post.id);
    if (articleOf(post.id) || pending[post.id]) {
      return;   // already shown (or on its way): never twice
    }
    var place = placeFor(post.parent_id);
    if (!place) {
      notice(text("elsewhere", "Nouvelles réponses : rechargez la page pour les voir."));
      return;
    }
    pending[post.id] = true;
    fetchJSON(fragmentURL(post.id, place.flat)).then(function (data) {
      if (articleOf(post.id)) {
        return;
      }
      var article = fromHTML(data.html);
      article.classList.add("post-live");
      var item = document.createElement("li");
      item.appendChild(article);
      place.list.appendChild(item);
      announce(data.announce);
    }).catch(function () { /* not readable (any more): nothing to show */ })
      .then(function () { delete pending[post.id]; });
  }

  function refresh(postId) {
    var current = articleOf(postId);
    if (!current) {
      showNew({id: postId, parent_id: null});   // e.g. a pending post approved meanwhile
      return;
    }
    var flat = !!current.querySelector(".in-reply-to");
    fetchJSON(fragmentURL(postId, flat)).then(function (data) {
      var article = fromHTML(data.html);
      article.classList.add("post-live");
      var still = articleOf(postId);
      if (still) {
        still.replaceWith(article);
        announce(data.announce);
      }
    }).catch(function (error) {
      var still = articleOf(postId);
      if (error.status === 404 && still) {
        still.classList.add("post-gone");
        still.replaceChildren(document.createTextNode(text("gone", "Ce message n'est plus visible.")));
      }
    });
  }

  function onTopicAck(ack) {
    if (!ack || !ack.ok) {
      return;
    }
    body.setAttribute("data-live", "joined");
    cursor = ack.cursor || cursor;
    (ack.posts || []).forEach(showNew);
    (ack.changed || []).forEach(refresh);
    if (ack.too_many) {
      notice(text("many", "Beaucoup de nouveaux messages : rechargez la page."));
    }
  }

  // "X est en train d'écrire…": shown a few seconds, never announced (it would be noise).
  var typingLine = document.getElementById("en-train-d-ecrire");
  var typingTimer = null;
  function showTyping(data) {
    if (!typingLine || data.topic_id !== topicId) {
      return;
    }
    typingLine.textContent = typingLine.getAttribute("data-text").replace("{nom}", data.pseudonym);
    typingLine.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.hidden = true; }, TYPING_SHOWN_MS);
  }

  // --- space page and home: rows and counters, always absolute ---------------------------------

  var spaceCursor = "";
  var liveList = body.getAttribute("data-live-list") || "";   // "activite", "recents" or ""

  function refreshRow(topic, created) {
    var list = document.querySelector("ol.topic-list");
    var listed = list && list.querySelector(':scope > li[data-topic-id="' + Number(topic) + '"]');
    if (liveList === "recents" && !created && !listed) {
      return;   // activity does not move a topic in the "most recent" order
    }
    if (!liveList || !list) {
      notice(text("topics", "Nouvelle activité dans cet espace : rechargez la page."));
      return;
    }
    fetchJSON("/sujet/" + Number(topic) + "/ligne").then(function (data) {
      var row = fromHTML(data.html);
      row.classList.add("topic-live");
      var old = list.querySelector(':scope > li[data-topic-id="' + Number(topic) + '"]');
      if (old && liveList === "recents") {
        old.replaceWith(row);
        return;
      }
      if (old) {
        old.remove();
      }
      // After the pinned topics, which stay first.
      var first = null;
      list.querySelectorAll(":scope > li").forEach(function (item) {
        if (!first && item.getAttribute("data-pinned") !== "1") {
          first = item;
        }
      });
      list.insertBefore(row, first);
      announce(data.announce);
    }).catch(function () {});
  }

  var countersTimer = null;
  function refreshCounters() {
    // Coalesce a burst of hints into one request.
    clearTimeout(countersTimer);
    countersTimer = setTimeout(function () {
      fetchJSON("/activite.json").then(function (data) {
        data.spaces.forEach(function (space) {
          var stats = document.querySelector('[data-space-stats="' + Number(space.id) + '"]');
          if (stats) {
            stats.replaceChildren.apply(stats, Array.from(fromHTML("<span>" + space.html + "</span>").childNodes));
          }
        });
      }).catch(function () {});
    }, 500);
  }

  function onSpaceAck(ack) {
    if (!ack || !ack.ok) {
      return;
    }
    body.setAttribute("data-live", "joined");
    spaceCursor = ack.cursor || spaceCursor;
    (ack.topics || []).forEach(function (id) { refreshRow(id, false); });
    if (ack.too_many) {
      notice(text("topics", "Nouvelle activité dans cet espace : rechargez la page."));
    }
  }

  function updateCounter(unread) {
    if (!counter) {
      return;
    }
    var count = Number(unread) || 0;
    counter.textContent = String(count);
    counter.setAttribute("data-count", String(count));
    var holder = counter.closest("li") || counter;
    holder.hidden = count === 0;
  }

  // --- the socket ------------------------------------------------------------------------------

  loadClient(function () {
    if (!window.io) {
      return;
    }
    // WebSocket first (no sticky sessions needed behind several processes); long-polling
    // stays as the fallback where a proxy blocks WebSocket.
    // Several gunicorn workers without a sticky proxy: WebSocket only (data-websocket-only).
    var transports = script.getAttribute("data-websocket-only") ? ["websocket"] : ["websocket", "polling"];
    var socket = window.io({transports: transports, tryAllTransports: true});

    socket.on("disconnect", function () { body.setAttribute("data-live", "off"); });
    socket.on("connect", function () {
      body.setAttribute("data-live", "connected");
      if (topicId) {
        socket.emit("join_topic", {topic_id: topicId, after: lastPostId, since: cursor}, onTopicAck);
      }
      if (spaceId) {
        socket.emit("join_space", {space_id: spaceId, since: spaceCursor || cursorOfPage()}, onSpaceAck);
      }
      if (home) {
        socket.emit("join_home", {}, function () {
          body.setAttribute("data-live", "joined");
          refreshCounters();
        });
      }
    });

    socket.on("post_created", function (data) {
      if (data.topic_id === topicId) {
        showNew({id: data.post_id, parent_id: data.parent_id});
      }
    });
    socket.on("post_changed", function (data) {
      if (data.topic_id === topicId && articleOf(data.post_id)) {
        refresh(data.post_id);
      }
    });
    socket.on("posts_moved", function (data) {
      if (data.from_topic_id === topicId) {
        data.post_ids.forEach(function (id) {
          var article = articleOf(id);
          if (article) {
            article.classList.add("post-gone");
            article.replaceChildren(document.createTextNode(text("moved", "Ce message a été déplacé dans un autre sujet.")));
          }
        });
      } else if (data.to_topic_id === topicId) {
        notice(text("changed", "Ce sujet a changé : rechargez la page pour le voir à jour."));
      }
    });
    socket.on("topic_changed", function (data) {
      if (data.topic_id === topicId) {
        notice(text("changed", "Ce sujet a changé : rechargez la page pour le voir à jour."));
      }
    });
    socket.on("typing", showTyping);
    socket.on("topic_created", function (data) {
      if (data.space_id === spaceId) {
        refreshRow(data.topic_id, true);
      }
      if (home) {
        refreshCounters();
      }
    });
    socket.on("topic_activity", function (data) {
      if (data.space_id === spaceId) {
        refreshRow(data.topic_id);
      }
      if (home) {
        refreshCounters();
      }
    });
    socket.on("access_lost", function () {
      notice(text("lost", "Vous n’avez plus accès à cette page."));
    });
    socket.on("notifications", function (data) { updateCounter(data.unread); });

    // Typing pings, one every 3 s at most, only while the member writes a reply here.
    var textarea = topicId ? document.querySelector("form.reply-form textarea") : null;
    var typedAt = 0;
    if (textarea) {
      textarea.addEventListener("input", function () {
        var moment = Date.now();
        if (socket.connected && moment - typedAt >= TYPING_EVERY_MS) {
          typedAt = moment;
          socket.emit("typing", {topic_id: topicId});
        }
      });
    }
  });

  function cursorOfPage() {
    return body.getAttribute("data-cursor") || "";
  }
})();
