// Comfort only: every page works without this file.
"use strict";

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
  bindStudyKeys();
});
