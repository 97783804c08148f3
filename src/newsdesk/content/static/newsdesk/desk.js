// The article form in the newsroom: autosave and "who else has it open".
//
// While someone types, a copy of the headline, standfirst and body is kept every
// few seconds in the browser (localStorage) and, when reachable, on the server
// (one slot per person and article). Opening the article again offers the newest
// copy back if it differs from what is saved. A save that fails keeps the copy.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("desk-config").textContent);
  var form = document.getElementById("article_form");
  if (!form) return;
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var banner = document.querySelector(".desk-autosave");
  var presence = document.querySelector(".desk-presence");
  var SAVE_EVERY_MS = 3000;
  var PRESENCE_EVERY_MS = 20000;
  var editor = null;
  var timer = null;
  var started = false;

  function field(name) {
    return form.querySelector("[name=" + name + "]");
  }

  function bodyHtml() {
    return editor ? editor.getHTML() : field("body").value;
  }

  function current() {
    return {
      title: field("title").value,
      standfirst: field("standfirst").value,
      body: bodyHtml(),
      version: field("base_version") ? field("base_version").value : null,
    };
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(data),
    });
  }

  function readLocal() {
    try {
      return JSON.parse(localStorage.getItem(config.storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function forgetLocal() {
    try {
      localStorage.removeItem(config.storageKey);
    } catch (error) {
      /* Storage may be off; nothing to forget then. */
    }
  }

  function save(localOnly) {
    timer = null;
    var data = current();
    data.savedAt = new Date().toISOString();
    try {
      localStorage.setItem(config.storageKey, JSON.stringify(data));
    } catch (error) {
      /* Full or disabled storage: the server copy still works. */
    }
    if (config.autosaveUrl && data.version && localOnly !== true) {
      post(config.autosaveUrl, data).catch(function () {
        /* Offline: the browser copy is enough until the network is back. */
      });
    }
  }

  // Every few seconds while typing: the first change starts the clock.
  function changed() {
    if (!timer) timer = setTimeout(save, SAVE_EVERY_MS);
  }

  function differs(copy) {
    var now = current();
    return copy.title !== now.title || copy.standfirst !== now.standfirst ||
      copy.body !== now.body;
  }

  function offer(copy) {
    banner.querySelector(".desk-autosave-when").textContent =
      new Date(copy.savedAt || copy.saved_at).toLocaleString();
    banner.hidden = false;
    banner.querySelector(".desk-autosave-restore").onclick = function () {
      field("title").value = copy.title;
      // The admin fills an empty slug from the title on "change".
      field("title").dispatchEvent(new Event("change", { bubbles: true }));
      field("standfirst").value = copy.standfirst;
      if (editor) editor.commands.setContent(copy.body);
      else field("body").value = copy.body;
      // Saved on top of the version it was typed on: a newer one is a conflict.
      if (copy.version && field("base_version")) field("base_version").value = copy.version;
      banner.hidden = true;
      save();
    };
    banner.querySelector(".desk-autosave-discard").onclick = function () {
      forgetLocal();
      if (config.autosaveUrl) post(config.autosaveUrl, { discard: true });
      banner.hidden = true;
    };
  }

  // A copy sent with a save stays until the server confirms that save: it
  // lists the submissions it has committed (config.saved). Whatever else
  // happens (an error page, a lost session, a refused token, a conflict), the
  // copy is there on the next open.
  function submission() {
    var input = field("desk_submission");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "desk_submission";
      form.appendChild(input);
    }
    input.value = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
    return input.value;
  }

  function submitted() {
    if (timer) clearTimeout(timer);
    var token = submission();
    // The browser copy only: a server copy landing after the save would be
    // offered as unsaved text. The server's slot stays until the save commits.
    save(true);
    var copy = readLocal();
    if (copy) {
      copy.submission = token;
      try {
        localStorage.setItem(config.storageKey, JSON.stringify(copy));
      } catch (error) {
        /* Storage off: the server keeps the form's text, or its own copy. */
      }
    }
  }

  function start() {
    if (started) return;
    started = true;
    editor = editor || (document.querySelector(".ProseMirror") || {}).editor || null;
    if (editor) editor.on("update", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", submitted);
    var local = readLocal();
    var saved = config.saved || [];
    if (local && local.submission && saved.indexOf(local.submission) !== -1) {
      forgetLocal(); // Its save went through.
      local = null;
    } else if (local && !differs(local)) {
      // The form already shows it. A copy whose save is unconfirmed is kept
      // (the form may be coming back with errors), others are done with.
      if (!local.submission && !local.submitted) forgetLocal();
      local = null;
    }
    var server = config.server;
    var newest = local;
    if (server && (!local || new Date(server.saved_at) > new Date(local.savedAt))) {
      newest = server;
    }
    if (newest && banner) offer(newest);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") {
      editor = event.detail.editor;
      start();
    }
  });
  window.addEventListener("load", function () {
    // The editor may have been ready before this script ran.
    setTimeout(start, 300);
  });

  if (config.presenceUrl && presence) {
    setInterval(function () {
      post(config.presenceUrl, {})
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          presence.hidden = answer.others.length === 0;
          presence.textContent = answer.others.length
            ? "Also open by " + answer.others.join(", ") + "."
            : "";
        })
        .catch(function () { /* Presence is a courtesy; retry next time. */ });
    }, PRESENCE_EVERY_MS);
  }
})();
