/* Agora, live lists (with live.js): a space's topic rows and the home page's counters.
 *
 * Rows and counters are always absolute, fetched over HTTP: a topic's row from data-row-url
 * (with {topic_id}), the counters of every readable space from data-activity-url.
 */
(function () {
  "use strict";

  var live = window.AgoraLive;
  var script = document.currentScript;
  var body = document.body;
  var spaceId = Number(body.getAttribute("data-space-id")) || 0;
  var home = body.getAttribute("data-live-home") === "1";
  if (!live || !script || !(spaceId || home)) {
    return;
  }

  var rowTemplate = script.getAttribute("data-row-url");
  var activityURL = script.getAttribute("data-activity-url");
  var spaceCursor = "";
  var liveList = body.getAttribute("data-live-list") || "";   // "activite", "recents" or ""

  function text(name, fallback) {
    return live.text(script, name, fallback);
  }

  function refreshRow(topic, created) {
    var list = document.querySelector("ol.topic-list");
    var listed = list && list.querySelector(':scope > li[data-topic-id="' + Number(topic) + '"]');
    if (liveList === "recents" && !created && !listed) {
      return;   // activity does not move a topic in the "most recent" order
    }
    if (!liveList || !list) {
      live.notice(text("topics", "Nouvelle activité dans cet espace : rechargez la page."));
      return;
    }
    live.fetchJSON(live.fill(rowTemplate, {topic_id: Number(topic)})).then(function (data) {
      var row = live.fromHTML(data.html);
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
      live.announce(data.announce);
    }).catch(function () {});
  }

  var countersTimer = null;
  function refreshCounters() {
    // Coalesce a burst of hints into one request.
    clearTimeout(countersTimer);
    countersTimer = setTimeout(function () {
      live.fetchJSON(activityURL).then(function (data) {
        data.spaces.forEach(function (space) {
          var stats = document.querySelector('[data-space-stats="' + Number(space.id) + '"]');
          if (stats) {
            stats.replaceChildren.apply(stats, Array.from(live.fromHTML("<span>" + space.html + "</span>").childNodes));
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
      live.notice(text("topics", "Nouvelle activité dans cet espace : rechargez la page."));
    }
  }

  live.add(function (socket) {
    socket.on("connect", function () {
      if (spaceId) {
        live.join(socket, "join_space", function () {
          return {space_id: spaceId, since: spaceCursor || body.getAttribute("data-cursor") || ""};
        }, onSpaceAck);
      }
      if (home) {
        live.join(socket, "join_home", function () { return {}; }, function () {
          body.setAttribute("data-live", "joined");
          refreshCounters();
        });
      }
    });
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
  });
})();
