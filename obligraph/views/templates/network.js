/* Obligraph's interactive network. Its data is html.page_data's, which data.js unpacks from the
   block #obligraph-data: everything below runs once that is done (window.obligraphData). Every
   piece of text from a source is put on the page with textContent / createElement (panel.js),
   never as markup. Relations resting on the depositary record alone come as compact rows
   (DATA.record.edges, see html.page_data) and are expanded here; the record switch draws them. */
window.obligraphData.then(function (DATA) {
  "use strict";
  var D = DATA.details, R = DATA.record;
  var IDS = DATA.nodes.map(function (n) { return n.id; });
  var LABEL_PX = 12, EDGE_LABEL_PX = 10;  /* labels keep this size on screen at any zoom */
  var HIDDEN_FONT = 0.001;
  var FIT_MARGIN = 0.92;  /* the opening view: every drawn node in, with room around */

  /* ---------- the record's relations, expanded into vis edges ---------- */
  var STYLE = {};
  DATA.edgeKinds.forEach(function (k) { STYLE[k.kind] = k; });
  var recordEdges = {};
  var edgeItems = DATA.edges.map(function (e) {
    var item = Object.assign({}, e, { text: e.label || "" });
    delete item.label;  /* labelled when its node is selected (highlight) */
    return item;
  });
  R.edges.forEach(function (r) {
    var from = IDS[r[0]], to = IDS[r[1]], key = R.keys[r[2]], text = R.labels[r[3]];
    var id = from + "|" + key + "|" + to;
    var kind = R.legends[r[4]];
    var style = STYLE[kind] || { color: "#8a96a3", dashes: [], arrow: "arrow" };
    var colour = style.color;
    var stance = kind === "inferred" ? "inferred" : kind;
    recordEdges[id] = { from: from, to: to, key: key, label: text, legend: kind, stance: stance, claims: r[5],
                        context: r[6] === 1, sources: r[7].map(function (i) { return DATA.sources[i].id; }) };
    var item = {
      id: id, from: from, to: to, kind: r[5] ? "claim" : "inferred", legend: kind, stance: stance, text: text,
      record: true, context: r[6] === 1,
      color: { color: colour, highlight: colour, hover: colour },
      dashes: style.dashes && style.dashes.length ? style.dashes : false, width: 1,
      title: D.nodes[from].label + " — " + text + " → " + D.nodes[to].label + " · " +
             (r[5] ? r[5] + (r[5] === 1 ? " claim" : " claims") + " of the depositary record" : "inferred from the record’s consents"),
      smooth: r[8] ? { enabled: true, type: "curvedCW", roundness: Math.round(15 * r[8]) / 100 } : { enabled: false }
    };
    if (style.arrow === "bar") item.arrows = { to: { enabled: true, type: "bar", scaleFactor: 0.5 } };
    edgeItems.push(item);
  });
  var nodeSources = {};
  IDS.forEach(function (id) { nodeSources[id] = (DATA.nodeSources[id] || []).slice(); });
  Object.keys(recordEdges).forEach(function (id) {
    var e = recordEdges[id];
    e.sources.forEach(function (s) {
      if (nodeSources[e.from].indexOf(s) < 0) nodeSources[e.from].push(s);
      if (nodeSources[e.to].indexOf(s) < 0) nodeSources[e.to].push(s);
    });
  });
  var recordCount = {};  /* per node: its relations resting on the record */
  Object.keys(recordEdges).forEach(function (id) {
    var e = recordEdges[id];
    recordCount[e.from] = (recordCount[e.from] || 0) + 1;
    recordCount[e.to] = (recordCount[e.to] || 0) + 1;
  });

  var labelOf = {}, rank = {}, recordOnly = {};
  DATA.nodes.forEach(function (n) { labelOf[n.id] = n.label; rank[n.id] = n.rank; if (n.recordOnly) recordOnly[n.id] = true; });
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) { return Object.assign({}, n, { label: "" }); }));
  /* an overview's minor relations join the DataSet only once drawn (with their entity selected,
     or every relation): 65,000 items cost vis-network seconds to take in, drawn or not */
  var minorOf = {}, itemOf = {}, added = {};
  edgeItems.forEach(function (e) {
    itemOf[e.id] = e;
    if (!e.minor) return;
    (minorOf[e.from] = minorOf[e.from] || []).push(e);
    (minorOf[e.to] = minorOf[e.to] || []).push(e);
  });
  var edges = new vis.DataSet(edgeItems.filter(function (e) { return !e.minor; }));
  function addMinor(items) {
    var fresh = items.filter(function (e) { return !added[e.id]; });
    fresh.forEach(function (e) { added[e.id] = true; });
    if (fresh.length) edges.add(fresh);
  }
  var baseNode = {}, baseEdge = {};
  DATA.nodes.forEach(function (n) { baseNode[n.id] = n.color; });
  edgeItems.forEach(function (e) { baseEdge[e.id] = e.color; });

  /* every: an overview's switch that draws every relation (html.page_data, DATA.overview) */
  var state = { types: {}, kinds: {}, source: "", record: false, every: false, pinned: {}, selected: null };
  DATA.types.forEach(function (t) { state.types[t.type] = !t.hidden; });
  DATA.edgeKinds.forEach(function (k) { state.kinds[k.kind] = true; });

  var groupOf = {};
  DATA.nodes.forEach(function (n) { groupOf[n.id] = n.group; });
  function nodeVisible(node) { return idVisible(node.id); }
  function idVisible(id) {  /* by id: nodes.get copies the node, once per edge end (65,000 edges) */
    if (!state.types[groupOf[id]]) return false;
    if (recordOnly[id] && !state.record) return false;
    return !state.source || nodeSources[id].indexOf(state.source) >= 0;
  }
  function edgeSources(edge) { return edge.record ? recordEdges[edge.id].sources : D.edges[edge.id].sources; }
  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, {
    filter: function (edge) {
      if (!state.kinds[edge.legend]) return false;
      if (edge.record && !edge.context && !state.record) return false;
      /* an overview leaves a relation with few claims out, unless its entity is selected */
      if (edge.minor && !state.every && !state.pinned[edge.id] && edge.from !== state.selected &&
          edge.to !== state.selected) return false;
      if (state.source && edgeSources(edge).indexOf(state.source) < 0) return false;
      return idVisible(edge.from) && idVisible(edge.to);
    }
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);

  var panel = window.obligraphPanel({
    data: DATA, selectNode: function (id, focus) { return selectNode(id, focus); },
    recordEdge: function (id) { return recordEdges[id]; }
  });

  /* ---------- labels: the most important ones that have room, at a constant size ---------- */
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_PX + "px system-ui, sans-serif";
  var widths = {};
  function textWidth(text) {
    if (!(text in widths)) widths[text] = measure.measureText(text).width;
    return widths[text];
  }
  /* where vis-network draws a node's label, in page pixels, with a margin: under the shape,
     centred (its Label.calculateLabelSize with the "hanging" baseline) */
  function labelBox(id, position, scale) {
    var node = nodes.get(id), p = network.canvasToDOM(position);
    var width = textWidth(labelOf[id]) * 1.1 + 8;
    var top = p.y + node.size * scale + 4 * scale;
    return { left: p.x - width / 2, right: p.x + width / 2, top: top, bottom: top + LABEL_PX * 1.25 + 8 };
  }
  /* an edge's label (a straight edge's: drawn level, at its middle) */
  function edgeLabelBox(edge, positions) {
    var a = network.canvasToDOM(positions[edge.from]), b = network.canvasToDOM(positions[edge.to]);
    var width = textWidth(edge.text) * EDGE_LABEL_PX / LABEL_PX * 1.1 + 8, height = EDGE_LABEL_PX * 1.25 + 8;
    var x = (a.x + b.x) / 2, y = (a.y + b.y) / 2;
    return { left: x - width / 2, right: x + width / 2, top: y - height / 2, bottom: y + height / 2 };
  }
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function fits(box, width, height) {
    if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) return false;
    for (var i = 0; i < boxes.length; i++) if (overlaps(box, boxes[i])) return false;
    return true;
  }
  var labelled = {}, labelledEdges = {}, boxes = [];
  var painted = { selected: null, faded: [], incident: [] };  /* what paint() last changed */
  var summary = document.getElementById("summary");
  function declutter() {
    var scale = network.getScale(), width = container.clientWidth, height = container.clientHeight;
    var drawn = network.body.nodeIndices.slice();
    var near = {};
    if (state.selected !== null) {
      near[state.selected] = true;
      network.getConnectedNodes(state.selected).forEach(function (n) { near[n] = true; });
    }
    drawn.sort(function (a, b) { return ((near[b] ? 1 : 0) - (near[a] ? 1 : 0)) || (rank[a] - rank[b]); });
    var positions = network.getPositions(drawn);
    labelled = {}; labelledEdges = {}; boxes = [];
    function node(id) {
      var box = labelBox(id, positions[id], scale);
      if (fits(box, width, height)) { boxes.push(box); labelled[id] = true; }
    }
    /* the selection and its neighbours first, then its relations, then the rest by rank */
    drawn.filter(function (id) { return near[id]; }).forEach(node);
    if (state.selected !== null) {
      network.getConnectedEdges(state.selected).forEach(function (id) {
        var e = edges.get(id);
        if (!e || (e.smooth && e.smooth.enabled) || !e.text) return;  /* a curve's middle is elsewhere */
        var box = edgeLabelBox(e, positions);
        if (fits(box, width, height)) { boxes.push(box); labelledEdges[id] = true; }
      });
    }
    drawn.filter(function (id) { return !near[id]; }).forEach(node);
    paint();
  }
  var FADED = "rgba(200,205,210,0.35)";
  /* one update of every node and edge: colour (faded outside the selection's neighbourhood),
     label (the decluttered ones; edge labels for the selected node's relations), font size */
  function paint() {
    var scale = network.getScale(), keep = {};
    if (state.selected !== null) {
      keep[state.selected] = true;
      network.getConnectedNodes(state.selected).forEach(function (n) { keep[n] = true; });
    }
    /* the nodes drawn: a hidden one is painted when it is drawn again (refresh, then this) */
    nodes.update(nodeView.getIds().map(function (id) {
      var on = state.selected === null || keep[id];
      return { id: id, color: on ? baseNode[id] : FADED, label: labelled[id] ? labelOf[id] : "",
               font: { size: LABEL_PX / scale, color: on ? "#212529" : "rgba(0,0,0,0.25)" } };
    }));
    /* edges: all of them when the selection changed (fading), else only the selected node's */
    var ids = state.selected === painted.selected ? painted.incident : edgeView.getIds().concat(painted.faded);
    var changed = [], faded = [], incident = [];
    ids.forEach(function (id) {
      var e = edges.get(id);
      if (!e) return;
      var mine = state.selected !== null && (e.from === state.selected || e.to === state.selected);
      var on = state.selected === null || mine;
      if (!on) faded.push(id);
      if (mine) incident.push(id);
      var update = { id: id, color: on ? baseEdge[id] : { color: FADED, highlight: FADED, hover: FADED } };
      /* vis-network keeps an edge's label when told "": an unlabelled edge's font goes below its
         draw threshold instead (labelModule.visible() false, nothing drawn) */
      if (labelledEdges[id]) { update.label = e.text; update.font = { size: EDGE_LABEL_PX / scale }; }
      else if (e.label) update.font = { size: HIDDEN_FONT };
      changed.push(update);
    });
    if (state.selected !== painted.selected) painted = { selected: state.selected, faded: faded, incident: incident };
    edges.update(changed);
    summary.textContent = network.body.nodeIndices.length + " entities · " + network.body.edgeIndices.length +
      " relations drawn (of " + IDS.length + " · " + edgeItems.length + ")";
  }
  var pending = null;
  function later() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; declutter(); }, 60);
  }
  network.on("zoom", later);
  network.on("dragEnd", later);
  network.on("animationFinished", later);
  window.addEventListener("resize", later);

  /* ---------- selection ---------- */
  function highlight(id) {
    var before = state.selected;
    state.selected = id;
    if (DATA.overview && before !== id) {
      if (id !== null) addMinor(minorOf[id] || []);
      edgeView.refresh(); painted.selected = undefined;
    }
    declutter();
  }
  function selectNode(id, focus) {
    if (!D.nodes[id]) return false;
    var node = nodes.get(id);
    if (!nodeVisible(node)) {
      state.types[node.group] = true; state.source = "";
      if (recordOnly[id]) state.record = true;
      syncControls(); refresh();
    }
    network.selectNodes([id]);
    highlight(id);
    panel.showNode(id, recordCount[id] || 0);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    return true;
  }
  function selectEdge(id) {
    if (!D.edges[id] && !recordEdges[id]) return false;
    var e = recordEdges[id];
    if (e && !e.context && !state.record) { state.record = true; syncControls(); refresh(); }
    if (itemOf[id] && itemOf[id].minor && !state.pinned[id]) {  /* an overview draws it once chosen */
      state.pinned[id] = true; addMinor([itemOf[id]]); refresh();
    }
    network.selectEdges([id]);
    highlight(null);
    panel.showEdge(id);
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectEdge(params.edges[0]);
    else highlight(null);
  });

  /* ---------- search ---------- */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child !== null && child !== undefined) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }
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
    add(label, checkbox("type-" + t.type, state.types[t.type], function (on) { state.types[t.type] = on; refresh(); }),
        swatch(t.shape, t.color), el("span", null, t.type.replace(/([a-z])([A-Z])/g, "$1 $2")),
        el("span", "count", t.count));
    add(typeList, add(el("li"), label));
  });
  var edgeList = document.getElementById("edge-filters");
  var kindCounts = {};
  DATA.edgeKinds.forEach(function (k) {
    var label = el("label");
    kindCounts[k.kind] = el("span", "count", k.count);
    add(label, checkbox("kind-" + k.kind, true, function (on) { state.kinds[k.kind] = on; refresh(); }),
        swatch("edge", k.color, k.dashes, k.arrow), el("span", null, k.label), kindCounts[k.kind]);
    add(edgeList, add(el("li"), label));
  });
  var recordBox = document.getElementById("record-switch");
  recordBox.addEventListener("change", function () {
    state.record = recordBox.checked; refresh(); fitDrawn();
  });
  var everyBox = document.getElementById("every-switch");  /* an overview's page only */
  function drawEvery(on) {
    state.every = on;
    if (on) addMinor(edgeItems.filter(function (e) { return e.minor; }));
    refresh();
  }
  if (everyBox) everyBox.addEventListener("change", function () { drawEvery(everyBox.checked); });
  var sourceSelect = document.getElementById("source-filter"), sourcesListed = false;
  /* a menu of thousands of sources costs the page's first layout seconds (10,000: 2 s): past
     SOURCES_AT_ONCE it is filled when first opened or used */
  var SOURCES_AT_ONCE = 500;
  function listSources() {
    if (sourcesListed) return;
    sourcesListed = true;
    DATA.sources.forEach(function (s) {
      var made = [s.publisher, s.date].filter(function (x) { return x; }).join(", ");  /* by title, publisher, date */
      var o = el("option", null, (s.title || s.id) + (made ? " (" + made + ")" : "") + (s.record ? " · " + s.id : ""));
      o.value = s.id;
      sourceSelect.appendChild(o);
    });
  }
  if (DATA.sources.length <= SOURCES_AT_ONCE) listSources();
  ["pointerdown", "focus", "keydown"].forEach(function (name) { sourceSelect.addEventListener(name, listSources); });
  sourceSelect.addEventListener("change", function () { state.source = sourceSelect.value; refresh(); });
  function syncControls() {
    DATA.types.forEach(function (t) { document.getElementById("type-" + t.type).checked = state.types[t.type]; });
    DATA.edgeKinds.forEach(function (k) {
      document.getElementById("kind-" + k.kind).checked = state.kinds[k.kind];
      kindCounts[k.kind].textContent = k.count + (state.record ? k.recordCount : 0);
    });
    recordBox.checked = state.record;
    if (everyBox) everyBox.checked = state.every;
    if (state.source) listSources();
    sourceSelect.value = state.source;
  }
  function setAllTypes(on) {
    DATA.types.forEach(function (t) { state.types[t.type] = on; });
    syncControls(); refresh();
  }
  document.getElementById("types-all").addEventListener("click", function () { setAllTypes(true); });
  document.getElementById("types-none").addEventListener("click", function () { setAllTypes(false); });
  /* every drawn node in view: the box of their positions and sizes, reckoned here (vis-network's
     fit() measured every node's box, 0.8 s of an overview's opening at 10,000 articles) */
  var sizeOf = {};
  DATA.nodes.forEach(function (n) { sizeOf[n.id] = n.size || 10; });
  function fitDrawn() {
    var ids = nodeView.getIds(), positions = network.getPositions(ids);
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    ids.forEach(function (id) {
      var p = positions[id], r = sizeOf[id];
      box.left = Math.min(box.left, p.x - r); box.right = Math.max(box.right, p.x + r);
      box.top = Math.min(box.top, p.y - r); box.bottom = Math.max(box.bottom, p.y + r);
    });
    if (ids.length) {
      var width = Math.max(box.right - box.left, 1), height = Math.max(box.bottom - box.top, 1);
      var scale = Math.min(container.clientWidth / width, container.clientHeight / height, 1) * FIT_MARGIN;
      network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                       scale: scale, animation: false });
    }
    declutter();
  }
  document.getElementById("fit").addEventListener("click", function () { state.selected = null; network.unselectAll(); fitDrawn(); });
  function refresh() {
    nodeView.refresh(); edgeView.refresh(); syncControls();
    painted.selected = undefined;  /* what is drawn changed: fade and label afresh */
    later();
  }

  /* ---------- for tests and the console ---------- */
  window.obligraph = {
    network: network, nodes: nodes, edges: edges, selectNode: selectNode, selectEdge: selectEdge,
    find: find, state: state, refresh: refresh,
    drawn: function () { return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }; }
  };
  /* the page's own view of itself, documented for tests (tests/test_page_legible_browser.py):
     labelled() — the nodes whose label is shown; labelBoxes() — where the page reckons those
     labels are (page pixels, with their margin); labelBox(id) — where a node's label would go
     (shown or not), with its rank; record(on) — the record switch; recordEdges()
     — the ids of the relations resting on the record alone, {context: [...], record: [...]} */
  window.obligraphPage = {
    labelled: function () { return Object.keys(labelled).sort(); },
    labelledEdges: function () { return Object.keys(labelledEdges).sort(); },
    labelBoxes: function () { return boxes.slice(); },
    labelBox: function (id) {
      var box = labelBox(id, network.getPositions([id])[id], network.getScale());
      return Object.assign(box, { id: id, rank: rank[id], shown: !!labelled[id] });
    },
    record: function (on) { state.record = !!on; refresh(); fitDrawn(); return state.record; },
    every: function (on) { drawEvery(!!on); return state.every; },
    recordEdges: function () {
      var out = { context: [], record: [] };
      Object.keys(recordEdges).forEach(function (id) { out[recordEdges[id].context ? "context" : "record"].push(id); });
      return out;
    },
    fit: fitDrawn
  };
  syncControls();
  fitDrawn();
  /* /graph#china (the query page links an entity so): that node's panel on load, and on a new hash */
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && D.nodes[id]) selectNode(id, true);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  network.once("afterDrawing", function () { document.body.dataset.ready = "true"; });
});
