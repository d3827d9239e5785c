/* Kenshu study, participant side: records clicks (never keys or values). */
(function () {
  "use strict";

  var bar = document.getElementById("kenshu-study");
  var body = document.body;
  var studyPage = !bar && !!body && body.hasAttribute("data-study-state");
  if (!bar && !studyPage) { return; }

  var hasFetch = typeof window.fetch === "function";
  var K_STREAM = "kenshu.study.stream", K_NEXT = "kenshu.study.next", K_BUF = "kenshu.study.buffer";
  var INTERACTIVE = "a[href], button, input, select, textarea, label, summary, option, " +
    "[role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=menuitem], " +
    "[onclick], [contenteditable=true], [tabindex]:not([tabindex=\"-1\"])";

  // ---- storage (sessionStorage, or memory when it is unavailable) ----
  var store = null;
  try {
    store = window.sessionStorage;
    store.setItem("kenshu.study.probe", "1");
    store.removeItem("kenshu.study.probe");
  } catch (e) { store = null; }
  function load(key) { try { return store ? store.getItem(key) : null; } catch (e) { return null; } }
  function save(key, value) { try { if (store) { store.setItem(key, value); } } catch (e) { /* quota */ } }

  function newStreamId() {
    var bytes = new Uint8Array(16), hex = "", i;
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(bytes); }
    else { for (i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    for (i = 0; i < 16; i++) { hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return hex;
  }

  var stream = load(K_STREAM), next = parseInt(load(K_NEXT), 10), buffer = [];
  try {
    buffer = JSON.parse(load(K_BUF) || "[]").filter(function (ev) { return ev && typeof ev.number === "number"; });
  } catch (e) { buffer = []; }
  if (!stream || !/^[0-9a-f]{32}$/.test(stream)) { stream = newStreamId(); next = 1; buffer = []; }
  if (!(next >= 1)) { next = 1; }
  for (var b = 0; b < buffer.length; b++) {
    if (buffer[b].number >= next) { next = buffer[b].number + 1; }
  }
  function persist() {
    save(K_STREAM, stream);
    save(K_NEXT, String(next));
    save(K_BUF, JSON.stringify(buffer));
  }
  persist();

  // ---- sending ----
  var inFlight = false, again = false, stopped = false, retryTimer = null, backoff = 0;

  function scheduleRetry() {
    backoff = backoff ? Math.min(backoff * 2, 10000) : 1000;
    if (retryTimer) { clearTimeout(retryTimer); }
    retryTimer = setTimeout(function () { retryTimer = null; send(); }, backoff);
  }

  function send() {
    if (stopped || !hasFetch || buffer.length === 0) { return; }
    if (inFlight) { again = true; return; }
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    // At most 200 events, and keep the body well under the 64 KB keepalive quota.
    var batch = [], size = 0;
    for (var i = 0; i < buffer.length && batch.length < 200; i++) {
      size += JSON.stringify(buffer[i]).length + 1;
      if (batch.length > 0 && size > 48000) { break; }
      batch.push(buffer[i]);
    }
    var before = buffer.length;
    inFlight = true;
    again = false;
    fetch("/study/events", {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ stream: stream, events: batch })
    }).then(function (res) {
      if (res.status === 200) {
        return res.json().then(function (answer) {
          var acked = answer && typeof answer.acknowledged === "number" ? answer.acknowledged : 0;
          buffer = buffer.filter(function (ev) { return ev.number > acked; });
          persist();
          if (buffer.length === 0) { backoff = 0; return; }
          if (buffer.length < before) { backoff = 0; again = true; } else { scheduleRetry(); }
        });
      }
      if (res.status === 403 || res.status === 404 || res.status === 410) {
        buffer = []; persist(); stopped = true; return;
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408) {
        // Never acceptable: drop, and start a fresh stream so its numbering has no gap.
        if (window.console) { console.warn("kenshu study: events rejected (" + res.status + ")"); }
        buffer = []; stream = newStreamId(); next = 1; persist(); backoff = 0; return;
      }
      scheduleRetry();
    }).then(null, scheduleRetry).then(function () {
      inFlight = false;
      if (again && !retryTimer) { send(); }
    });
  }

  // ---- polling /study/state ----
  var polling = false, leaving = false;
  function poll(onState) {
    if (!hasFetch || polling || leaving) { return; }
    polling = true;
    fetch("/study/state", { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
    .then(function (res) { return res.ok ? res.json() : null; }).then(function (st) {
      polling = false;
      if (st && typeof st.state === "string") { onState(st); }
    }, function () { polling = false; });
  }

  // できた / あきらめる: flush before submitting; あきらめる needs a second press within 5 s.
  var armed = false, disarmTimer = null;
  function onSubmit(event) {
    var giveUp = event.currentTarget.querySelector(".kenshu-study-giveup");
    if (giveUp && !armed) {
      event.preventDefault();
      armed = true;
      giveUp.classList.add("kenshu-study-confirm");
      giveUp.textContent = "もう一度押すとあきらめます";
      disarmTimer = setTimeout(function () {
        armed = false;
        giveUp.classList.remove("kenshu-study-confirm");
        giveUp.textContent = "あきらめる";
      }, 5000);
      return;
    }
    if (disarmTimer) { clearTimeout(disarmTimer); disarmTimer = null; }
    send();
  }
  function guardForms(root) {
    var forms = root.getElementsByTagName("form");
    for (var f = 0; f < forms.length; f++) { forms[f].addEventListener("submit", onSubmit); }
  }

  if (studyPage) {
    var checkPage = function (st) {
      if (st.state !== body.getAttribute("data-study-state") ||
          (st.attempt || "") !== (body.getAttribute("data-study-attempt") || "") ||
          String(st.version) !== body.getAttribute("data-study-version")) {
        leaving = true;
        location.reload();
      }
    };
    guardForms(body);
    send();
    setInterval(function () { poll(checkPage); }, 2000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { poll(checkPage); }
    });
    return;
  }

  // ---- mock page with the study bar ----
  var attempt = bar.getAttribute("data-attempt") || "";

  function describe(el) {
    var desc = el.tagName.toLowerCase();
    if (el.id) { desc += "#" + String(el.id).slice(0, 64); }
    var cls = (el.getAttribute("class") || "").split(/\s+/).filter(Boolean);
    for (var i = 0; i < cls.length && i < 2; i++) { desc += "." + cls[i].slice(0, 64); }
    return desc;
  }
  function isInteractive(el) {
    for (; el && el.nodeType === 1; el = el.parentElement) {
      var m = el.matches || el.webkitMatchesSelector;
      try { if (m && m.call(el, INTERACTIVE)) { return true; } } catch (e) { return false; }
    }
    return false;
  }

  var lastLabel = null, lastTime = 0;
  function barBottom() {
    var box = bar.getBoundingClientRect();
    return box.bottom + (window.pageYOffset || 0);
  }

  document.addEventListener("click", function (event) {
    if (stopped || event.isTrusted === false) { return; }
    var target = event.target;
    if (target && target.nodeType !== 1) { target = target.parentElement; }
    if (!target || target.nodeType !== 1 || bar.contains(target)) { return; }
    var now = Date.now(), lab = target.closest ? target.closest("label") : null;
    // A click on a <label> also dispatches a click on its control: record it once.
    if (lastLabel && now - lastTime < 100 && lastLabel.control === target) { lastLabel = null; return; }
    lastLabel = lab && lab.control !== target ? lab : null;
    lastTime = now;
    buffer.push({
      number: next++,
      time: new Date(now).toISOString(),
      attempt: attempt,
      type: "click",
      element: describe(target),
      x: Math.round(event.pageX || 0),
      // In the mock page's own coordinates: the bar above it is the tool's, not the page's,
      // so the report's dots land on the same spot of the page as built.
      y: Math.max(0, Math.round((event.pageY || 0) - barBottom())),
      viewport_width: document.documentElement.clientWidth || window.innerWidth,
      viewport_height: window.innerHeight,
      interactive: isInteractive(target),
      page: location.pathname
    });
    persist();
    send();
  }, true);

  window.addEventListener("pagehide", send);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(); } else { poll(checkAttempt); }
  });

  function checkAttempt(st) {
    if (st.state !== "running" || st.attempt !== attempt) {
      send();
      leaving = true;
      location.assign("/study");
    }
  }
  setInterval(function () { poll(checkAttempt); }, 3000);
  guardForms(bar);

  send();
})();
