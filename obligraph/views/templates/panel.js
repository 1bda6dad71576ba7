/* Obligraph's evidence panel: what the page shows for a selected entity or relation. Every piece
   of text from a source is put on the page with textContent / createElement, never as markup.
   window.obligraphPanel(page) returns { showNode, showEdge, decodeRow } for network.js, given
   page = { data, recordEdge(id), selectNode(id, focus) }. */
(function () {
  "use strict";
  window.obligraphPanel = function (page) {
    var DATA = page.data, D = DATA.details, R = DATA.record;
    var SOURCES = {};
    DATA.sources.forEach(function (s) { SOURCES[s.id] = s; });
    var IDS = DATA.nodes.map(function (n) { return n.id; });

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
      b.addEventListener("click", function () { page.selectNode(id, true); });
      return b;
    }
    function badge(text, extra) { return el("span", "badge" + (extra ? " " + extra : ""), text); }
    function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
    /* "Refugee Convention, article 33 (prohibition …)" → "Refugee Convention art. 33" */
    function shortProvision(label) { return label.split(" (")[0].replace(", article ", " art. "); }

    /* ---------- sources: by title, publisher, date and link, never by the id alone ---------- */
    function sourceTitle(id) { return (SOURCES[id] || {}).title || id; }
    function citation(id) {  /* “Title” (Publisher, date) link — the id on hover */
      var s = SOURCES[id] || {}, span = el("span", "citation");
      span.title = id;
      var made = [s.publisher, s.date].filter(function (x) { return x; }).join(", ");
      add(span, "“" + (s.title || id) + "”" + (made ? " (" + made + ")" : " (undated)"));
      if (s.url && /^https?:\/\//i.test(s.url)) {  /* checked at build: an http(s) URL, shown as text */
        var a = el("a", "source-link", s.url);
        a.href = s.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        add(span, " ", a);
      }
      return span;
    }

    /* ---------- quotes: the words, and where they are in their source ---------- */
    function offsets(source, start, end) {
      if (start === null || start === undefined) return "";
      return sourceTitle(source) + " · characters " + start + "–" + end;
    }
    function quoteBlock(q, source) {
      var bq = el("blockquote");
      if (q.prefix) add(bq, el("span", "context", "…" + q.prefix));
      add(bq, el("mark", null, q.exact));
      if (q.suffix) add(bq, el("span", "context", q.suffix + "…"));
      var where = offsets(source, q.start, q.end === null || q.end === undefined ? q.start + q.exact.length : q.end);
      if (where) add(bq, el("div", "offsets", where));
      return bq;
    }

    /* ---------- claims ---------- */
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
      if (c.reservationKind) facts.push("kind: " + c.reservationKind);
      if (c.named && c.named.length) facts.push("names: " + c.named.join(", "));
      facts = facts.concat(c.qualifiers || []);
      if (facts.length) add(card, el("div", "meta", facts.join(" · ")));
      (c.quotes || []).forEach(function (q) { add(card, quoteBlock(q, c.source)); });
      var who = el("div", "meta");
      add(who, c.statedBy ? c.statedBy + ", in " : "In ", citation(c.source));
      add(card, who);
      if (c.note && !(options && options.compact)) add(card, el("div", "note", "Curator’s note: " + c.note));
      return card;
    }
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
    var CONCLUSION_NAMES = { PotentialBreach: "Potential breach", BoundBy: "Bound by", Compliance: "Compliance",
                             Consent: "Consent to be bound", SignatureDuty: "Duty of a signatory",
                             ReservationAgainstClause: "Reservation against the reservations clause" };
    /* the premise a conflict rests on (that the persons concerned have a status), both sides */
    function premiseBlock(p, entity) {
      var box = el("div", "premise " + p.status);
      var whom = p.concerns.length ? p.concerns.join(", ") : "the persons concerned (the policy names none)";
      var head = el("div", "statement", "Premise: " + whom + " are of the status “" + p.requires + "” ");
      add(head, badge(p.status, "premise-" + p.status));
      add(box, head);
      if (!p.forCount) add(box, el("div", "note", "No claim supports this premise: the conflict takes it for granted."));
      var sides = el("div", "sides");
      [["for", p["for"], p.forCount], ["against", p.against, p.againstCount]].forEach(function (s) {
        var side = el("div", "side");
        add(side, el("div", "says", s[0] + " (" + s[2] + ")"));
        s[1].forEach(function (id) { add(side, claimCard(id, { compact: true })); });
        more(side, s[1].length, s[2], "obligraph query policy-conflicts --param state=" + entity);
        add(sides, side);
      });
      return add(box, sides);
    }
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
      (c.premiseOfStatus || []).forEach(function (p) { add(box, premiseBlock(p, entity)); });
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

    /* ---------- the depositary record: one row per treaty of a state (record.compact) ---------- */
    function decodeQuote(q) {
      return { source: DATA.sources[q[0]].id, start: q[1], end: q[2], exact: q[3], fullEnd: q[4] };
    }
    function decodeRow(r) {
      var row = { treaty: IDS[r.t], quotes: (r.q || []).map(decodeQuote) };
      if (r.c) row.consent = { mode: r.c[0], deposited: r.c[1], inForce: r.c[2], basis: r.c[3], stance: r.c[4] };
      if (r.s) row.signed = { date: r.s[0], stance: r.s[1] };
      if (r.d) row.duty = { since: r.d[0], provision: r.d[1] };
      row.bindings = (r.b || []).map(function (b) {
        return { obligation: IDS[b[0]], provision: b[1] >= 0 ? IDS[b[1]] : null, through: b[2] >= 0 ? IDS[b[2]] : null,
                 since: b[3], known: b[4] === 1, qualified: b[5] === 1 ? true : (b[5] === 0 ? false : null),
                 reservations: b[6] };
      });
      row.reservations = (r.r || []).map(function (x) {
        return { named: x[0], kinds: x[1], claims: x[2], quote: decodeQuote(x[3]), against: x[4], stance: x[5] };
      });
      return row;
    }
    function rowsOf(state) { return (R.states[state] || []).map(decodeRow); }
    function label(id) { return D.nodes[id] ? D.nodes[id].label : id; }
    function recordQuote(q) {
      var bq = el("blockquote", "row");
      add(bq, el("mark", null, q.exact));
      if (q.fullEnd) add(bq, el("span", "context", " …"));
      add(bq, el("div", "offsets", offsets(q.source, q.start, q.end) +
          (q.fullEnd ? " (an excerpt: the text runs to " + q.fullEnd + ")" : "")));
      return bq;
    }
    function consentLine(state, row) {
      var c = row.consent, line = el("div", "line consent");
      if (c.stance === "denied") {
        add(line, badge("denied", "denies"), "not party — the record denies it (" + c.mode + " " + c.deposited + ")");
        return line;
      }
      if (c.stance) add(line, badge(c.stance, STANCE_BADGE[c.stance] || ""));
      add(line, badge("party", "party"), c.mode + " deposited " + c.deposited + " · ");
      if (c.inForce) {
        add(line, "entry into force " + c.inForce);
        var general = R.general[row.treaty];
        if (general) add(line, el("span", "meta", " (for " + label(state) + "; generally " + general + ")"));
      } else {
        add(line, el("span", "meta", "entry into force for " + label(state) + " not computed (no final clause bundled)"));
      }
      if (c.basis) add(line, " ", badge("from a source’s claim, not the record", "alleges"));
      return line;
    }
    function treatyRow(state, row, only) {
      var box = el("div", "treaty");
      box.dataset.treaty = row.treaty;
      var head = el("div", "statement");
      add(head, entityLink(row.treaty, label(row.treaty)));
      add(box, head);
      if (row.consent) add(box, consentLine(state, row));
      if (row.duty) {
        add(box, add(el("div", "line duty"), badge("signed only", "signed"),
            "signed " + (row.signed ? row.signed.date : row.duty.since) +
            " — not bound; duty not to defeat the object and purpose (" + row.duty.provision + ")"));
      } else if (row.signed) {
        add(box, add(el("div", "line signed"), row.signed.stance ? badge(row.signed.stance, STANCE_BADGE[row.signed.stance] || "") : null,
            "signed " + row.signed.date));
      }
      var bindings = row.bindings.filter(function (b) { return !only || b.obligation === only; });
      if (bindings.length) {
        var list = el("ul", "bindings");
        bindings.forEach(function (b) {
          var item = el("li");
          add(item, "binds it to ", entityLink(b.obligation, label(b.obligation)));
          if (b.provision) add(item, " — " + shortProvision(label(b.provision)));
          if (b.through) add(item, ", through " + shortProvision(label(b.through)));
          add(item, b.known ? " · since " + b.since : " · since " + b.since + " (the deposit: entry into force not computed)");
          if (b.qualified === true) add(item, " ", badge("qualified by " + plural(b.reservations, "reservation"), "alleges"));
          else if (b.qualified === false) add(item, el("span", "meta", " · no reservation of the state concerns it"));
          add(list, item);
        });
        add(box, list);
      }
      if (row.reservations.length && !only) {
        var count = row.reservations.reduce(function (n, r) { return n + r.claims; }, 0);
        var kinds = [];
        row.reservations.forEach(function (r) { r.kinds.split(", ").forEach(function (k) { if (k && kinds.indexOf(k) < 0) kinds.push(k); }); });
        var named = [];
        row.reservations.forEach(function (r) { if (r.named) named.push(r.named); });
        var details = el("details", "reservations");
        add(details, add(el("summary"), badge(count === 1 ? "1 reservation or declaration"
                                                 : count + " reservations or declarations", "reservation"),
            (kinds.length ? kinds.join(", ") : "") + (named.length ? " · names " + named.join("; ") : " · names no provision")));
        row.reservations.forEach(function (r) {
          var item = el("div", "reservation");
          var meta = el("div", "meta", (r.kinds || "reservation or declaration") + (r.named ? " · names " + r.named : " · the treaty as a whole"));
          if (r.stance && r.stance !== "asserts") add(meta, " ", badge(r.stance, r.stance));
          add(item, meta);
          if (r.against) add(item, add(el("div", "line against"), badge("against the reservations clause", "denies"), r.against));
          add(item, recordQuote(r.quote));
          add(details, item);
        });
        if (row.reservations.some(function (r) { return r.against; })) details.open = true;
        add(box, details);
      }
      row.quotes.forEach(function (q) { add(box, recordQuote(q)); });
      return box;
    }
    function treatyOf(id) {
      var node = D.nodes[id];
      if (!node) return null;
      if (node.type === "Treaty") return id;
      var t = R.provisionTreaty[IDS.indexOf(id)];
      return t === undefined ? null : IDS[t];
    }
    function treatySection(parent, state) {
      var rows = rowsOf(state);
      if (!rows.length) return;
      var parties = rows.filter(function (r) { return r.consent && r.consent.stance !== "denied"; }).length;
      var duties = rows.filter(function (r) { return r.duty; }).length;
      var reserved = rows.filter(function (r) { return r.reservations.length; }).length;
      add(parent, el("h3", null, "Treaties (" + rows.length + ") — from the depositary record"));
      add(parent, el("p", "meta summary", "party to " + parties + ", signed only " + duties +
          " (a signatory’s duty, not bound), reservations or declarations to " + reserved +
          ". Entry into force is for " + label(state) + "."));
      var list = el("div", "treaties");
      rows.forEach(function (row) { add(list, treatyRow(state, row)); });
      add(parent, list);
    }
    function participantsSection(parent, treaty) {
      var t = IDS.indexOf(treaty), parties = [], signed = [];
      Object.keys(R.states).forEach(function (state) {
        R.states[state].forEach(function (r) {
          if (r.t !== t) return;
          if (r.c) parties.push(state); else if (r.s) signed.push(state);
        });
      });
      if (!parties.length && !signed.length) return;
      add(parent, el("h3", null, "In the depositary record"));
      [["parties", parties], ["signed only", signed]].forEach(function (group) {
        if (!group[1].length) return;
        var details = el("details");
        add(details, el("summary", null, group[1].length + " " + group[0]));
        var p = el("p", "states");
        group[1].forEach(function (state, i) { add(p, i ? ", " : null, entityLink(state, label(state))); });
        add(parent, add(details, p));
      });
    }

    /* ---------- the panel ---------- */
    var panel = document.getElementById("panel-content");
    function clearPanel() { while (panel.firstChild) panel.removeChild(panel.firstChild); }

    function showNode(id, recordCount) {
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
      if (recordCount) {
        add(panel, el("p", "meta", "and " + plural(recordCount, "relation") + " resting on the depositary record alone " +
            "(drawn with the record switch): see the treaties below."));
      }
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
      if (n.type === "State") treatySection(panel, id);
      if (n.type === "Treaty") participantsSection(panel, id);
      panel.parentNode.scrollTop = 0;
    }

    function edgeHeading(e) {
      var h = el("h2");
      add(h, entityLink(e.from, D.nodes[e.from].label), " — " + e.label + " → ", entityLink(e.to, D.nodes[e.to].label));
      return h;
    }
    function showEdge(edgeId) {
      clearPanel();
      panel.dataset.kind = "edge"; panel.dataset.id = edgeId;
      var e = D.edges[edgeId];
      if (!e) return showRecordEdge(edgeId, page.recordEdge(edgeId));
      add(panel, edgeHeading(e));
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
    /* a relation resting on the record alone: its claims are not in the page one by one; what
       the record says of the state and the treaty is its row */
    function showRecordEdge(edgeId, e) {
      add(panel, edgeHeading(e));
      var meta = el("div", "meta");
      add(meta, badge("depositary record", "record"), stanceBadge(e));
      add(meta, e.claims ? plural(e.claims, "claim") + " of the record" : "inferred from the record’s consents");
      add(meta, e.context ? " · drawn by default: an article names the state and the treaty"
                          : " · drawn with the record switch");
      add(panel, meta);
      var rows = rowsOf(e.from);
      var treaty = treatyOf(e.to);
      var matching = rows.filter(function (r) {
        return e.key === "boundBy" ? r.bindings.some(function (b) { return b.obligation === e.to; }) : r.treaty === treaty;
      });
      matching.forEach(function (row) { add(panel, treatyRow(e.from, row, e.key === "boundBy" ? e.to : null)); });
      if (!matching.length) add(panel, el("p", "note", "The record’s rows for this relation are listed in the panel of " + label(e.from) + "."));
      panel.parentNode.scrollTop = 0;
    }
    return { showNode: showNode, showEdge: showEdge, decodeRow: decodeRow, rowsOf: rowsOf };
  };
})();
