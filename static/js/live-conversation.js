/* Agora, a conversation's new messages (with live.js).
 *
 * The server tells each reader's own room that a message was added ({conversation_id, number});
 * every message from the last one shown to that number is fetched over HTTP, where the rules
 * are checked again, and added in order. Without JavaScript the page is whole on each load.
 */
(function () {
  "use strict";

  var live = window.AgoraLive;
  var script = document.currentScript;
  var holder = document.querySelector(".conversation-messages");
  if (!live || !script || !holder) {
    return;
  }
  var conversation = Number(holder.getAttribute("data-conversation-id"));
  var template = script.getAttribute("data-fragment-url");
  var last = Number(holder.getAttribute("data-last-number")) || 0;
  var fetching = Promise.resolve();

  function add(number) {
    return live.fetchJSON(live.fill(template, {conversation_id: conversation, number: number}))
      .then(function (data) {
        if (data.number <= last || holder.querySelector("#message-" + Number(data.number))) {
          return;
        }
        holder.appendChild(live.fromHTML(data.html));
        last = data.number;
        holder.setAttribute("data-last-number", String(last));
        live.announce(data.announce);
      });
  }

  live.add(function (socket) {
    socket.on("conversation_message", function (data) {
      if (Number(data.conversation_id) !== conversation) {
        return;
      }
      var upTo = Number(data.number);
      fetching = fetching.then(function () {
        var chain = Promise.resolve();
        for (var n = last + 1; n <= upTo; n += 1) {
          chain = chain.then(add.bind(null, n));
        }
        return chain;
      }).catch(function () {});
    });
  });
})();
