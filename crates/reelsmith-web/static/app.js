// reelsmith UI: live generation progress (server-sent events read from a fetch stream) and copy
// buttons. Plain JavaScript, no build step, nothing fetched from elsewhere.
(function () {
  "use strict";

  function parseEvents(buffer, onEvent) {
    var blocks = buffer.split("\n\n");
    var rest = blocks.pop();
    blocks.forEach(function (block) {
      var name = "", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (name) {
        var value = null;
        try { value = JSON.parse(data); } catch (e) { value = data; }
        onEvent(name, value);
      }
    });
    return rest;
  }

  function generate(form) {
    var out = document.getElementById("progress");
    var status = document.getElementById("status");
    var button = form.querySelector("button[type=submit]");
    var data = new FormData(form);
    var body = {
      persona: data.get("persona"), topic: data.get("topic"),
      duration_s: Number(data.get("duration_s")), content_type: data.get("content_type"),
      style: data.get("style"), platform: data.get("platform"),
      attempts: Number(data.get("attempts")),
      language: data.get("language") || null,
      requirements: String(data.get("requirements") || "").split("\n").filter(function (r) { return r.trim(); }),
      context: data.get("context") || null,
      urgency: data.get("urgency") || null
    };
    // Errors of an earlier try are cleared; each new one is shown under its field.
    Array.prototype.forEach.call(form.querySelectorAll(".field-error.js"), function (e) { e.remove(); });
    function showFieldErrors(e) {
      var list = (e.fields && e.fields.length) ? e.fields : (e.field ? [{ field: e.field, message: e.message }] : []);
      list.forEach(function (f) {
        var input = form.querySelector("[name='" + f.field + "']");
        if (!input) return;
        var p = document.createElement("p");
        p.className = "field-error js";
        p.id = "error-" + f.field;
        p.setAttribute("role", "alert");
        p.textContent = f.message;
        input.insertAdjacentElement("afterend", p);
      });
    }
    button.disabled = true;
    out.hidden = false;
    out.textContent = "";
    var tokens = 0, current = -1;
    function log(line) { out.textContent += line + "\n"; out.scrollTop = out.scrollHeight; }
    status.textContent = "Starting…";
    status.scrollIntoView({ block: "start" });
    fetch("/api/v1/scripts/generate", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify(body)
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.json().then(function (e) {
          showFieldErrors(e);
          throw new Error((e.field && !(e.fields && e.fields.length) ? e.field + ": " : "") + e.message);
        });
      }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }), onEvent);
          return pump();
        });
      }
      return pump();
    }).catch(function (err) {
      status.textContent = "Failed: " + err.message;
      button.disabled = false;
    });
    function onEvent(name, v) {
      if (name === "started") { log("Writing " + v.attempts + " attempt(s)…"); }
      else if (name === "token") {
        tokens += 1;
        if (v.attempt !== current) { current = v.attempt; log("\n— attempt " + (v.attempt + 1) + " —"); }
        out.textContent += v.text;
        status.textContent = "Attempt " + (v.attempt + 1) + " · " + tokens + " tokens so far";
      } else if (name === "scored") {
        log("\nAttempt " + (v.attempt + 1) + ": " + (v.overall === null ? "dropped (" + v.error + ")" :
          Math.round(v.overall) + "/100, " + Math.round(v.estimated_s) + " s"));
        status.textContent = "Scoring…";
      } else if (name === "fitting") {
        status.textContent = "Fitting " + Math.round(v.estimated_s) + " s to " + Math.round(v.target_s) + " s (" + v.how + " " + v.round + ")…";
        log(status.textContent);
      } else if (name === "done") {
        status.textContent = "Done — opening the script…";
        window.location.href = "/scripts/" + v.id;
      } else if (name === "error") {
        status.textContent = "Failed: " + v.message;
        button.disabled = false;
      }
    }
  }

  document.addEventListener("submit", function (ev) {
    if (ev.target.id === "generate-form" && window.fetch && window.TextDecoder) {
      ev.preventDefault();
      generate(ev.target);
    }
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.dataset && t.dataset.copy) {
      var src = document.getElementById(t.dataset.copy);
      if (src && navigator.clipboard) {
        navigator.clipboard.writeText(src.textContent).then(function () { t.textContent = "Copied"; });
      }
    }
  });
})();

// "Sign out" shows while signed in (the session cookie is HttpOnly; this flag cookie is not).
(function () {
  "use strict";
  if (document.cookie.split(";").some(function (c) { return c.trim().indexOf("reelsmith_signed_in=1") === 0; })) {
    var form = document.getElementById("signout");
    if (form) form.hidden = false;
  }
})();
