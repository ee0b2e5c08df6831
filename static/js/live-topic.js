/* Agora, a live topic page (with live.js): new replies, changed posts, "en train d'écrire".
 *
 * Joining a topic sends the last post id seen and the server time of the last synchronisation;
 * the acknowledgement carries what was missed. Every reconnection joins again, so nothing is
 * lost; posts already on the page are never inserted twice. A post is shown as fetched from
 * its fragment URL (data-fragment-url, with {post_id}), rendered for the reader's rights.
 */
(function () {
  "use strict";

  var live = window.AgoraLive;
  var script = document.currentScript;
  var body = document.body;
  var topicId = Number(body.getAttribute("data-topic-id")) || 0;
  if (!live || !script || !topicId) {
    return;
  }

  var TYPING_EVERY_MS = 3000;
  var TYPING_SHOWN_MS = 6000;

  var fragmentTemplate = script.getAttribute("data-fragment-url");
  var lastPostId = Number(body.getAttribute("data-last-post-id")) || 0;
  var cursor = body.getAttribute("data-cursor") || "";
  var view = body.getAttribute("data-view") || "arbre";
  var lastPage = body.getAttribute("data-last-page") === "1";
  var maxDepth = Number(body.getAttribute("data-thread-max-depth")) || 4;
  var pending = {};   // post ids being fetched: one request per post, whatever the hints

  function text(name, fallback) {
    return live.text(script, name, fallback);
  }

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
    var url = new URL(live.fill(fragmentTemplate, {post_id: Number(postId)}), window.location.href);
    url.searchParams.set("vue", view);
    if (flat) {
      url.searchParams.set("plat", "1");
    }
    return url.pathname + url.search;
  }

  function showNew(post) {
    lastPostId = Math.max(lastPostId, post.id);
    if (articleOf(post.id) || pending[post.id]) {
      return;   // already shown (or on its way): never twice
    }
    var place = placeFor(post.parent_id);
    if (!place) {
      live.notice(text("elsewhere", "Nouvelles réponses : rechargez la page pour les voir."));
      return;
    }
    pending[post.id] = true;
    live.fetchJSON(fragmentURL(post.id, place.flat)).then(function (data) {
      if (articleOf(post.id)) {
        return;
      }
      var article = live.fromHTML(data.html);
      article.classList.add("post-live");
      var item = document.createElement("li");
      item.appendChild(article);
      place.list.appendChild(item);
      followTopic(data, true);
      live.announce(data.announce);
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
    live.fetchJSON(fragmentURL(postId, flat)).then(function (data) {
      var article = live.fromHTML(data.html);
      article.classList.add("post-live");
      var still = articleOf(postId);
      if (still) {
        still.replaceWith(article);
        followTopic(data, false);
        live.announce(data.announce);
      }
    }).catch(function (error) {
      var still = articleOf(postId);
      if (error.status === 404 && still) {
        still.classList.add("post-gone");
        still.replaceChildren(document.createTextNode(text("gone", "Ce message n'est plus visible.")));
      }
    });
  }

  // Decisions: a ballot or the closing moves a block's participation ("N votants", the element
  // data-poll-voters) and, where the block route exists, its results part (data-poll-results)
  // fetched with the viewer's rights: the message itself never carries a tally. The rest of the
  // block (the ballot form, perhaps half filled) is never replaced; nor are results holding the focus.
  var blockTemplate = script.getAttribute("data-poll-block-url") || "";

  function pollBlock(pollId) {
    return document.getElementById("decision-" + Number(pollId));
  }

  function setVoters(block, voters) {
    if (typeof voters !== "number") {
      return;
    }
    block.querySelectorAll("[data-poll-voters]").forEach(function (node) {
      node.setAttribute("data-poll-voters", String(voters));
      // The server gives the singular and the plural (ngettext's forms for 1 and for 2).
      var pattern = node.getAttribute(voters === 1 ? "data-text-one" : "data-text-many") || "";
      node.textContent = pattern ? pattern.replace("{n}", String(voters)) : String(voters);
    });
  }

  function fetchBlock(pollId) {
    var url = live.fill(blockTemplate, {poll_id: Number(pollId)});
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json, text/html"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        return json ? response.json().then(function (data) { return data.html || ""; }) : response.text();
      });
  }

  function pollMoved(data) {
    var block = pollBlock(data.poll_id);
    if (!block) {
      return;
    }
    setVoters(block, data.voters);
    if (!blockTemplate) {
      return;
    }
    fetchBlock(data.poll_id).then(function (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var fresh = template.content;
      var current = pollBlock(data.poll_id);
      if (!current) {
        return;
      }
      var count = fresh.querySelector("[data-poll-voters]");
      if (count) {
        setVoters(current, Number(count.getAttribute("data-poll-voters")));
      }
      var newer = fresh.querySelector("[data-poll-results]");
      var older = current.querySelector("[data-poll-results]");
      if (newer && older && !older.contains(document.activeElement)) {
        older.replaceWith(newer);
      }
    }).catch(function () { /* not readable, or no block route: the count alone has moved */ });
  }

  function onAck(ack) {
    if (!ack || !ack.ok) {
      return;
    }
    body.setAttribute("data-live", "joined");
    cursor = ack.cursor || cursor;
    (ack.posts || []).forEach(showNew);
    (ack.changed || []).forEach(refresh);
    (ack.polls || []).forEach(pollMoved);
    if (ack.too_many) {
      live.notice(text("many", "Beaucoup de nouveaux messages : rechargez la page."));
    }
  }

  // "X est en train d'écrire…": shown a few seconds after each ping, never announced (it would
  // be noise), and ended by X's reply arriving. Several writers: the latest one is named.
  var typingLine = document.getElementById("en-train-d-ecrire");
  var typers = {};    // pseudonym -> time (ms) until which the line may name them
  var typingTimer = null;
  function showTypers() {
    clearTimeout(typingTimer);
    var moment = Date.now();
    var latest = null;
    Object.keys(typers).forEach(function (name) {
      if (typers[name] <= moment) {
        delete typers[name];
      } else if (latest === null || typers[name] > typers[latest]) {
        latest = name;
      }
    });
    if (latest === null) {
      typingLine.hidden = true;
      return;
    }
    typingLine.textContent = typingLine.getAttribute("data-text").replace("{nom}", latest);
    typingLine.hidden = false;
    typingTimer = setTimeout(showTypers, typers[latest] - moment);
  }
  function showTyping(data) {
    if (!typingLine || data.topic_id !== topicId) {
      return;
    }
    typers[data.pseudonym] = Date.now() + TYPING_SHOWN_MS;
    showTypers();
  }

  // What a fetched post changes around it: the topic's "N réponses" (the server's count, as a
  // reload would show it) and, for a new reply, the line of its author, who is done writing.
  var replyCount = document.getElementById("nombre-reponses");
  function followTopic(data, isNew) {
    if (replyCount && data.replies) {
      replyCount.textContent = data.replies;
    }
    if (isNew && typingLine && data.author && typers[data.author]) {
      delete typers[data.author];
      showTypers();
    }
  }

  live.add(function (socket) {
    socket.on("connect", function () {
      live.join(socket, "join_topic", function () {
        return {topic_id: topicId, after: lastPostId, since: cursor};
      }, onAck);
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
        live.notice(text("changed", "Ce sujet a changé : rechargez la page pour le voir à jour."));
      }
    });
    socket.on("topic_changed", function (data) {
      if (data.topic_id === topicId) {
        live.notice(text("changed", "Ce sujet a changé : rechargez la page pour le voir à jour."));
      }
    });
    socket.on("typing", showTyping);
    socket.on("poll_activity", function (data) {
      if (data.topic_id === topicId) {
        pollMoved(data);
      }
    });

    // Typing pings, one every 3 s at most, only while the member writes a reply here.
    var textarea = document.querySelector("form.reply-form textarea");
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
})();
