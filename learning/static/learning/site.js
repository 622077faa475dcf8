// Comfort only: every page works without this file.
"use strict";

// Flashcard keys, as in Anki: Space shows the answer, 1 to 4 rate it, U undoes the last rating. Any
// element with data-key="<key>" inside a [data-study] section is the target.
function bindStudyKeys() {
  if (!document.querySelector("[data-study]")) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var target = document.querySelector('[data-study] [data-key="' + key + '"]');
    if (!target) { return; }
    event.preventDefault();
    target.click();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  bindStudyKeys();
});
