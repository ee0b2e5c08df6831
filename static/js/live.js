/* Agora, live pages: progressive enhancement over Socket.IO. Without it every page still works.
 *
 * The shared part: the socket, the notifications counter, and the tools of the page's own part
 * (live-topic.js on a topic page, live-lists.js on the home and space pages), which registers
 * with AgoraLive.add(). Events are hints carrying ids; what is shown is always fetched over
 * HTTP, where permissions are checked. Nothing here moves the focus or scrolls the page.
 * No path of the site is written here: pages give URL templates in data- attributes.
 */
(function () {
  "use strict";

  var body = document.body;
  var script = document.currentScript;
  if (!window.fetch || !script) {
    return;
  }
  var parts = [];   // function (socket) of the page's own part, called once the socket exists

  function text(holder, name, fallback) {
    return (holder && holder.getAttribute("data-text-" + name)) || fallback;
  }

  var announcer = document.getElementById("annonces");
  var bar = null;

  var live = window.AgoraLive = {
    body: body,

    add: function (part) {
      parts.push(part);
    },

    // The texts come translated from the page (data-text-* of a script tag); French fallbacks.
    text: text,

    // A URL template of the page ("/message/{post_id}/fragment") filled with values.
    fill: function (template, values) {
      return template.replace(/\{(\w+)\}/g, function (whole, name) {
        return encodeURIComponent(String(values[name]));
      });
    },

    fetchJSON: function (url) {
      return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) {
            var error = new Error("HTTP " + response.status);
            error.status = response.status;
            throw error;
          }
          return response.json();
        });
    },

    // Emit a join and hand its acknowledgement to onAck. A server whose database did not
    // answer refuses with "indisponible": ask again later (2 s, 4 s… 30 s at most) rather than
    // stay in the room unaware of what was missed. payload() is read at each try (its cursor moves).
    join: function (socket, event, payload, onAck) {
      var delay = 2000;
      function attempt() {
        socket.emit(event, payload(), function (ack) {
          if (ack && ack.ok === false && ack.error === "indisponible") {
            setTimeout(function () { if (socket.connected) { attempt(); } }, delay);
            delay = Math.min(delay * 2, 30000);
            return;
          }
          onAck(ack);
        });
      }
      attempt();
    },

    fromHTML: function (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      return template.content.firstElementChild;
    },

    announce: function (message) {
      if (!announcer || !message) {
        return;
      }
      // A new node per message: screen readers announce additions to a polite region.
      var line = document.createElement("p");
      line.textContent = message;
      announcer.appendChild(line);
      while (announcer.childNodes.length > 5) {
        announcer.removeChild(announcer.firstChild);
      }
    },

    // A bar at the bottom of the window for what cannot be placed ("reload to see…"):
    // fixed, so that nothing the member is reading moves.
    notice: function (message) {
      if (!bar) {
        bar = document.createElement("div");
        bar.className = "live-bar";
        bar.setAttribute("role", "status");
        var link = document.createElement("a");
        link.href = window.location.pathname + window.location.search;
        bar.appendChild(link);
        document.body.appendChild(bar);
      }
      bar.firstChild.textContent = message;
    }
  };

  var counter = document.getElementById("compteur-notifications");
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

  function start() {
    if (!parts.length && !counter) {
      return;
    }
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
      socket.on("connect", function () { body.setAttribute("data-live", "connected"); });
      socket.on("access_lost", function () {
        live.notice(text(script, "lost", "Vous n’avez plus accès à cette page."));
      });
      socket.on("notifications", function (data) { updateCounter(data.unread); });
      // Each part joins its rooms on every (re)connection, after the handler above.
      parts.forEach(function (part) { part(socket); });
    });
  }

  // Deferred scripts all run before DOMContentLoaded: the page's own part has registered by then.
  document.addEventListener("DOMContentLoaded", start);
})();
