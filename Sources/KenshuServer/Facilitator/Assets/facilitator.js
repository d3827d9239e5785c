/* Kenshu study, facilitator console for one participant: live view and notes. */
(function () {
  "use strict";

  var body = document.body;
  var participant = body && body.getAttribute("data-facilitator-participant");
  if (!participant) { return; }
  if (typeof window.fetch !== "function") { return; }

  var base = "/facilitator/participants/" + encodeURIComponent(participant);
  var after = parseInt(body.getAttribute("data-after"), 10) || 0;
  // Without data-state on <body>, remember the first state seen (no reload loop).
  var pageState = body.hasAttribute("data-state") ? body.getAttribute("data-state") : null;
  var startedMs; // undefined until the first answer: keep the server-rendered text

  function $(id) { return document.getElementById(id); }
  function setText(id, text) {
    var el = $(id);
    if (el && el.textContent !== text) { el.textContent = text; }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // ---- elapsed time of the running attempt ----
  function showElapsed() {
    if (startedMs === undefined) { return; }
    if (typeof startedMs !== "number") { setText("live-elapsed", "—"); return; }
    var s = Math.max(0, Math.floor((Date.now() - startedMs) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    setText("live-elapsed", (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s % 60));
  }

  // ---- live events ----
  function addRow(ev) {
    var tbody = $("events");
    if (!tbody) { return; }
    var row = document.createElement("tr");
    var cells = [clock(ev.time), ev.label || ev.type || "", ev.detail || ""];
    for (var i = 0; i < cells.length; i++) {
      var td = document.createElement("td");
      td.textContent = String(cells[i]);
      row.appendChild(td);
    }
    if (typeof ev.seq === "number") { row.setAttribute("data-seq", String(ev.seq)); }
    if (ev.type) { row.setAttribute("data-type", String(ev.type)); }
    tbody.insertBefore(row, tbody.firstChild);
  }

  var polling = false, reloading = false;
  function poll() {
    if (polling || reloading) { return; }
    polling = true;
    fetch(base + "/live.json?after=" + encodeURIComponent(after), {
      credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" }
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (live) {
      polling = false;
      if (live) { apply(live); }
    }, function () { polling = false; });
  }

  function apply(live) {
    if (typeof live.state === "string") {
      if (pageState === null) { pageState = live.state; }
      // Without the last action's notice (?done=…): it was about the state that just changed.
      else if (live.state !== pageState) { reloading = true; location.replace(location.pathname); return; }
    }
    var events = live.events && live.events.slice ? live.events.slice() : [];
    events.sort(function (a, b) { return (a.seq || 0) - (b.seq || 0); });
    for (var i = 0; i < events.length; i++) {
      if (typeof events[i].seq === "number" && events[i].seq <= after) { continue; }
      addRow(events[i]);
    }
    if (typeof live.after === "number" && live.after > after) { after = live.after; }
    setText("live-page", live.page || "—");
    setText("live-state", live.state_label || live.state || "");
    startedMs = typeof live.started_ms === "number" ? live.started_ms : null;
    showElapsed();
  }

  poll();
  setInterval(poll, 1000);
  setInterval(showElapsed, 1000);

  // ---- notes from the keyboard ----
  var form = $("note-form"), text = $("note-text"), status = $("note-status");
  if (!form || !text) { return; }
  var started = form.querySelector("input[name=started_ms]");
  var TAGS = ["confusion", "hint", "quote", "bug"];

  function typing(el) {
    if (!el || el.nodeType !== 1) { return false; }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  function chooseTag(tag) {
    var radio = $("tag-" + tag) || form.querySelector("input[name=tag][value=" + tag + "]");
    if (radio) { radio.checked = true; }
  }
  function markStart() {
    if (started) { started.value = String(Date.now()); }
  }
  function say(message) {
    if (!status) { return; }
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }

  document.addEventListener("keydown", function (e) {
    if (e.isComposing || e.keyCode === 229) { return; }
    if (e.target === text) {
      if (e.key === "Escape") { text.blur(); e.preventDefault(); return; }
      if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        send();
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        var digit = /^Digit([1-4])$/.exec(e.code || "") || /^([1-4])$/.exec(e.key || "");
        if (digit) { chooseTag(TAGS[+digit[1] - 1]); e.preventDefault(); }
        return;
      }
      return;
    }
    if ((e.key === "n" || e.key === "N") && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
      e.preventDefault();
      text.focus();
    }
  });

  // The note is timed at the first keystroke into an empty field.
  text.addEventListener("keydown", function (e) {
    if (text.value !== "" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key && (e.key.length === 1 || e.key === "Process" || e.keyCode === 229)) { markStart(); }
  });
  text.addEventListener("input", function () {
    if (text.value === "") { if (started) { started.value = ""; } }
    else if (started && !started.value) { markStart(); }
  });

  var sending = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); send(); });
  function send() {
    if (sending || !text.value.replace(/\s+/g, "")) { return; }
    if (started && !started.value) { markStart(); }
    sending = true;
    fetch(form.getAttribute("action") || form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (res) {
      if (!res.ok) { throw new Error("HTTP " + res.status); }
      sending = false;
      text.value = "";
      if (started) { started.value = ""; }
      say("メモを追加しました");
    }).then(null, function () {
      sending = false;
      HTMLFormElement.prototype.submit.call(form); // ordinary post, as without JS
    });
  }
})();
