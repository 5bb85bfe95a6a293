/* The call entry page: while the operator types, ask the server for suggestions (no reload). */
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  if (!form) return;
  var url = form.getAttribute("data-suggest-url");
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
  var statusLine = document.getElementById("sg-status");
  var boxes = {
    route: document.getElementById("sg-route"),
    district: document.getElementById("sg-district"),
    kb: document.getElementById("sg-kb"),
    similar: document.getElementById("sg-similar")
  };
  var timer = null, sequence = 0, lastBody = "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = text;  // never innerHTML: the text is the caller's
    return node;
  }

  function show(box, children) {
    box.replaceChildren.apply(box, children);
    box.hidden = children.length === 0;
  }

  function payload() {
    return JSON.stringify({
      content: form.elements.content.value, address: form.elements.address.value,
      caller_phone: form.elements.caller_phone.value, district: form.elements.district.value
    });
  }

  function renderRoute(data) {
    if (!data.candidates.length) {
      return data.reason ? [el("h3", {}, "建议分类与承办单位"), el("p", {"class": "muted"}, "暂无建议（" + data.reason + "）")] : [];
    }
    var items = [el("h3", {}, "建议分类与承办单位")];
    data.candidates.forEach(function (c, index) {
      var row = el("div", {"class": "cand" + (index === 0 ? " top" : "")});
      var name = el("span", {}, c.category + " → " + (c.department || "（无派单规则）"));
      if (index === 0) name.style.fontWeight = "600";
      row.appendChild(name);
      // Cut down to 0.1 %, never rounded up: a call below the threshold must not read as reaching it.
      row.appendChild(el("span", {"class": "prob"}, (Math.floor(c.probability * 1000 + 1e-6) / 10).toFixed(1) + "%"));
      items.push(row);
      var bar = el("div", {"class": "bar", "aria-hidden": "true"});
      var fill = el("span");
      fill.style.width = Math.round(c.probability * 100) + "%";
      bar.appendChild(fill);
      items.push(bar);
    });
    items.push(el("p", {"class": "hint"}, data.auto_dispatch ? "置信度达到阈值：登记后将自动派单。" : "置信度不足：登记后转派单员人工派单。"));
    return items;
  }

  function renderDistrict(data) {
    if (!data.district) return [el("p", {"class": "muted"}, "属地：未识别（可在左侧选择）")];
    var chosen = form.elements.district.value;
    return [el("p", {}, "属地：" + data.district + (chosen ? "（已选择）" : "（自动识别）"))];
  }

  function renderKb(data) {
    if (!data.kb.length) return [];
    var items = [el("h3", {}, "知识库答复（即来即办）")];
    data.kb.forEach(function (entry) {
      var item = el("div", {"class": "kb-item"});
      item.appendChild(el("div", {"class": "q"}, entry.question));
      item.appendChild(el("div", {"class": "a"}, entry.answer));
      // The bundled entries are Beijing's answers (MSGABench): the operator must see where an answer comes from.
      item.appendChild(el("div", {"class": "hint"}, "承办：" + entry.department +
                          (entry.source ? "　来源：" + entry.source : "")));
      // 即来即办 closes the call without a unit, so the click asks first; the confirming button submits the
      // call form (form="call-form") with the entry, and the ticket records which entry was used.
      var button = el("button", {"type": "button", "class": "small secondary", "title": "按此口径答复并登记为即来即办"},
                      "即来即办：用此答复并登记");
      button.addEventListener("click", function () {
        var ask = el("div", {"class": "kb-ask", "role": "alertdialog"});
        ask.appendChild(el("span", {}, "确认按此答复登记为即来即办？"));
        var yes = el("button", {"type": "submit", "form": "call-form", "name": "kb_confirm", "value": String(entry.id),
                                "class": "small"}, "确认登记");
        var no = el("button", {"type": "button", "class": "small secondary"}, "取消");
        no.addEventListener("click", function () { ask.replaceWith(button); button.focus(); });
        ask.appendChild(yes);
        ask.appendChild(no);
        button.replaceWith(ask);
        yes.focus();
      });
      item.appendChild(button);
      items.push(item);
    });
    return items;
  }

  function renderSimilar(data) {
    if (!data.similar.length) return [];
    var box = el("div", {"class": "repeat-warning", "role": "alert"});
    box.appendChild(el("b", {}, "重复件提醒：近期有相似工单"));
    var list = el("ul");
    data.similar.forEach(function (s) {
      var li = el("li");
      var link = el("a", {"href": s.url, "target": "_blank", "rel": "noopener"}, s.number);
      li.appendChild(link);
      li.appendChild(document.createTextNode(" " + s.reason + " · " + s.status + " · " + s.created_at +
        " · 相似度 " + Math.round(s.similarity * 100) + "%" + (s.repeat_count ? " · 已重复 " + s.repeat_count + " 次" : "") +
        " — " + s.title));
      list.appendChild(li);
    });
    box.appendChild(list);
    box.appendChild(el("div", {"class": "hint"}, "登记后将自动关联为重复件。"));
    return [box];
  }

  function render(data) {
    var content = form.elements.content.value.trim();
    statusLine.textContent = content ? (data.model ? "模型 " + data.model : "") : "输入诉求内容后显示建议。";
    show(boxes.similar, renderSimilar(data));
    show(boxes.route, content ? renderRoute(data) : []);
    show(boxes.district, content || form.elements.address.value ? renderDistrict(data) : []);
    show(boxes.kb, renderKb(data));
  }

  function run() {
    var body = payload();
    if (body === lastBody) return;
    lastBody = body;
    var mine = ++sequence;
    statusLine.textContent = "正在分析…";
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token}
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (mine === sequence) render(data);  // an older answer arriving late is dropped
    }).catch(function (error) {
      if (mine === sequence) statusLine.textContent = "暂时无法获取建议（" + error.message + "），可照常登记。";
      lastBody = "";
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  }

  // The typed call is kept in this browser until it is registered: a session that ended meanwhile (the shift is
  // over, the server restarted with a new key) sends the operator to the login page, and the call comes back after.
  var draftKey = form.getAttribute("data-draft-key");
  var SKIP = {csrf_token: true, idempotency_key: true, kb_confirm: true};

  function draftFields() {
    return Array.prototype.filter.call(form.elements, function (e) { return e.name && !SKIP[e.name] && e.type !== "submit"; });
  }

  function saveDraft() {
    var values = {}, typed = false;
    draftFields().forEach(function (e) {
      values[e.name] = e.type === "checkbox" ? e.checked : e.value;
      if (e.type !== "checkbox" && e.tagName !== "SELECT" && e.value.trim()) typed = true;
    });
    try {
      if (typed) window.localStorage.setItem(draftKey, JSON.stringify({saved: Date.now(), values: values}));
      else window.localStorage.removeItem(draftKey);
    } catch (error) { /* storage full or disabled: the page works as before */ }
  }

  function restoreDraft() {
    var notice = document.getElementById("draft-restored");
    var draft = null;
    try { draft = JSON.parse(window.localStorage.getItem(draftKey) || "null"); } catch (error) { draft = null; }
    if (document.getElementById("created")) {  // the call just registered was the draft
      try { window.localStorage.removeItem(draftKey); } catch (error) { /* nothing kept */ }
      return;
    }
    var blank = !form.elements.content.value.trim() && !form.elements.caller_phone.value.trim();
    if (!draft || !draft.values || !blank || document.querySelector("[aria-invalid=true]")) return;
    draftFields().forEach(function (e) {
      if (!(e.name in draft.values)) return;
      if (e.type === "checkbox") e.checked = !!draft.values[e.name];
      else e.value = draft.values[e.name];
    });
    var saved = new Date(draft.saved);
    notice.querySelector("span").textContent = ("0" + saved.getHours()).slice(-2) + ":" + ("0" + saved.getMinutes()).slice(-2);
    notice.hidden = false;
    document.getElementById("draft-discard").addEventListener("click", function () {
      form.reset();
      draftFields().forEach(function (e) { if (e.type !== "checkbox" && e.tagName !== "SELECT") e.value = ""; });
      saveDraft();
      notice.hidden = true;
      form.elements.caller_phone.focus();
    });
    form.elements.content.focus();
  }

  if (draftKey) {
    restoreDraft();
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
  }

  ["content", "address", "caller_phone", "district"].forEach(function (name) {
    form.elements[name].addEventListener("input", schedule);
    form.elements[name].addEventListener("change", schedule);
  });
  if (form.elements.content.value.trim()) schedule();  // a form re-shown with a message keeps its suggestions
})();
