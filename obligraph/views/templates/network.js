/* Obligraph's interactive network. Data comes from the JSON block #obligraph-data; every piece of
   text from a source is put on the page with textContent / createElement, never as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("obligraph-data").textContent);
  var D = DATA.details;
  var SOURCES = {};
  DATA.sources.forEach(function (s) { SOURCES[s.id] = s; });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var baseNode = {}, baseEdge = {};
  DATA.nodes.forEach(function (n) { baseNode[n.id] = { color: n.color, font: { color: "#212529" } }; });
  DATA.edges.forEach(function (e) { baseEdge[e.id] = { color: e.color, font: { color: "#495057" } }; });

  var state = { types: {}, kinds: {}, source: "" };
  DATA.types.forEach(function (t) { state.types[t.type] = true; });
  DATA.edgeKinds.forEach(function (k) { state.kinds[k.kind] = true; });

  function nodeVisible(node) {
    if (!state.types[node.group]) return false;
    return !state.source || (DATA.nodeSources[node.id] || []).indexOf(state.source) >= 0;
  }
  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, {
    filter: function (edge) {
      if (!state.kinds[edge.legend]) return false;
      if (state.source && D.edges[edge.id].sources.indexOf(state.source) < 0) return false;
      var a = nodes.get(edge.from), b = nodes.get(edge.to);
      return nodeVisible(a) && nodeVisible(b);
    }
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);

  /* ---------- small DOM helpers: text only ---------- */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function entityLink(id, label) {
    if (!id || !D.nodes[id]) return el("span", null, label);
    var b = el("button", "link", label);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }
  function badge(text, extra) { return el("span", "badge" + (extra ? " " + extra : ""), text); }

  /* ---------- claims ---------- */
  function quoteBlock(q) {
    var bq = el("blockquote");
    if (q.prefix) add(bq, el("span", "context", "…" + q.prefix));
    add(bq, el("mark", null, q.exact));
    if (q.suffix) add(bq, el("span", "context", q.suffix + "…"));
    return bq;
  }
  function claimCard(id, options) {
    var c = D.claims[id];
    var card = el("div", "claim");
    card.dataset.claim = id;
    var statement = el("div", "statement");
    if (c.stance !== "asserts") add(statement, badge(c.stance, c.stance));
    if (c.curatorReading) add(statement, badge("curator’s reading", "reading"));
    add(statement, entityLink(c.subject, c.subjectLabel), " — " + c.relation + " → ",
        c.object ? entityLink(c.object, c.objectLabel) : el("span", null, c.objectLabel));
    add(card, statement);
    var facts = [];
    if (c.date) facts.push("date: " + c.date);
    if (c.mode) facts.push("mode: " + c.mode);
    facts = facts.concat(c.qualifiers || []);
    if (facts.length) add(card, el("div", "meta", facts.join(" · ")));
    (c.quotes || []).forEach(function (q) { add(card, quoteBlock(q)); });
    var who = el("div", "meta");
    var s = SOURCES[c.source] || {};
    add(who, (c.statedBy ? c.statedBy + ", in " : "In ") + "“" + (s.title || c.source) + "”" +
        (s.date ? " (" + s.date + ")" : " (undated)") + " · " + c.source);
    add(card, who);
    if (c.note && !(options && options.compact)) add(card, el("div", "note", "Curator’s note: " + c.note));
    return card;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  /* a list past PAGE_LIST_MAX shows its first claims and names the query that lists them all */
  function evidenceFor(entity) { return "obligraph query evidence-for --param entity=" + entity; }
  var PREMISES_QUERY = { PotentialBreach: "policy-conflicts", BoundBy: "obligations-by-state" };
  function more(parent, shown, total, command) {
    if (total > shown) {
      add(parent, el("div", "note more", "… and " + plural(total - shown, "more claim") + ": " +
          command + " lists them all"));
    }
  }
  function disagreementBlock(d, entity) {
    var box = el("div", "disagreement");
    var head = el("div", "meta");
    add(head, badge("sources disagree"), "on the " + d.aspect);
    if (d.againstRecord) add(head, " ", badge("the reference record is on one side", "record"));
    add(box, head);
    var sides = el("div", "sides");
    d.sides.forEach(function (s) {
      var side = el("div", "side");
      add(side, el("div", "says", "says " + s.says + " (" + s.count + ")"));
      s.claims.forEach(function (id) { add(side, claimCard(id, { compact: true })); });
      more(side, s.claims.length, s.count, evidenceFor(entity));
      add(sides, side);
    });
    return add(box, sides);
  }
  var CONCLUSION_NAMES = { PotentialBreach: "Potential breach", BoundBy: "Bound by", Compliance: "Compliance" };
  function conclusionBlock(c, entity) {
    var box = el("div", "conclusion " + c.kind);
    add(box, el("div", "statement", (CONCLUSION_NAMES[c.kind] || c.kind) + " — derived by the rule “" + c.rule + "”"));
    var dl = el("dl");
    c.fields.forEach(function (f) {
      add(dl, el("dt", null, f[0].replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()), el("dd", null, f[1]));
    });
    add(box, dl);
    if (c.curatorReading) {
      add(box, el("div", "note reading", "Rests on a curator’s reading of a source, not on an author’s own statement."));
    }
    if (c.premises.length) {
      var details = el("details");
      add(details, el("summary", null, "rests on " + plural(c.premiseCount, "claim")));
      c.premises.forEach(function (id) { add(details, claimCard(id, { compact: true })); });
      more(details, c.premises.length, c.premiseCount, PREMISES_QUERY[c.kind]
           ? "obligraph query " + PREMISES_QUERY[c.kind] + " --param state=" + entity : evidenceFor(entity));
      add(box, details);
    }
    if (c.kind === "PotentialBreach") add(box, el("div", "note", "“Potential”: whether there is a breach is for a competent body to decide."));
    return box;
  }
  /* an edge's stance as a badge (none for an asserted or inferred one), and its claims by stance */
  var STANCE_BADGE = { denied: "denies", alleged: "alleges", recommended: "recommends", disputed: "disputed" };
  function stanceBadge(e) {
    return STANCE_BADGE[e.stance] ? badge(e.stance, STANCE_BADGE[e.stance]) : null;
  }
  function stanceCounts(e) {
    return Object.keys(e.stances).filter(function (k) { return e.stances[k]; }).map(function (k) {
      return e.stances[k] + " " + (e.stances[k] === 1 ? k : k.slice(0, -1));
    }).join(", ");
  }
  function edgeBody(edgeId, parent) {
    var e = D.edges[edgeId];
    e.disagreements.forEach(function (d) { add(parent, disagreementBlock(d, e.from)); });
    e.conclusions.forEach(function (c) { add(parent, conclusionBlock(c, e.from)); });
    e.claims.forEach(function (id) { add(parent, claimCard(id)); });
    more(parent, e.claims.length, e.claimCount, evidenceFor(e.from));
  }

  /* ---------- the panel ---------- */
  var panel = document.getElementById("panel-content");
  function clearPanel() { while (panel.firstChild) panel.removeChild(panel.firstChild); }

  function showNode(id) {
    var n = D.nodes[id];
    clearPanel();
    panel.dataset.kind = "node"; panel.dataset.id = id;
    add(panel, el("h2", null, n.label));
    add(panel, add(el("div", "meta"), badge(n.type), n.aliases.length ? "also: " + n.aliases.join(" · ") : ""));
    if (n.note) add(panel, el("p", "note", n.note));
    n.sameAs.forEach(function (iri) {
      if (/^http:\/\/www\.wikidata\.org\/entity\/Q[0-9]+$/.test(iri)) {
        var a = el("a", null, "Wikidata " + iri.split("/").pop());
        a.href = iri; a.rel = "noopener noreferrer"; a.target = "_blank";
        add(panel, add(el("div", "meta"), a));
      }
    });
    if (n.facts.length || n.disagreements.length) {
      add(panel, el("h3", null, "Values and dates the sources give"));
      n.disagreements.forEach(function (d) { add(panel, disagreementBlock(d, id)); });
      n.facts.forEach(function (cid) { add(panel, claimCard(cid)); });
      more(panel, n.facts.length, n.factCount, evidenceFor(id));
    }
    var incident = Object.keys(D.edges).filter(function (k) {
      return D.edges[k].from === id || D.edges[k].to === id;
    });
    var order = { breach: 0, inferred: 2, claim: 1, extracted: 3 };
    incident.sort(function (a, b) {
      var ea = D.edges[a], eb = D.edges[b];
      return (order[ea.kind] - order[eb.kind]) || ea.relation.localeCompare(eb.relation) || a.localeCompare(b);
    });
    add(panel, el("h3", null, plural(incident.length, "relation")));
    var open = incident.length <= 6;
    incident.forEach(function (k) {
      var e = D.edges[k];
      var out = e.from === id;
      var other = out ? e.to : e.from;
      var details = el("details", "relation " + e.kind + " " + e.stance);
      details.dataset.edge = k;
      if (open || e.kind === "breach") details.open = true;
      var summary = el("summary");
      add(summary, out ? e.label + " → " : "← " + e.label + " ← ", el("strong", null, D.nodes[other].label),
          " ", stanceBadge(e), badge(e.claimCount ? plural(e.claimCount, "claim") : "inferred",
                                     e.kind === "breach" ? "breach" : ""));
      if (e.disagreements.length) add(summary, badge("disagreement", "denies"));
      add(details, summary);
      var body = el("div");
      add(body, add(el("div", "meta"), "go to ", entityLink(other, D.nodes[other].label)));
      edgeBody(k, body);
      add(details, body);
      add(panel, details);
    });
    panel.parentNode.scrollTop = 0;
  }

  function showEdge(edgeId) {
    var e = D.edges[edgeId];
    clearPanel();
    panel.dataset.kind = "edge"; panel.dataset.id = edgeId;
    var h = el("h2");
    add(h, entityLink(e.from, D.nodes[e.from].label), " — " + e.label + " → ", entityLink(e.to, D.nodes[e.to].label));
    add(panel, h);
    var meta = el("div", "meta");
    if (e.kind === "breach") add(meta, badge("potential breach (inferred)", "breach"));
    else if (e.kind === "inferred") add(meta, badge("inferred"));
    else if (e.kind === "extracted") add(meta, badge("machine-extracted, not reviewed"));
    add(meta, stanceBadge(e));
    add(meta, (e.claimCount ? plural(e.claimCount, "claim") + " (" + stanceCounts(e) + ") from "
               : "derived from claims in ") + plural(e.sources.length, "source"));
    add(panel, meta);
    edgeBody(edgeId, panel);
    panel.parentNode.scrollTop = 0;
  }

  /* ---------- neighbourhood highlight ---------- */
  var FADED = "rgba(200,205,210,0.35)";
  function highlight(id) {
    var keep = {};
    if (id !== null) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    }
    nodes.update(DATA.nodes.map(function (n) {
      var on = id === null || keep[n.id];
      return { id: n.id, color: on ? baseNode[n.id].color : FADED, font: { color: on ? "#212529" : "rgba(0,0,0,0.25)" } };
    }));
    edges.update(DATA.edges.map(function (e) {
      var on = id === null || e.from === id || e.to === id;
      return { id: e.id, color: on ? baseEdge[e.id].color : { color: FADED, highlight: FADED, hover: FADED },
               font: { color: on ? "#495057" : "rgba(0,0,0,0)" } };
    }));
  }

  function selectNode(id, focus) {
    if (!D.nodes[id]) return false;
    var node = nodes.get(id);
    if (!nodeVisible(node)) { state.types[node.group] = true; state.source = ""; syncControls(); refresh(); }
    network.selectNodes([id]);
    highlight(id);
    showNode(id);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    return true;
  }
  function selectEdge(id) {
    if (!D.edges[id]) return false;
    network.selectEdges([id]);
    highlight(null);
    showEdge(id);
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectEdge(params.edges[0]);
    else highlight(null);
  });

  /* ---------- search ---------- */
  var names = [];
  Object.keys(D.nodes).forEach(function (id) {
    var n = D.nodes[id];
    names.push({ text: n.label, id: id, primary: true });
    n.aliases.forEach(function (a) { names.push({ text: a, id: id, primary: false }); });
  });
  names.sort(function (a, b) { return a.text.localeCompare(b.text); });
  var datalist = document.getElementById("entity-names");
  names.forEach(function (entry) {
    var o = el("option");
    o.value = entry.text;
    if (!entry.primary) o.label = entry.text + " → " + D.nodes[entry.id].label;
    datalist.appendChild(o);
  });
  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) return null;
    var exact = names.filter(function (e) { return e.text.toLowerCase() === q; });
    if (exact.length) return exact[0].id;
    var starts = names.filter(function (e) { return e.text.toLowerCase().indexOf(q) === 0; });
    if (starts.length) return starts[0].id;
    var within = names.filter(function (e) { return e.text.toLowerCase().indexOf(q) >= 0; });
    return within.length ? within[0].id : null;
  }
  var search = document.getElementById("search");
  var message = document.getElementById("search-message");
  function jump() {
    var id = find(search.value);
    message.textContent = id || !search.value.trim() ? "" : "no entity matches “" + search.value.trim() + "”";
    if (id) selectNode(id, true);
  }
  search.addEventListener("change", jump);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") jump(); });

  /* ---------- legend and filters ---------- */
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(shape, color, dashes, arrow) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "18"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "0 0 18 14");
    var s;
    if (shape === "edge") {
      s = document.createElementNS(SVG, "line");
      s.setAttribute("x1", "1"); s.setAttribute("y1", "7"); s.setAttribute("x2", "17"); s.setAttribute("y2", "7");
      s.setAttribute("stroke", color); s.setAttribute("stroke-width", "2.5");
      if (dashes && dashes.length) {
        s.setAttribute("stroke-dasharray", dashes.map(function (d) { return Math.max(1, Math.round(d / 2)); }).join(" "));
      }
      if (arrow === "bar") {  /* a denied relation ends in a bar, as its arrows do */
        s.setAttribute("x2", "15");
        var bar = document.createElementNS(SVG, "line");
        bar.setAttribute("x1", "16"); bar.setAttribute("y1", "1"); bar.setAttribute("x2", "16"); bar.setAttribute("y2", "13");
        bar.setAttribute("stroke", color); bar.setAttribute("stroke-width", "2.5");
        svg.appendChild(bar);
      }
    } else if (shape === "dot") {
      s = document.createElementNS(SVG, "circle");
      s.setAttribute("cx", "9"); s.setAttribute("cy", "7"); s.setAttribute("r", "6");
    } else {
      var points = {
        diamond: "9,0 16,7 9,14 2,7", square: "3,1 15,1 15,13 3,13", triangle: "9,1 16,13 2,13",
        triangleDown: "2,1 16,1 9,13", hexagon: "5,1 13,1 17,7 13,13 5,13 1,7",
        star: "9,0 11,5 17,5 12,8.5 14,14 9,10.5 4,14 6,8.5 1,5 7,5"
      }[shape] || "3,1 15,1 15,13 3,13";
      s = document.createElementNS(SVG, "polygon");
      s.setAttribute("points", points);
    }
    if (shape !== "edge") s.setAttribute("fill", color);
    svg.appendChild(s);
    return svg;
  }
  function checkbox(id, checked, onChange) {
    var c = el("input");
    c.type = "checkbox"; c.id = id; c.checked = checked;
    c.addEventListener("change", function () { onChange(c.checked); });
    return c;
  }
  var typeList = document.getElementById("type-filters");
  DATA.types.forEach(function (t) {
    var label = el("label");
    add(label, checkbox("type-" + t.type, true, function (on) { state.types[t.type] = on; refresh(); }),
        swatch(t.shape, t.color), el("span", null, t.type.replace(/([a-z])([A-Z])/g, "$1 $2")),
        el("span", "count", t.count));
    add(typeList, add(el("li"), label));
  });
  var edgeList = document.getElementById("edge-filters");
  DATA.edgeKinds.forEach(function (k) {
    var label = el("label");
    add(label, checkbox("kind-" + k.kind, true, function (on) { state.kinds[k.kind] = on; refresh(); }),
        swatch("edge", k.color, k.dashes, k.arrow), el("span", null, k.label), el("span", "count", k.count));
    add(edgeList, add(el("li"), label));
  });
  var sourceSelect = document.getElementById("source-filter");
  DATA.sources.forEach(function (s) {
    var o = el("option", null, (s.title || s.id) + (s.date ? " (" + s.date + ")" : ""));
    o.value = s.id;
    sourceSelect.appendChild(o);
  });
  sourceSelect.addEventListener("change", function () { state.source = sourceSelect.value; refresh(); });
  function syncControls() {
    DATA.types.forEach(function (t) { document.getElementById("type-" + t.type).checked = state.types[t.type]; });
    DATA.edgeKinds.forEach(function (k) { document.getElementById("kind-" + k.kind).checked = state.kinds[k.kind]; });
    sourceSelect.value = state.source;
  }
  function setAllTypes(on) {
    DATA.types.forEach(function (t) { state.types[t.type] = on; });
    syncControls(); refresh();
  }
  document.getElementById("types-all").addEventListener("click", function () { setAllTypes(true); });
  document.getElementById("types-none").addEventListener("click", function () { setAllTypes(false); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });
  function refresh() { nodeView.refresh(); edgeView.refresh(); }

  /* ---------- for tests and the console ---------- */
  window.obligraph = {
    network: network, nodes: nodes, edges: edges, selectNode: selectNode, selectEdge: selectEdge,
    find: find, state: state, refresh: refresh,
    drawn: function () { return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }; }
  };
  if (DATA.mainComponent.length > 1) network.fit({ nodes: DATA.mainComponent, animation: false });
  document.getElementById("fit").addEventListener("click", function () { highlight(null); });
  network.once("afterDrawing", function () { document.body.dataset.ready = "true"; });
})();
