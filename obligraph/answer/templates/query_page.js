/* The query page: YASGUI (vendored, obligraph/answer/vendor/yasgui) talking to /sparql, with
   the named queries as tabs, Obligraph's prefixes, a table of labels, and a syntax error's
   line marked. Nothing here may fetch from elsewhere: the page's CSP allows only its own origin
   (connect-src 'self'), and the parts of YASGUI that would (LOV and prefix.cc autocompletion,
   the endpoint catalogue, CORS probing) are switched off below; so is its localStorage
   persistence (every load starts from the named queries as they are now). */
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  const bind = window.obligraphQuery;
  const picker = document.getElementById("picker");
  const params = document.getElementById("params");
  const question = document.getElementById("question");
  const paramNote = document.getElementById("param-note");
  const status = document.getElementById("status");
  const endpoint = new URL("sparql", location.href).href;
  const library = {};
  for (const q of DATA.queries) library[q.name] = q;

  const PREFIX_MAP = Object.fromEntries(DATA.prefixes);  // DATA.prefixes: [name, IRI] in their order
  const PREFIXES = DATA.prefixes.map(([p, iri]) => "PREFIX " + p + ": <" + iri + ">");
  const START = PREFIXES.join("\n") + "\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n} LIMIT 20\n";
  const LABELS_QUERY = "# the labels of a result's IRIs, for the query page's table\n";

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  /* ---------- YASGUI, offline ---------- */
  const Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;
  // prefix completion from Obligraph's prefixes only (the bundled one offers prefix.cc's list,
  // and would fetch it if configured to); "property" and "class" ask LOV over the network
  Yasqe.forkAutocompleter("prefixes", {
    name: "obligraphPrefixes", persistenceId: null,
    get: () => Promise.resolve(DATA.prefixes.map(([p, iri]) => p + ": <" + iri + ">")),
  }, false);
  // the defaults' arrays are mutated in place: Yasgui's deep merge would merge arrays by index
  Yasgui.defaults.yasqe.autocompleters.splice(0, Infinity, "obligraphPrefixes", "variables");
  // the table of labels below instead of DataTables (whose column resizer adds style elements without the nonce)
  delete Yasr.plugins.table;
  Yasr.registerPlugin("obligraph", labelTable(), false);
  Yasgui.defaults.yasr.pluginOrder.splice(0, Infinity, "obligraph", "response");
  Yasgui.defaults.yasr.defaultPlugin = "obligraph";

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,  // no localStorage: tabs last as long as the page
    populateFromUrl: false,
    autofocus: false,
    tabName: "Query",
    endpointCatalogueOptions: {getData: () => [{endpoint: endpoint}], keys: []},
    corsProxy: undefined,
    copyEndpointOnNewTab: true,
    requestConfig: {endpoint: endpoint, method: "POST", adjustQueryBeforeRequest: adjust},
    yasqe: {value: START, editorHeight: "22em", createShortLink: undefined},
    yasr: {prefixes: PREFIX_MAP},
  });
  const named = {};  // tab id → the named query it was opened with
  const given = {};  // tab id → {parameter: the value typed}, kept while the tab is left or restored

  /* ---------- named queries and their parameters ---------- */
  // The parameters apply only to the query as it was loaded: once its text is edited they are
  // not injected (the error would then point at a line the user's text does not have).
  function asLoaded(tab) {
    const q = tab && named[tab.getId()];
    return q && tab.getYasqe() && tab.getYasqe().getValue() === q.text ? q : null;
  }

  function textToSend(yasqe) {
    const tab = yasgui.getTab();
    const q = tab && tab.getYasqe() === yasqe ? asLoaded(tab) : null;
    return q ? bind.bound(yasqe.getValue(), params) : yasqe.getValue();
  }

  function adjust(yasqe) {  // also called to draw a link to the query: never throws
    try { return textToSend(yasqe); } catch (e) { return yasqe.getValue(); }
  }

  function showParams(tab) {
    const q = tab && named[tab.getId()];
    params.replaceChildren();
    question.textContent = q ? q.question : "";
    picker.value = q ? q.name : "";
    if (!q) { paramNote.textContent = ""; return; }
    for (const p of q.parameters) {
      // the type is the query's own (its `# param NAME (optional, date)` line): an IRI unless it says
      const type = p.type || "iri";
      const label = document.createElement("label");
      label.textContent = p.name + (type === "iri" ? "" : " (" + type + ")") + (p.required ? " (required)" : "");
      label.htmlFor = "param-" + p.name;
      // a boolean is one of two words, so a choice; anything else is typed
      const input = document.createElement(type === "boolean" ? "select" : "input");
      if (type === "boolean") {
        for (const value of ["", "true", "false"]) input.append(new Option(value || "(not set)", value));
      }
      if (type === "date") input.type = "date";
      input.id = "param-" + p.name;
      input.dataset.name = p.name;
      input.dataset.type = type;
      if (p.datatype) input.dataset.datatype = p.datatype;
      input.placeholder = p.description;
      input.title = p.description;
      const values = given[tab.getId()] = given[tab.getId()] || {};
      if (p.name in values) input.value = values[p.name];
      for (const event of ["input", "change"]) input.addEventListener(event, () => { values[p.name] = input.value; });
      params.append(label, input);
    }
    edited(tab);
  }

  function edited(tab) {
    const q = tab && named[tab.getId()];
    if (!q) { paramNote.textContent = ""; return; }
    const loaded = !!asLoaded(tab);
    params.classList.toggle("off", !loaded);
    picker.value = loaded ? q.name : "";  // so picking it again is a change, and restores it
    paramNote.textContent = loaded
      ? "These parameters are bound (a VALUES block, as `obligraph query --param` binds them) when the query is run as loaded."
      : "The query has been edited: its parameters are not applied. Pick it again to restore it.";
    if (!q.parameters.length) paramNote.textContent = "";
  }

  const watched = new WeakSet();
  function watch(tab) {
    const yasqe = tab && tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) return;
    watched.add(yasqe);
    yasqe.on("change", () => { clearMark(yasqe); if (yasgui.getTab() === tab) edited(tab); });
  }

  picker.addEventListener("change", () => {
    const q = library[picker.value];
    if (!q) { showParams(null); return; }
    let id = Object.keys(named).find(id => named[id] === q && yasgui.getTab(id));
    if (id) yasgui.selectTabId(id);
    else {
      const tab = yasgui.addTab(true, {name: q.name, yasqe: {value: q.text}});
      id = tab.getId();
      named[id] = q;
    }
    const tab = yasgui.getTab(id);
    watch(tab);
    tab.getYasqe().setValue(q.text);  // picking it again restores the text as loaded
    showParams(tab);
  });
  yasgui.on("tabSelect", () => setTimeout(() => { watch(yasgui.getTab()); showParams(yasgui.getTab()); }));
  watch(yasgui.getTab());

  /* ---------- running ---------- */
  yasgui.on("queryBefore", (_, tab) => {
    clearMark(tab.getYasqe());
    say("running…");
    textToSend(tab.getYasqe());  // a parameter value that is no id, IRI or date: refused, nothing sent
  });
  yasgui.on("queryResponse", (_, tab) => setTimeout(() => answered(tab)));

  function answered(tab) {
    const results = tab.getYasr() && tab.getYasr().results;
    if (!results) return;
    const error = results.getError();
    if (error) {
      const text = (error.text || error.statusText || String(error)).trim();
      say(text, true);
      mark(tab.getYasqe(), text);
    } else if (results.getBoolean && (results.getBoolean() === true || results.getBoolean() === false)) {
      say("answer: " + (results.getBoolean() ? "yes" : "no"));
    } else if (!(results.getVariables() || []).length) {
      say("graph result");
    }  // a table of rows says so itself, once its labels are in (labelTable)
  }

  // "unknown prefix 'foo:' (line 3, column 15) → …": the endpoint's one-line message
  // (obligraph/answer/sparqlhelp.py); that line is marked in the editor
  function mark(yasqe, text) {
    const at = /\(line (\d+), column (\d+)\)/.exec(text);
    if (!yasqe || !at) return;
    const line = Number(at[1]) - 1, column = Number(at[2]) - 1;
    if (line >= yasqe.lineCount()) return;
    yasqe.addLineClass(line, "background", "obligraph-error-line");
    yasqe.addLineClass(line, "gutter", "obligraph-error-gutter");
    yasqe.obligraphError = {line: line, column: column, text: text};
    yasqe.scrollIntoView({line: line, ch: column});
  }

  function clearMark(yasqe) {
    if (!yasqe || !yasqe.obligraphError) return;
    yasqe.removeLineClass(yasqe.obligraphError.line, "background", "obligraph-error-line");
    yasqe.removeLineClass(yasqe.obligraphError.line, "gutter", "obligraph-error-gutter");
    yasqe.obligraphError = null;
  }

  /* ---------- the results: labels, the IRI on hover, entities linked to the network page ---------- */
  const MAX_LABELLED = 2000;  // IRIs looked up per result (the rest show their local name)

  function localName(iri) {
    const cut = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
    return cut >= 0 && cut < iri.length - 1 ? decodeURIComponent(iri.slice(cut + 1)) : iri;
  }

  // one own-origin request for every IRI in the result: rdfs:label, else a source's citation —
  // "Title (Publisher, date) <url>", its title and the parts its metadata gives — else the local
  // name, as `obligraph query --format table` shows them
  async function labels(iris) {
    const found = {};
    const asked = iris.filter(iri => !/[<>"{}|^`\\\s]/.test(iri)).slice(0, MAX_LABELLED);
    if (!asked.length) return found;
    const text = LABELS_QUERY + "PREFIX schema: <https://schema.org/>\nSELECT ?iri ?label WHERE { VALUES ?iri { " + asked.map(i => "<" + i + ">").join(" ")
      + " } OPTIONAL { ?iri rdfs:label ?l } OPTIONAL { ?iri dcterms:title ?t"
      + " OPTIONAL { ?iri dcterms:publisher/rdfs:label ?p } OPTIONAL { ?iri dcterms:date ?d }"
      + " OPTIONAL { ?iri schema:url ?u } }"
      + ' BIND(CONCAT(COALESCE(?p, ""), IF(BOUND(?p) && BOUND(?d), ", ", ""), COALESCE(STR(?d), "")) AS ?m)'
      + ' BIND(COALESCE(?l, CONCAT(?t, IF(?m = "", "", CONCAT(" (", ?m, ")")), COALESCE(CONCAT(" <", STR(?u), ">"), "")))'
      + " AS ?label) FILTER(BOUND(?label)) }";
    const response = await fetch(endpoint, {method: "POST", body: text, headers: {
      "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
    if (!response.ok) throw new Error(await response.text());
    for (const row of (await response.json()).results.bindings) {
      if (!(row.iri.value in found)) found[row.iri.value] = row.label.value;
    }
    return found;
  }

  function labelTable() {
    return class LabelTable {
      constructor(yasr) { this.yasr = yasr; this.priority = 30; this.label = "Table"; }
      canHandleResults() {
        const r = this.yasr.results;
        return !!r && !r.getError() && !!r.getVariables() && r.getVariables().length > 0;
      }
      getIcon() {
        const icon = document.createElement("span");
        icon.textContent = "▦";
        return icon;
      }
      async draw() {
        const vars = this.yasr.results.getVariables(), rows = this.yasr.results.getBindings();
        const table = document.createElement("table");
        table.className = "obligraph-results";
        const head = table.createTHead().insertRow();
        for (const v of vars) {
          const th = document.createElement("th");
          th.textContent = v;
          head.append(th);
        }
        const body = table.createTBody();
        const iris = new Set();
        for (const row of rows) {
          for (const v of vars) if (row[v] && row[v].type === "uri") iris.add(row[v].value);
        }
        let found = {};
        try { found = await labels([...iris]); } catch (e) { say("the labels could not be fetched: " + e.message, true); }
        for (const row of rows) {
          const tr = body.insertRow();
          for (const v of vars) tr.append(cell(row[v], found));
        }
        this.yasr.resultsEl.append(table);
        table.dataset.labelled = "true";
        if (status.className !== "error") say(rows.length + (rows.length === 1 ? " row" : " rows"));
      }
    };
  }

  function cell(term, found) {
    const td = document.createElement("td");
    if (!term) return td;
    // a word too long for a column (an IRI, a hash) may break anywhere; other text wraps at spaces
    if (/\S{30,}/.test(term.value)) td.classList.add("long");
    if (term.type !== "uri") {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      return td;
    }
    const label = term.value in found ? found[term.value] : localName(term.value);
    const id = term.value.startsWith(DATA.entityBase) ? term.value.slice(DATA.entityBase.length) : "";
    let shown = td;
    if (DATA.graphPage && id && /^[A-Za-z0-9._~-]+$/.test(id)) {
      shown = document.createElement("a");
      shown.href = "graph#" + id;  // the network page opens with this entity's panel
      td.append(shown);
    }
    shown.textContent = label;
    td.title = term.value;
    td.dataset.iri = term.value;
    return td;
  }

  // for tests and the console
  window.obligraphPage = Object.freeze({
    yasgui: yasgui, named: named,
    yasqe: () => yasgui.getTab().getYasqe(),
    run: () => yasgui.getTab().getYasqe().query().catch(() => {}),
    errorLine: () => { const e = yasgui.getTab().getYasqe().obligraphError; return e ? e.line + 1 : null; },
  });
  document.body.dataset.ready = "true";
})();
