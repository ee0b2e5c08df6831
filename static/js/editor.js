/* Agora editor: draft autosave and "Citer" on a selection. Progressive enhancement only:
   without this file, drafts are saved by the "Prévisualiser" and "Enregistrer le brouillon"
   buttons and the "Citer" links quote a whole post. */
(function () {
  "use strict";

  var script = document.currentScript;
  var draftURL = script ? script.getAttribute("data-draft-url") : null;   // from the page: no path here
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  var DELAY = 2000;

  function storageKey(place) { return "agora-brouillon:" + place; }

  function remember(place, text) {
    try {
      if (text) { window.localStorage.setItem(storageKey(place), text); }
      else { window.localStorage.removeItem(storageKey(place)); }
    } catch (e) { /* private mode: the server copy is enough */ }
  }

  function recall(place) {
    try { return window.localStorage.getItem(storageKey(place)); } catch (e) { return null; }
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function setupAutosave(textarea) {
    var place = textarea.getAttribute("data-draft-place");
    var form = textarea.form;
    var status = form ? form.querySelector("[data-draft-status]") : null;
    var title = form ? form.querySelector("#title") : null;
    var parent = form ? form.querySelector('input[name="parent"]') : null;
    var timer = null;
    var lastSent = textarea.value + "\u0000" + (title ? title.value : "");

    function say(text) { if (status) { status.textContent = text; } }
    // The texts come translated from the page (data-text-*); the French ones are fallbacks.
    function text(name, fallback) { return (status && status.getAttribute("data-text-" + name)) || fallback; }

    // A copy kept on this device covers a lost connection between two saves; never for a private
    // message, which a shared computer (a library, an association's office) would keep after logout.
    var keepsLocal = !textarea.hasAttribute("data-draft-private");
    var local = keepsLocal ? recall(place) : null;
    if (!textarea.value && local) {
      textarea.value = local;
      say(text("restored", "Texte non envoyé retrouvé sur cet appareil."));
    }

    function save() {
      timer = null;
      var current = textarea.value + "\u0000" + (title ? title.value : "");
      if (current === lastSent) { return; }
      var data = new FormData();
      data.append("lieu", place);
      data.append("body", textarea.value);
      if (title) { data.append("title", title.value); }
      if (parent && parent.value) { data.append("parent", parent.value); }
      fetch(draftURL, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        lastSent = current;
        say(text("saved", "Brouillon enregistré à {heure}.").replace("{heure}", clock()));
      }).catch(function () {
        say(text("offline", "Hors connexion : le brouillon est gardé sur cet appareil et sera enregistré dès le retour de la connexion."));
        if (!timer) { timer = window.setTimeout(save, DELAY * 5); }
      });
    }

    function changed() {
      if (keepsLocal) { remember(place, textarea.value); }
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, DELAY);
    }

    textarea.addEventListener("input", changed);
    if (title) { title.addEventListener("input", changed); }
    if (form) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (button && button.name === "submit") { remember(place, ""); }
      });
    }
  }

  // A Markdown quote a person can read in the reply box: "> [Claire-IRTS](/message/5) a écrit :"
  // then the lines, each after "> " (forum/text/markup.py links it and notifies the quoted author).
  function quoteText(author, postId, text, wrote) {
    var lines = text.replace(/\r\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim().split("\n");
    var head = "> " + wrote.replace("{nom}", "[" + author.replace(/([\[\]\\])/g, "\\$1") + "](/message/" + postId + ")");
    return head + "\n>\n" + lines.map(function (line) { return line ? "> " + line : ">"; }).join("\n") + "\n\n";
  }

  function setupQuoteSelection(textarea) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "quote-selection";
    button.textContent = textarea.getAttribute("data-text-quote") || "Citer";
    var wrote = textarea.getAttribute("data-text-wrote") || "{nom} a écrit :";
    button.hidden = true;
    document.body.appendChild(button);
    var pending = null;

    function hide() { button.hidden = true; pending = null; }

    function check() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) { hide(); return; }
      var range = selection.getRangeAt(0);
      var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
      var end = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
      var body = start && start.closest(".post-body");
      if (!body || !end || end.closest(".post-body") !== body) { hide(); return; }
      var article = body.closest("article[data-post-id]");
      var link = article && article.querySelector("[data-quote-post]");
      var text = selection.toString();
      if (!link || !text.trim()) { hide(); return; }
      pending = { author: link.getAttribute("data-quote-author"), post: link.getAttribute("data-quote-post"), text: text };
      var box = range.getBoundingClientRect();
      button.style.top = (window.scrollY + box.bottom + 6) + "px";
      button.style.left = (window.scrollX + box.left) + "px";
      button.hidden = false;
    }

    // A finger selects text without mouse or key events: "selectionchange" covers touch, mouse
    // and keyboard alike; the check waits for the selection to settle (handles being dragged).
    var settle = null;
    document.addEventListener("selectionchange", function () {
      if (settle) { window.clearTimeout(settle); }
      settle = window.setTimeout(check, 250);
    });
    // Pressing the button must not clear the selection it is about to quote.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () {
      if (!pending) { return; }
      var before = textarea.value.replace(/\s+$/, "");
      textarea.value = (before ? before + "\n\n" : "") + quoteText(pending.author, pending.post, pending.text, wrote);
      textarea.dispatchEvent(new Event("input"));
      hide();
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }

  var textareas = document.querySelectorAll("textarea[data-draft-place]");
  if (draftURL) { Array.prototype.forEach.call(textareas, setupAutosave); }
  var replyBox = document.querySelector("textarea[data-draft-place^='sujet-']");
  if (replyBox && document.querySelector(".post-body")) { setupQuoteSelection(replyBox); }
})();
