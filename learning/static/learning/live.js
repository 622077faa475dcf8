// The live game's screens, kept current by server-sent events. Comfort only: without
// this file every screen has a button to load the current state and plain forms.
"use strict";

(function () {
  var root = document.getElementById("live");
  if (!root || !window.fetch) { return; }
  var panelUrl = root.dataset.livePanel;
  var version = 0, timer = null, loading = null, again = false, latest = null, sending = false;

  function panel() { return root.querySelector(".live-panel"); }

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content;
  }

  // Put a view in place: one fetched from the site, or one the stream sent whole
  // (`pushed`: a question just opened or closed), which has no CSRF token and leaves
  // this phone's own line (`me`) and result (`mine`) to the event or to the page. An
  // older view than the one shown (a fetch overtaken by an event) is dropped.
  function show(html, pushed) {
    var next = fragment(html), nextPanel = next.querySelector(".live-panel");
    if (nextPanel && Number(nextPanel.dataset.version) < version) { return; }
    if (pushed && nextPanel) {
      var me = root.querySelector(".live-me"), slot = nextPanel.querySelector(".live-mine");
      if (pushed.me) { me = fragment(pushed.me); }
      if (me) { nextPanel.insertBefore(me, nextPanel.firstChild); }
      if (slot && pushed.mine) { slot.replaceChildren(fragment(pushed.mine)); }
      nextPanel.querySelectorAll("form[method=post]").forEach(function (form) {
        var token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrfmiddlewaretoken";
        token.value = root.dataset.csrf;
        form.insertBefore(token, form.firstChild);
      });
    }
    // A fetched view carries the page's current token: the next pushed form uses it.
    var token = !pushed && next.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { root.dataset.csrf = token.value; }
    root.replaceChildren(next);
    bind();
    // An answer counted while this view was on its way.
    if (latest && latest.version === version) { answeredText(latest.answered); }
  }

  // Fetch this screen's own view of the game (one at a time; a change arriving
  // meanwhile fetches once more afterwards).
  function refresh() {
    if (loading) { again = true; return; }
    loading = fetch(panelUrl, { headers: { "X-Live-Panel": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(show)
      .catch(function () {})
      .then(function () {
        loading = null;
        if (again) { again = false; refresh(); }
      });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    sending = true;
    // getAttribute: a control named "action" hides the form's own property.
    // A connection that hangs gives up after 15 s: until then the screen waits for
    // this answer instead of fetching each change.
    var giveUp = window.AbortSignal && AbortSignal.timeout ? AbortSignal.timeout(15000) : undefined;
    fetch(form.getAttribute("action") || panelUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-Live-Panel": "1" },
      signal: giveUp
    }).then(function (r) {
      // Refused outright (a token gone stale in another tab): load where the game is.
      if (r.status === 403) { refresh(); return; }
      return r.text().then(show);
    }).catch(refresh).then(function () {
      sending = false;
      // The answer brings back the new view: fetch only a change it does not show.
      if (latest && latest.version > version) { refresh(); }
    });
  }

  function secondsText(left) {
    var status = root.querySelector("[data-countdown-live]");
    if (!status) { return; }
    // Spoken by screen readers (a live region): every ten seconds, then the last five,
    // in the words the page gave for each (its language's plural forms).
    if (left % 10 !== 0 && left > 5) { return; }
    var text = JSON.parse(status.dataset.texts)[left];
    if (text) { status.textContent = text; }
  }

  // The projector's "N of M answered", from the event: a count of answers moves no
  // version, so it costs the server nothing more than the event itself.
  function answeredText(count) {
    var status = root.querySelector("[data-answered-live]");
    // Within a version the count only grows: an older event never lowers it.
    if (!status || count <= Number(status.dataset.answeredLive)) { return; }
    status.dataset.answeredLive = count;
    status.textContent = status.dataset.template.replace("#", count);
  }

  function bind() {
    var current = panel();
    if (!current) { return; }
    version = Number(current.dataset.version);
    root.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        // A control that cannot be taken back (End game) asks first.
        var ask = event.submitter && event.submitter.dataset.confirm;
        if (ask && !window.confirm(ask)) { return; }
        send(form, event.submitter);
      });
    });
    window.clearInterval(timer);
    if (current.dataset.phase !== "question") { return; }
    var end = Date.now() + Number(current.dataset.secondsLeft) * 1000;
    timer = window.setInterval(function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      secondsText(left);
      // The server closes answers at its deadline; ask it where the game is now.
      if (left === 0) { window.clearInterval(timer); window.setTimeout(refresh, 250); }
    }, 1000);
  }

  function listen() {
    var events = new EventSource(root.dataset.liveEvents);
    events.addEventListener("state", function (event) {
      var state = latest = JSON.parse(event.data);
      // A phone in the lobby has nothing new to show when another player joins.
      var idle = root.classList.contains("live-phone") && state.phase === "lobby" &&
        panel() && panel().dataset.phase === "lobby";
      if (state.html && state.version > version) { show(state.html, state); }
      else if (state.version !== version && !idle) { if (!sending) { refresh(); } }
      else { answeredText(state.answered); }
      if (state.phase === "finished") { events.close(); }
    });
    // EventSource retries a dropped connection itself, but not a refusal (a 503 while
    // the database restarts): then open it again a little later, and catch up.
    events.addEventListener("error", function () {
      if (events.readyState !== EventSource.CLOSED) { return; }
      window.setTimeout(function () { refresh(); listen(); }, 5000);
    });
  }

  bind();
  if (window.EventSource && root.dataset.liveEvents) { listen(); }
})();
