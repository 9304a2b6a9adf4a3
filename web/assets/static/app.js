// hawatch status page: refreshes the server-rendered view in place from
// the JSON API every few seconds. Everything is built with DOM calls and
// textContent, never from HTML strings.
(function () {
  "use strict";

  var REFRESH_MS = 5000;
  var EVENTS = 50;
  var body = document.body;
  var loadedAt = performance.now();

  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") el.className = v;
      else el.setAttribute(k, String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, c) {
    if (c === null || c === undefined || c === false || c === "") return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.append(c instanceof Node ? c : String(c));
  }

  // Formatting, as the server renders it (web/page.go).
  function rate(r) {
    if (r === null || r === undefined) return "unknown";
    var units = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"], i = 0;
    while (r >= 1000 && i < units.length - 1) { r /= 1000; i++; }
    return (i === 0 ? Math.round(r).toString() : r.toFixed(1)) + " " + units[i];
  }
  function age(s) {
    if (s < 0) s = 0;
    if (s < 120) return Math.floor(s) + "s";
    if (s < 7200) return Math.floor(s / 60) + "m";
    if (s < 172800) return Math.floor(s / 3600) + "h";
    return Math.floor(s / 86400) + "d";
  }
  function count(n) { return Number(n || 0).toLocaleString("en-US"); }
  function utc(t) { return new Date(t).toISOString().substring(0, 19).split("T"); }
  var STATUS = { healthy: "✔ HEALTHY", degraded: "▲ DEGRADED", recovered: "↺ RECOVERED", down: "✖ DOWN", unknown: "? UNKNOWN" };
  // As web/page.go's groupLabel.
  var GROUPS = { firing: "Firing", held: "Held after recovery (keep_firing_for)",
    expected: "Expected in maintenance (held back from Alertmanager)", pending: "Pending" };
  function statusLabel(s) { return STATUS[s] || STATUS.unknown; }
  function stateLabel(p) {
    if (!p.up) return "NOT ANSWERING";
    if (!p.ha_enabled && p.ha_state === "unknown") return "HA UNKNOWN";
    return p.ha_state.toUpperCase();
  }
  function stateClass(state, up) {
    if (!up) return "bad";
    if (state.indexOf("active") === 0) return "good";
    if (state === "passive") return "standby";
    if (state === "non-functional" || state === "suspended") return "bad";
    return "other";
  }
  function flowLabel(f) { return f === "yes" ? "flowing" : f === "no" ? "stopped" : "unknown"; }
  function upDown(up) { return up ? "up" : "down"; }

  function renderPeer(p) {
    var dl = h("dl", null,
      h("dt", null, "Address"), h("dd", null, p.address, p.model ? " · " + p.model : ""));
    if (!p.up) append(dl, [h("dt", null, "Error"), h("dd", { class: "bad" }, p.error || "does not answer")]);
    if (p.failed_commands && p.failed_commands.length) {
      append(dl, [h("dt", null, "Failed"), h("dd", { class: "warn" }, p.failed_commands.join(", "))]);
    }
    if (p.peer_view) {
      append(dl, [h("dt", null, "Sees peer"), h("dd", { class: p.peer_view.connected ? null : "warn" },
        p.peer_view.state, p.peer_view.connected ? "" : " · not connected")]);
    }
    var links = (p.ha_links || []).map(function (l) {
      return h("span", { class: "chip " + upDown(l.up), "data-link": l.name, "data-up": String(l.up) }, l.name + " " + upDown(l.up));
    });
    var dp = p.data_plane;
    append(dl, [
      h("dt", null, "HA links"), h("dd", { class: "chips" }, links.length ? links : h("span", { class: "muted" }, p.up ? "none" : "unknown")),
      h("dt", null, "Data plane"), h("dd", { "data-dp-up": dp.up, "data-dp-total": dp.total }, !p.up ? "unknown" : [dp.up + "/" + dp.total + " up",
        dp.down.length ? [" · ", h("span", { class: "bad" }, "down: " + dp.down.join(", "))] : ""]),
      h("dt", null, "Sessions"), h("dd", null, p.sessions ?
        count(p.sessions.active) + " · " + count(p.sessions.cps) + " cps · " + count(p.sessions.kbps) + " kbps" : "unknown"),
      h("dt", null, "Throughput"), h("dd", null, rate(p.throughput_bytes_per_second)),
      h("dt", null, "PAN-OS"), h("dd", null, p.versions.sw_version || "unknown", p.versions.app ? " · app " + p.versions.app : ""),
      h("dt", null, "Config sync"), h("dd", { class: p.config_sync === "not synchronized" ? "warn" : null }, p.config_sync)
    ]);
    return h("article", { class: "peer st-" + stateClass(p.ha_state, p.up), "data-peer": p.name, "data-ha-state": p.ha_state, "data-up": String(p.up) },
      h("header", null, h("h3", null, p.name, p.hostname ? [" ", h("span", { class: "host" }, p.hostname)] : ""),
        h("span", { class: "state" }, stateLabel(p))), dl);
  }

  function renderAWS(a) {
    var el = h("div", { class: "fact aws", "data-aws-known": String(a.known), "data-aws-failing": a.failing },
      h("span", { class: "k" }, "AWS"), a.mode ? [" ", h("span", { class: "muted" }, a.mode)] : "");
    if (!a.known) {
      append(el, [" ", h("span", { class: "chip other" }, "unknown: AWS cannot be read")]);
    } else {
      append(el, [" ", h("span", { class: "chip up" }, a.passing + " passing")]);
      if (a.failing) append(el, [" ", h("span", { class: "chip down" }, a.failing + " failing")]);
      if (a.unknown) append(el, [" ", h("span", { class: "chip other" }, a.unknown + " unknown")]);
      if (a.in_grace) append(el, [" ", h("span", { class: "chip other" }, "converging after failover")]);
    }
    if (a.failures && a.failures.length) {
      append(el, h("ul", { class: "problems" }, a.failures.map(function (f) {
        return h("li", { "data-check": f.check }, h("span", { class: "check" }, f.check), " " + f.problem);
      })));
    }
    return el;
  }

  function renderFailover(f) {
    var chip = f.ready === "yes" ? h("span", { class: "chip up" }, "would work")
      : f.ready === "no" ? h("span", { class: "chip down" }, "would fail") : h("span", { class: "chip other" }, "cannot tell");
    var el = h("div", { class: "fact failover", "data-failover-ready": f.ready },
      h("span", { class: "k" }, "Failover" + (f.passive ? " to " + f.passive : "")), " ", chip);
    if (f.problems && f.problems.length) {
      append(el, h("ul", { class: "problems" }, f.problems.map(function (c) {
        return h("li", { "data-check": c.check }, h("span", { class: "check" }, c.check), " " + c.problem);
      })));
    }
    return el;
  }

  // findings renders the evidence under the cause and folds the other
  // reasons away, open if the operator had opened them (open), as
  // web/assets/index.html does; without evidence the reasons show as
  // they are.
  function findings(p, open) {
    var reasons = h("ul", { class: "reasons" }, p.reasons.map(function (r) { return h("li", null, r); }));
    if (!p.evidence || !p.evidence.length) return p.reasons.length ? reasons : "";
    var n = p.reasons.length;
    return [h("ul", { class: "evidence", "data-role": "evidence" }, p.evidence.map(function (e) { return h("li", null, e); })),
      n ? h("details", { class: "findings", "data-role": "findings", open: !!open[p.name] },
        h("summary", null, n + " more " + (n === 1 ? "finding" : "findings")), reasons) : ""];
  }

  function renderPair(p, open) {
    var t = p.traffic;
    // The alerts come ordered by group; each group gets its heading.
    var alerts = [], group = null;
    (p.alerts || []).forEach(function (a) {
      if (!group || group.dataset.group !== a.group) {
        group = h("div", { class: "alert-group g-" + a.group, "data-group": a.group }, h("h4", null, GROUPS[a.group] || a.group));
        alerts.push(group);
      }
      append(group, h("div", { class: "alert sev-" + a.severity + " al-" + a.state + " g-" + a.group, "data-alert": a.name, "data-group": a.group },
        h("span", { class: "sev" }, a.severity + " · " + (a.group === "held" ? "held" : a.state)), " ", h("b", null, a.name),
        a.peer ? " (" + a.peer + ")" : "", a.summary ? " — " + a.summary : "",
        a.note ? [" ", h("span", { class: "note" }, "· " + a.note)] : "",
        a.runbook_url ? [" ", h("a", { class: "runbook", href: a.runbook_url }, "runbook")] : ""));
    });
    var m = p.maintenance;
    return h("section", { class: "pair s-" + p.status, id: "pair-" + p.name, "data-pair": p.name, "data-status": p.status },
      h("header", { class: "pair-head" },
        h("h2", null, p.name),
        h("span", { class: "badge s-" + p.status, "data-role": "status" }, statusLabel(p.status)),
        h("span", { class: "poll" }, "polled ", h("b", { class: "age", "data-age": p.last_poll_age_seconds }, age(p.last_poll_age_seconds)), " ago",
          p.poll_success ? "" : [" · ", h("span", { class: "warn" }, "incomplete")])),
      p.cause ? h("p", { class: "cause", "data-role": "cause" }, p.cause) : "",
      m ? h("p", { class: "maintenance", "data-role": "maintenance" }, "In maintenance until " + utc(m.until).join(" ") + " UTC" +
        (m.reason ? ": " + m.reason : "") + ". Expected steps are held back; the incident's alerts still page.") : "",
      findings(p, open),
      h("div", { class: "alerts" }, alerts.length ? alerts : h("div", { class: "muted" }, "No active alerts.")),
      h("div", { class: "peers" }, p.peers.map(renderPeer)),
      h("div", { class: "facts" },
        h("div", { class: "fact traffic t-" + t.flowing, "data-traffic": t.flowing },
          h("span", { class: "k" }, "Traffic"), " ", h("b", null, flowLabel(t.flowing)), " ",
          h("span", null, (t.bytes_per_second === null ? "" : rate(t.bytes_per_second) + " · ") +
            count(t.sessions_active) + " sessions · " + count(t.cps) + " cps")),
        p.aws ? renderAWS(p.aws) : "",
        p.failover ? renderFailover(p.failover) : ""));
  }

  function renderPairs(resp) {
    var pairs = resp.pairs || [];
    var box = document.getElementById("pairs");
    // The findings the operator opened stay open across the re-render.
    var open = {};
    box.querySelectorAll("section.pair").forEach(function (sec) {
      var d = sec.querySelector("details.findings");
      if (d && d.open) open[sec.dataset.pair] = true;
    });
    box.replaceChildren.apply(box, pairs.length ? pairs.map(function (p) { return renderPair(p, open); })
      : [h("p", { class: "empty" }, "No pair is being watched.")]);
    var order = ["down", "degraded", "unknown", "recovered", "healthy"], parts = [];
    order.forEach(function (s) {
      var n = pairs.filter(function (p) { return p.status === s; }).length;
      if (n) parts.push(n + " " + s);
    });
    var summary = parts.length ? parts.join(" · ") : "no pairs";
    document.getElementById("summary").textContent = summary;
    document.title = document.title.replace(/·.*$/, "· " + summary);
  }

  // snapLink links a snapshot event to the state snapshot it saved.
  function snapLink(e) {
    if (e.kind !== "snapshot" || !e.subject) return "";
    return [" ", h("a", { class: "snap", href: "api/v1/snapshots/" + encodeURIComponent(e.subject) }, e.subject)];
  }

  function renderEvents(events) {
    var rows = events.slice().reverse().map(function (e) {
      return h("tr", { "data-kind": e.kind, "data-event-pair": e.pair },
        h("td", { class: "time" }, h("span", { class: "date" }, utc(e.time)[0] + " "), utc(e.time)[1]), h("td", null, e.pair), h("td", null, e.peer || ""),
        h("td", null, h("span", { class: "kind k-" + e.kind }, e.kind)), h("td", null, e.message, snapLink(e)));
    });
    if (!rows.length) rows = [h("tr", { class: "none" }, h("td", { colspan: 5 }, "No events yet."))];
    var tbody = document.getElementById("events");
    tbody.replaceChildren.apply(tbody, rows);
  }

  function setConn(ok, detail) {
    var conn = document.getElementById("conn");
    var now = new Date().toISOString().substring(11, 19);
    if (ok) {
      conn.dataset.conn = "ok";
      conn.textContent = "Updated " + now + " UTC";
      body.dataset.conn = "ok";
    } else if (conn.dataset.conn !== "lost") {
      conn.dataset.conn = "lost";
      conn.textContent = "Lost contact with hawatch at " + now + " UTC (" + detail + "); the state shown is old";
      body.dataset.conn = "lost";
    }
  }

  function getJSON(url) {
    return fetch(url, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  var busy = false;
  function refresh() {
    if (busy) return;
    busy = true;
    var jobs = [getJSON("api/v1/pairs")];
    if (body.dataset.journal === "true") jobs.push(getJSON("api/v1/events?limit=" + EVENTS));
    Promise.all(jobs).then(function (res) {
      loadedAt = performance.now();
      renderPairs(res[0]);
      if (res[1]) renderEvents(res[1].events || []);
      setConn(true);
      body.dataset.refreshed = "1";
    }).catch(function (err) {
      setConn(false, err.message || String(err));
    }).finally(function () { busy = false; });
  }

  // Ages count on between refreshes, from the server's own measure.
  function tick() {
    var dt = (performance.now() - loadedAt) / 1000;
    document.querySelectorAll(".age[data-age]").forEach(function (el) {
      el.textContent = age(parseFloat(el.dataset.age) + dt);
    });
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
  setInterval(tick, 1000);
})();
