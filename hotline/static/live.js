/* Live pages: poll /live/counts, show the menu's counts, refresh a list in place when it changed, and announce
   a unit's new work order. No full reload, and none while someone is typing, has selected text or ticked rows. */
(function () {
  "use strict";
  var meta = document.querySelector("meta[name=live-counts]");
  if (!meta || !window.fetch) return;
  var url = meta.getAttribute("content");
  var every = Math.max(1, Number(meta.getAttribute("data-seconds")) || 20) * 1000;
  var news = document.getElementById("live-news");
  var baseline = null, latestAt = null, dirty = false, timer = null, stopped = false, title = document.title;

  // Typing in a form of the page (a callback being entered, a reason being written) holds the refresh back.
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("main")) dirty = true;
  });

  function busy(region) {
    var selection = window.getSelection && String(window.getSelection() || "");
    return dirty || !!selection || !!region.querySelector("input[type=checkbox]:checked");
  }

  function showCounts(counts) {
    document.querySelectorAll(".nav-count[data-count]").forEach(function (badge) {
      var value = counts[badge.getAttribute("data-count")];
      badge.hidden = !value;
      badge.textContent = value ? String(value) : "";
    });
    var total = Object.keys(counts).reduce(function (sum, key) { return sum + (key === "new" || key === "queue" ? counts[key] : 0); }, 0);
    document.title = (total ? "(" + total + ") " : "") + title;
  }

  function say(text, kind) {
    if (!news) return;
    var line = document.createElement("p");
    line.className = "msg msg-" + (kind || "info");
    line.textContent = text;
    news.appendChild(line);
    while (news.children.length > 3) news.removeChild(news.firstChild);
  }

  function refresh(region) {
    var name = region.getAttribute("data-list");
    var focused = document.activeElement && region.contains(document.activeElement) ? document.activeElement : null;
    var focusKey = focused && (focused.id || focused.name);
    return fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector('[data-list="' + name + '"]');
        if (!fresh || busy(region)) return false;
        var node = document.importNode(fresh, true);
        region.replaceWith(node);
        if (focusKey) {
          var again = node.querySelector("#" + CSS.escape(focusKey)) || node.querySelector('[name="' + focusKey + '"]');
          if (again) again.focus();
        }
        return true;
      });
  }

  function poll() {
    if (stopped) return;
    if (document.hidden) { schedule(); return; }
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401) {
          stopped = true;
          say("登录已超时，请刷新页面重新登录。", "warn");
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        showCounts(data.counts || {});
        var stamps = data.stamps || {};
        // Announced from the second poll on: the first one only learns what the page already shows.
        var fresh = data.latest && baseline && (!latestAt || data.latest.at > latestAt);
        if (fresh && document.querySelector('[data-list="inbox"]')) {
          say("新工单 " + data.latest.number + " 已派到本单位。", "success");
        }
        if (data.latest) latestAt = data.latest.at;
        var changes = [];
        document.querySelectorAll("[data-list]").forEach(function (region) {
          var name = region.getAttribute("data-list");
          if (!(name in stamps)) return;
          if (baseline && baseline[name] !== stamps[name] && !busy(region)) {
            changes.push(refresh(region).then(function (done) { if (!done) stamps[name] = baseline[name]; }));
          } else if (baseline && baseline[name] !== stamps[name]) {
            stamps[name] = baseline[name];  // held back: try again at the next poll
          }
        });
        return Promise.all(changes).then(function () { baseline = stamps; });
      })
      .catch(function () { /* the server is restarting or the network is down: try again at the next poll */ })
      .then(schedule);
  }

  function schedule() {
    if (stopped) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, every);
  }

  document.addEventListener("visibilitychange", function () { if (!document.hidden && !stopped) poll(); });
  // Once the typed entry was sent (the page is replaced) nothing is pending; a reset form is not typing either.
  document.addEventListener("reset", function () { dirty = false; });
  poll();
})();
