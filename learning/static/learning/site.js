// Comfort only: every page works without this file.
"use strict";

// Make a server-rendered countdown tick. The server owns the deadline: when
// this reaches zero the page just says so; the next request is refused anyway.
function startCountdowns() {
  document.querySelectorAll("time[data-countdown]").forEach(function (el) {
    var end = Date.now() + Number(el.dataset.countdown) * 1000;
    function pad(n) { return n < 10 ? "0" + n : String(n); }
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
      el.parentElement.classList.toggle("is-low", left <= 60);
      if (left > 0) { window.setTimeout(tick, 1000); }
    }
    tick();
  });
}

// Flashcard keys, as in Anki: Space shows the answer, 1 to 4 rate it. Any
// element with data-key="<key>" inside a [data-study] section is the target.
function bindStudyKeys() {
  var study = document.querySelector("[data-study]");
  if (!study) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var target = study.querySelector('[data-key="' + (event.key === " " ? " " : event.key) + '"]');
    if (!target) { return; }
    event.preventDefault();
    target.click();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  startCountdowns();
  bindStudyKeys();
});
