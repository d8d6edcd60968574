/* planner report: draws the charts when they come into view and builds a person's page
   when it is opened. All data is in the page (JSON blocks); nothing is fetched. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function fmt(x, d) {
    if (x === null || x === undefined || !isFinite(x)) { return "–"; }
    return Number(x).toLocaleString("en", {minimumFractionDigits: d || 0, maximumFractionDigits: d || 0});
  }
  function pct(x) { return (x === null || !isFinite(x)) ? "–" : Math.round(x * 100) + "%"; }

  var TEMPLATE = readJSON("chart-template") || {};
  var FIGURES = null;
  var CONFIG = {displaylogo: false, responsive: true,
                modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]};

  function figures() {
    if (FIGURES === null) { FIGURES = readJSON("figures") || {}; }
    return FIGURES;
  }
  function plot(div, data, layout) {
    var lay = Object.assign({}, layout, {template: TEMPLATE});
    window.Plotly.react(div, data, lay, CONFIG);
  }
  function draw(div) {
    var id = div.getAttribute("data-fig");
    var fig = figures()[id];
    if (!fig || div.getAttribute("data-drawn") === id) { return; }
    plot(div, fig.data, fig.layout);
    div.setAttribute("data-drawn", id);
  }

  // charts are drawn once near the viewport and visible (hidden panes are drawn when shown)
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting && e.target.offsetParent !== null) { draw(e.target); }
    });
  }, {rootMargin: "600px 0px"});
  function watch(root) {
    root.querySelectorAll(".chart[data-fig]").forEach(function (d) { observer.observe(d); });
  }

  // toggles: buttons that show one pane of a group
  document.querySelectorAll(".toggle").forEach(function (group) {
    var buttons = group.querySelectorAll("button[data-show]");
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        buttons.forEach(function (o) {
          var pane = document.getElementById(o.getAttribute("data-show"));
          o.classList.toggle("on", o === b);
          if (pane) { pane.hidden = o !== b; }
        });
        var shown = document.getElementById(b.getAttribute("data-show"));
        if (shown) { shown.querySelectorAll(".chart[data-fig]").forEach(draw); }
      });
    });
  });

  // selects that choose which figure a chart shows
  document.querySelectorAll("select.chart-select").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var div = document.getElementById(sel.getAttribute("data-target"));
      div.setAttribute("data-fig", sel.value);
      draw(div);
    });
  });

  // ------------------------------------------------------------------ people
  var PEOPLE = null;
  var BY_ID = null;
  function people() {
    if (PEOPLE === null) {
      PEOPLE = readJSON("people-data");
      BY_ID = new Map();
      if (PEOPLE) { PEOPLE.people.forEach(function (p, k) { BY_ID.set(p[0], k); }); }
    }
    return PEOPLE;
  }
  function personHref(id) { return "#person-" + encodeURIComponent(id); }
  function personLink(p) {
    return el("a", {href: personHref(p[0])}, [p[1] + " (" + p[0] + ")"]);
  }

  function search(query, limit) {
    var data = people();
    var q = query.trim().toLowerCase();
    if (!data || !q) { return []; }
    var exact = [], starts = [], other = [];
    data.people.forEach(function (p) {
      var id = String(p[0]).toLowerCase(), name = String(p[1]).toLowerCase();
      if (id === q || name === q) { exact.push(p); }
      else if (id.indexOf(q) === 0 || name.indexOf(q) === 0) { starts.push(p); }
      else if (id.indexOf(q) >= 0 || name.indexOf(q) >= 0) { other.push(p); }
    });
    return exact.concat(starts, other).slice(0, limit);
  }

  var results = document.querySelector(".person-results");
  document.querySelectorAll("input.person-search").forEach(function (input) {
    input.addEventListener("input", function () {
      if (!results) { return; }
      var found = search(input.value, 40);
      results.replaceChildren.apply(results, found.map(function (p) {
        return el("li", {}, [personLink(p), " ", el("span", {"class": "muted", text: p[2]})]);
      }));
      if (input.value.trim() && !found.length) {
        results.replaceChildren(el("li", {"class": "muted", text: "nobody matches"}));
      }
      if (!input.classList.contains("big")) {
        document.getElementById("people").scrollIntoView();
      }
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") { return; }
      var found = search(input.value, 1);
      if (found.length) { location.hash = personHref(found[0][0]); }
    });
  });

  document.querySelectorAll("button.members").forEach(function (b) {
    b.addEventListener("click", function () {
      var data = people();
      var list = b.parentNode.querySelector(".member-list");
      var unit = b.getAttribute("data-unit");
      var mine = data.people.filter(function (p) { return p[2] === unit; });
      list.replaceChildren.apply(list, mine.map(function (p) {
        return el("li", {}, [personLink(p)]);
      }));
      b.hidden = true;
    });
  });

  function table(head, rows, numeric) {
    var thead = el("thead", {}, [el("tr", {}, head.map(function (h, k) {
      return el("th", numeric[k] ? {"class": "n", text: h} : {text: h});
    }))]);
    var tbody = el("tbody", {}, rows.map(function (r) {
      return el("tr", {}, r.map(function (c, k) {
        var td = el("td", numeric[k] ? {"class": "n"} : {});
        td.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
        return td;
      }));
    }));
    return el("div", {"class": "scroll"}, [el("table", {"class": "data"}, [thead, tbody])]);
  }

  function showPerson(id) {
    var data = people();
    var view = document.getElementById("person-view");
    if (!data || !view) { return false; }
    var k = BY_ID.get(id);
    if (k === undefined) {
      view.replaceChildren(el("p", {"class": "bad", text: "No person with id " + id + " in this plan."}));
      return false;
    }
    var p = data.people[k];
    var periods = data.periods, T = periods.length, work = data.work;
    var pid = p[0], name = p[1], unit = p[2], skills = p[3], fte = p[4], share = p[5];
    var avail = p[6], items = p[7];
    var unitInfo = data.units[unit] || [unit, null];
    var perT = [], used = new Map(), byWork = new Map();
    for (var t = 0; t < T; t++) { perT.push({rtb: 0, change: 0, other: 0, items: []}); }
    for (var i = 0; i < items.length; i += 4) {
      var tt = items[i], w = work[items[i + 1]], h = items[i + 2], other = items[i + 3];
      var cell = perT[tt];
      if (w[2] === "rtb") { cell.rtb += h; } else { cell.change += h; }
      if (other) { cell.other += h; }
      cell.items.push(w[0] + " " + fmt(h, 1));
      used.set(w[0], w);
      if (!byWork.has(w[0])) { byWork.set(w[0], new Array(T).fill(0)); }
      byWork.get(w[0])[tt] += h;
    }
    var cap = data.max_utilisation;
    var rows = [], totals = {avail: 0, rtb: 0, change: 0, other: 0};
    for (t = 0; t < T; t++) {
      var c = perT[t], total = c.rtb + c.change;
      totals.avail += avail[t]; totals.rtb += c.rtb; totals.change += c.change; totals.other += c.other;
      rows.push([periods[t], fmt(avail[t], 1), fmt(avail[t] * cap, 1), fmt(c.rtb, 1),
                 fmt(c.change, 1), fmt(c.other, 1), fmt(total, 1),
                 avail[t] * cap > 1e-9 ? pct(total / (avail[t] * cap)) : "–", c.items.join("; ")]);
    }
    rows.push(["year", fmt(totals.avail, 1), fmt(totals.avail * cap, 1), fmt(totals.rtb, 1),
               fmt(totals.change, 1), fmt(totals.other, 1), fmt(totals.rtb + totals.change, 1),
               totals.avail * cap > 1e-9 ? pct((totals.rtb + totals.change) / (totals.avail * cap)) : "–", ""]);

    var article = el("article", {id: "person-" + pid, "class": "person", "data-person": pid});
    var unitNode = unitInfo[1] ? el("a", {href: "#" + unitInfo[1], text: unitInfo[0]}) : document.createTextNode(unit);
    article.appendChild(el("h3", {}, [name + " ", el("code", {text: pid})]));
    var skillText = Object.keys(skills).map(function (s) {
      return skills[s] < 1 ? s + " (" + Math.round(skills[s] * 100) + "%)" : s;
    }).join(", ");
    article.appendChild(el("p", {}, ["Unit: ", unitNode, " · skills: " + skillText + " · FTE " + fte +
      " · at most " + Math.round(share * 100) + "% on change work"]));
    var chart = el("div", {"class": "chart person-chart"});
    article.appendChild(el("h4", {text: "Hours by piece of work"}));
    article.appendChild(chart);
    article.appendChild(el("h4", {text: "Month by month (hours)"}));
    article.appendChild(table(["period", "available", "capacity", "RTB", "change", "for other units",
                               "total", "utilisation", "work"], rows,
                              [false, true, true, true, true, true, true, true, false]));

    // goals: objectives and KPIs served by this person's work
    var objectives = new Map(), kpis = new Map();
    used.forEach(function (w) {
      w[4].forEach(function (o) { if (!objectives.has(o)) { objectives.set(o, []); } objectives.get(o).push(w[0]); });
      w[5].forEach(function (x) { if (!kpis.has(x)) { kpis.set(x, []); } kpis.get(x).push(w[0]); });
    });
    article.appendChild(el("h4", {text: "Goals"}));
    var cascade = (data.goals && data.goals[pid]) || null;
    var rowsG = cascade ? cascade.filter(function (g) { return g[1] !== "none"; }) : [];
    if (rowsG.length) {
      // the goals cascade: the KPIs this person's hours move (change) or keep up (RTB)
      article.appendChild(table(["KPI", "how", "hours", "contribution", "target", "committed", "", "work"],
        rowsG.map(function (g) {
          var met = g[7] === null ? "" : (g[7] ? "met" : "missed");
          return [data.kpis[g[0]] || g[0], g[1] === "change" ? "moves it" : "keeps it up (RTB)",
                  fmt(g[2], 1), g[3] ? String(g[3]) : "0", g[4] === null ? "–" : g[4] + " by " + g[5],
                  g[6] === null ? "–" : String(g[6]), met, g[8]];
        }), [false, false, true, true, true, true, false, false]));
    } else if (cascade && cascade.length && cascade[0][9]) {
      article.appendChild(el("p", {"class": "muted", text: cascade[0][9]}));
    }
    if (objectives.size) {
      var goals = el("ul", {});
      objectives.forEach(function (ws, o) {
        goals.appendChild(el("li", {}, ["objective " + (data.objectives[o] || o) + ": " + ws.join(", ")]));
      });
      if (!cascade) {
        kpis.forEach(function (ws, x) {
          goals.appendChild(el("li", {}, ["KPI " + (data.kpis[x] || x) + ": " + ws.join(", ")]));
        });
      }
      article.appendChild(el("p", {text: "Objectives this work serves:"}));
      article.appendChild(goals);
    } else if (!rowsG.length) {
      article.appendChild(el("p", {"class": "muted", text: "No objective or KPI is linked to this person's work."}));
    }
    article.appendChild(el("h4", {text: "Development"}));
    var dev = data.development[pid] || [];
    if (!dev.length) {
      article.appendChild(el("p", {"class": "muted", text: "No development wish recorded."}));
    } else {
      article.appendChild(table(["skill", "proficiency", "hours wished", "hours planned", "met", "work", "mentor, or why not met"],
        dev.map(function (d) {
          return [d[0], d[1] ? Math.round(d[1] * 100) + "%" : "learning", fmt(d[2], 1), fmt(d[3], 1),
                  d[4] ? "yes" : "no", d[5], d[6]];
        }), [false, true, true, true, false, false, false]));
    }
    view.replaceChildren(article);

    var traces = [];
    byWork.forEach(function (hours, wid) {
      traces.push({type: "bar", name: wid, x: periods, y: hours,
                   hovertemplate: wid.replace(/</g, "&lt;") + ": %{y:,.1f} h<extra></extra>"});
    });
    traces.push({type: "scatter", mode: "lines", name: "capacity", x: periods,
                 y: avail.map(function (a) { return a * cap; }),
                 line: {color: "#222", dash: "dash", shape: "hvh"}});
    plot(chart, traces, {barmode: "stack", height: 300, margin: {t: 30},
                         yaxis: {title: {text: "hours"}, rangemode: "tozero"},
                         xaxis: {type: "category"}});
    return true;
  }

  function route() {
    var h = location.hash;
    if (h.indexOf("#person-") !== 0) { return; }
    var id;
    try { id = decodeURIComponent(h.slice(8)); } catch (e) { id = h.slice(8); }
    if (showPerson(id)) {
      var node = document.getElementById("person-view");
      node.scrollIntoView();
    }
  }

  watch(document);
  window.addEventListener("hashchange", route);
  route();
}());
