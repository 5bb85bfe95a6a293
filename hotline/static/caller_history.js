/* The call page: as soon as a phone number is typed, show that caller's earlier tickets (debounced). */
(function () {
  "use strict";
  var box = document.getElementById("caller-history");
  var form = document.getElementById("call-form");
  if (!box || !form) return;
  var input = form.elements.caller_phone;
  var timer = null, sequence = 0, lastPhone = "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = text;  // never innerHTML: the text is the caller's
    return node;
  }

  function render(data) {
    if (!data.items.length) { box.replaceChildren(); box.hidden = true; return; }
    var list = el("ul");
    data.items.forEach(function (t) {
      var li = el("li");
      li.appendChild(el("a", {"href": t.url, "target": "_blank", "rel": "noopener"}, t.number));
      li.appendChild(document.createTextNode(" " + t.created_at + " · " + t.status +
        (t.department ? " · " + t.department : "") + " — " + t.title));
      list.appendChild(li);
    });
    var children = [el("h3", {}, "来电人历史工单"), list];
    if (data.all) children.push(el("a", {"href": data.all, "target": "_blank", "rel": "noopener"}, "查看全部"));
    box.replaceChildren.apply(box, children);
    box.hidden = false;
  }

  function run() {
    var phone = input.value.trim();
    if (phone === lastPhone) return;
    lastPhone = phone;
    var mine = ++sequence;
    fetch(box.getAttribute("data-url") + "?phone=" + encodeURIComponent(phone), {
      credentials: "same-origin", headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (mine === sequence) render(data);  // an older answer arriving late is dropped
    }).catch(function () { lastPhone = ""; });  // the list is a help, not a step: a failure only hides it
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  });
  if (input.value.trim()) run();  // a form re-shown with a message keeps the list
})();
