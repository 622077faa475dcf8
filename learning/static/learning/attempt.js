// The pages of an attempt, comfort only: every page works without this file,
// and the server owns the deadline whatever this shows.
"use strict";

function pad(n) { return n < 10 ? "0" + n : String(n); }

// The countdown ticks, warns politely at 5 minutes and at 1 minute, and at zero
// sends the answer on the page (a form marked data-autosubmit, with "timeout"),
// or reloads once the grace is over so that the server shows the result.
function startCountdown() {
  var bar = document.querySelector("[data-attempt-bar]");
  var clock = bar && bar.querySelector("time[data-countdown]");
  if (!clock) { return; }
  var warning = bar.querySelector(".timer-warning");
  var grace = Number(bar.dataset.grace || 0);
  var start = Number(clock.dataset.countdown);
  var end = Date.now() + start * 1000;
  var warned = {};
  var sent = false;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
    clock.parentElement.classList.toggle("is-low", left <= 60);
    [300, 60].forEach(function (mark) {
      // Only a crossing seen on this page: a page opened at 4:30 says nothing new.
      if (left <= mark && left > 0 && !warned[mark] && start > mark) {
        warned[mark] = true;
        warning.textContent = warning.getAttribute("data-warn-" + mark);
      }
    });
    if (left > 0) { window.setTimeout(tick, 1000); return; }
    if (sent) { return; }
    sent = true;
    var form = document.querySelector("form[data-autosubmit]");
    if (form) {
      var flag = document.createElement("input");
      flag.type = "hidden"; flag.name = "timeout"; flag.value = "1";
      form.appendChild(flag);
      form.submit();
    } else {
      window.setTimeout(function () { window.location.reload(); }, (grace + 1) * 1000);
    }
  }
  tick();
}

// Flag for review without leaving the page. Without this, the button sends the
// answer form (or its own), and the server shows the page again as it was.
function bindFlag() {
  var button = document.querySelector("button[data-flag]");
  if (!button || !button.form || !window.fetch) { return; }
  var form = button.form;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("flagged", button.value);
    fetch(button.dataset.flag, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status !== 204) { form.requestSubmit(button); return; }
      var on = button.value === "1";
      button.value = on ? "0" : "1";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.on : button.dataset.off;
      var chip = document.querySelector(".nav-chip[aria-current=page]");
      if (chip) { chip.classList.toggle("is-flagged", on); }
    }).catch(function () { form.requestSubmit(button); });
  });
}

// The help under the question, as it reads with the script's controls.
function swapHelp(group) {
  var help = group.querySelector("[data-js-help]");
  if (help) { help.textContent = help.dataset.jsHelp; }
}

function announce(region, text) { region.textContent = ""; window.setTimeout(function () { region.textContent = text; }, 50); }

// Ordering: a list to drag (pointer or touch) or to move with buttons; the
// numbered selects behind it stay the form's truth.
function enhanceOrdering(group) {
  var selects = Array.prototype.slice.call(group.querySelectorAll("select"));
  var strings = group.dataset;
  var list = document.createElement("ol");
  list.className = "order-list";
  var region = document.createElement("p");
  region.className = "visually-hidden"; region.setAttribute("aria-live", "polite");
  var chosen = selects.every(function (s) { return s.value; });
  var order = selects.slice();
  if (chosen) { order.sort(function (a, b) { return Number(a.value) - Number(b.value); }); }
  order.forEach(function (select) { list.appendChild(orderItem(select)); });
  function orderItem(select) {
    var li = document.createElement("li");
    li.className = "order-item"; li.select = select;
    li.innerHTML = '<span class="order-handle" aria-hidden="true">⠿</span><span class="order-place"></span><span class="order-text"></span>' +
      '<button type="button" class="btn btn-outline-secondary" data-move="-1">↑</button>' +
      '<button type="button" class="btn btn-outline-secondary" data-move="1">↓</button>';
    li.querySelector(".order-text").textContent = select.dataset.label;
    li.querySelector('[data-move="-1"]').setAttribute("aria-label", strings.up.replace("%s", select.dataset.label));
    li.querySelector('[data-move="1"]').setAttribute("aria-label", strings.down.replace("%s", select.dataset.label));
    return li;
  }
  function renumber() {
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      items[i].querySelector(".order-place").textContent = (i + 1) + ".";
      items[i].select.value = String(i + 1);
      items[i].querySelector('[data-move="-1"]').disabled = i === 0;
      items[i].querySelector('[data-move="1"]').disabled = i === items.length - 1;
    }
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) { return; }
    var li = button.closest("li");
    var step = Number(button.dataset.move);
    var other = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!other) { return; }
    list.insertBefore(li, step < 0 ? other : other.nextElementSibling);
    renumber();
    var place = Array.prototype.indexOf.call(list.children, li) + 1;
    announce(region, strings.moved.replace("%(item)s", li.select.dataset.label)
      .replace("%(place)s", place).replace("%(total)s", list.children.length));
    var again = li.querySelector('[data-move="' + step + '"]');
    (again.disabled ? li.querySelector('[data-move="' + (-step) + '"]') : again).focus();
  });
  var dragged = null;
  list.addEventListener("pointerdown", function (event) {
    if (event.target.closest("button")) { return; }
    dragged = event.target.closest("li");
    if (!dragged) { return; }
    dragged.classList.add("is-dragging");
    dragged.setPointerCapture(event.pointerId);
  });
  list.addEventListener("pointermove", function (event) {
    if (!dragged) { return; }
    var over = document.elementFromPoint(event.clientX, event.clientY);
    var target = over && over.closest(".order-item");
    if (!target || target === dragged || target.parentNode !== list) { return; }
    var rect = target.getBoundingClientRect();
    list.insertBefore(dragged, event.clientY > rect.top + rect.height / 2 ? target.nextElementSibling : target);
    renumber();
  });
  function drop() {
    if (!dragged) { return; }
    dragged.classList.remove("is-dragging");
    var place = Array.prototype.indexOf.call(list.children, dragged) + 1;
    announce(region, strings.moved.replace("%(item)s", dragged.select.dataset.label)
      .replace("%(place)s", place).replace("%(total)s", list.children.length));
    dragged = null;
  }
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);
  group.appendChild(list);
  group.appendChild(region);
  group.classList.add("js-picks");
  swapHelp(group);
  renumber();
}

// Matching: tap an item, then its partner; the selects behind stay the truth.
function enhanceMatching(group) {
  var selects = Array.prototype.slice.call(group.querySelectorAll("select"));
  var strings = group.dataset;
  var partners = Array.prototype.slice.call(selects[0].options).filter(function (o) { return o.value; })
    .map(function (o) { return { value: o.value, text: o.textContent }; });
  var cols = document.createElement("div");
  cols.className = "match-cols";
  var left = document.createElement("ul"); left.className = "match-list";
  left.setAttribute("aria-label", strings.items);
  var right = document.createElement("ul"); right.className = "match-list";
  right.setAttribute("aria-label", strings.partners);
  var region = document.createElement("p");
  region.className = "visually-hidden"; region.setAttribute("aria-live", "polite");
  var current = null;
  var itemButtons = selects.map(function (select) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button"; button.className = "match-btn"; button.select = select;
    button.setAttribute("aria-pressed", "false");
    li.appendChild(button); left.appendChild(li);
    button.addEventListener("click", function () { choose(button); });
    return button;
  });
  var partnerButtons = partners.map(function (partner) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button"; button.className = "match-btn"; button.value = partner.value;
    button.textContent = partner.text; button.disabled = true;
    li.appendChild(button); right.appendChild(li);
    button.addEventListener("click", function () { pair(partner, button); });
    return button;
  });
  function draw() {
    var used = selects.map(function (s) { return s.value; });
    itemButtons.forEach(function (button) {
      var value = button.select.value;
      var partner = partners.filter(function (p) { return p.value === value; })[0];
      button.textContent = button.select.dataset.label;
      var shown = document.createElement("span");
      shown.className = "match-partner";
      shown.textContent = partner ? "→ " + partner.text : strings.none;
      button.appendChild(shown);
      button.setAttribute("aria-pressed", button === current ? "true" : "false");
    });
    partnerButtons.forEach(function (button) {
      button.disabled = !current;
      button.classList.toggle("is-used", used.indexOf(button.value) >= 0);
    });
  }
  function choose(button) {
    current = current === button ? null : button;
    draw();
    if (current) { announce(region, strings.pick.replace("%s", button.select.dataset.label)); }
  }
  function pair(partner) {
    if (!current) { return; }
    selects.forEach(function (s) { if (s.value === partner.value) { s.value = ""; } });
    current.select.value = partner.value;
    announce(region, current.select.dataset.label + " → " + partner.text);
    var next = itemButtons.filter(function (b) { return !b.select.value; })[0];
    current = null;
    draw();
    (next || itemButtons[0]).focus();
  }
  cols.appendChild(left); cols.appendChild(right);
  group.appendChild(cols); group.appendChild(region);
  group.classList.add("js-picks");
  swapHelp(group);
  draw();
}

document.addEventListener("DOMContentLoaded", function () {
  startCountdown();
  bindFlag();
  document.querySelectorAll("[data-ordering]").forEach(enhanceOrdering);
  document.querySelectorAll("[data-matching]").forEach(enhanceMatching);
});
