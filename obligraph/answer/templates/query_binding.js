/* The binding of a named query's parameters, as `obligraph query` binds them (kept from the
   page before YASGUI, tested against the Python in tests/test_query_page_browser.py):
   window.obligraphQuery. Inlined by the query page (query_page.html.j2). */
"use strict";
(function () {
  const base = document.body.dataset.entityBase;

  // Parameters are bound by a VALUES block opening the query's WHERE group, as `obligraph query`
  // does (obligraph/answer/query.py with_values_first): Oxigraph evaluates a trailing VALUES after the
  // whole pattern, so there a parameter narrows nothing (evidence-for: 0.9 s against 0.05 s at
  // 100k triples). Where that could change what the query means (not a SELECT or ASK, or a
  // parameter it never names) the block trails the query instead. Each value must be an entity
  // id or an IRI, or, for a date parameter, a day written YYYY-MM-DD (an xsd:date literal, which
  // only the leading block can bind: a trailing one would narrow nothing a FILTER compares it with).
  //
  // Just enough SPARQL lexing, as obligraph/answer/sparqltext.py _LEX: strings (triple-quoted too),
  // IRIs (the IRIREF characters only, so `?a < ?b` is no IRI), comments, words, other characters.
  const LEX = new RegExp([
    /(?<string>"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""|'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''|"(?:[^"\\\n\r]|\\[\s\S])*"|'(?:[^'\\\n\r]|\\[\s\S])*')/,
    /|(?<iri><[^<>"{}|^`\\\x00-\x20]*>)/,
    /|(?<comment>#[^\n\r]*)/,
    // words: a variable (no "." or "-" in its name: `?o.SERVICE` is ?o, ".", SERVICE), a blank
    // node label, a prefixed name (never ending in "."), or a keyword
    /|(?<word>[?$][\p{L}\p{N}_\u00B7\u0300-\u036F\u203F\u2040]+|_:(?:[\p{L}\p{N}_\-.\u00B7]*[\p{L}\p{N}_\-\u00B7])|(?:[\p{L}\p{Nl}\p{No}](?:[\p{L}\p{N}_\-.\u00B7]*[\p{L}\p{N}_\-\u00B7])?)?:(?:(?:[\p{L}\p{N}_\-:%]|\\[\s\S])(?:(?:[\p{L}\p{N}_\-.:%\u00B7]|\\[\s\S])*(?:[\p{L}\p{N}_\-:%\u00B7]|\\[\s\S]))?)?|[\p{L}\p{Nl}\p{No}][\p{L}\p{N}_]*)/,
    /|(?<other>\S)/,
  ].map(part => part.source).join(""), "gu");

  function tokens(text) {
    const found = [];
    for (const match of text.matchAll(LEX)) {
      const kind = Object.keys(match.groups).find(name => match.groups[name] !== undefined);
      found.push({kind: kind, text: match[0], end: match.index + match[0].length});
    }
    return found;
  }

  // SPARQL allows \uXXXX and \UXXXXXXXX escapes anywhere in the text (\u0053ELECT is SELECT).
  function unescape(text) {
    return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, (whole, short, long) => {
      const code = parseInt(short || long, 16);
      return code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF) ? String.fromCodePoint(code) : whole;
    });
  }

  // SELECT / ASK / CONSTRUCT / DESCRIBE or an update's first keyword, past PREFIX and BASE; or null.
  function form(text) {
    for (const token of tokens(unescape(text))) {
      const word = token.kind === "word" ? token.text : "";
      if (word && !"?$".includes(word[0]) && !word.includes(":")
          && !["PREFIX", "BASE"].includes(word.toUpperCase())) return word.toUpperCase();
    }
    return null;
  }

  // A term as Oxigraph writes it: an IRI given as text, or {literal, datatype} (a checked date).
  function term(value) {
    if (typeof value === "string") return "<" + value + ">";
    return JSON.stringify(value.literal) + "^^<" + value.datatype + ">";
  }

  // VALUES for {name: IRI or literal}, the names sorted as the command line sorts them.
  function valuesClause(iris) {
    const names = Object.keys(iris).sort();
    if (names.length === 1) return "VALUES ?" + names[0] + " { " + term(iris[names[0]]) + " }";
    return "VALUES (" + names.map(n => "?" + n).join(" ") + ") { ("
      + names.map(n => term(iris[n])).join(" ") + ") }";
  }

  // The query with a VALUES block just after its first `{` outside brackets (the WHERE group: a
  // projection's EXISTS { … } is in brackets), or null where that could change what it means.
  function withValuesFirst(text, iris) {
    const names = Object.keys(iris);
    if (!names.length || !["SELECT", "ASK"].includes(form(text))) return null;
    const all = tokens(text);
    const named = new Set(all.filter(t => t.kind === "word" && "?$".includes(t.text[0]))
                             .map(t => t.text.slice(1)));
    if (!names.every(n => named.has(n))) return null;
    let depth = 0;
    for (const token of all) {
      const other = token.kind === "other" ? token.text : "";
      depth += (other === "(") - (other === ")");
      if (other === "{" && depth === 0) {
        return text.slice(0, token.end) + " " + valuesClause(iris) + text.slice(token.end);
      }
    }
    return null;
  }

  // The query text with {name: IRI or literal} bound: opening the WHERE group, else a trailing
  // VALUES clause (never for a literal: see above).
  function withValues(text, iris) {
    if (!Object.keys(iris).length) return text;
    const first = withValuesFirst(text, iris);
    if (first !== null) return first;
    const literal = Object.keys(iris).sort().find(n => typeof iris[n] !== "string");
    if (literal) throw new Error(literal + " (a " + (iris[literal].type || "date") + ") can only bind a SELECT or ASK query whose pattern names ?" + literal);
    return text + "\n" + valuesClause(iris) + "\n";
  }

  // A day of the calendar written YYYY-MM-DD (as `obligraph query` checks it) as a literal of the
  // datatype queries.json gives (xsd:date), or null.
  function calendarDay(value, datatype) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return null;
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(2000, month - 1, day));
    date.setUTCFullYear(year);
    const ok = year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1
      && date.getUTCDate() === day;
    return ok ? {literal: value, datatype: datatype} : null;
  }

  function bound(text, params) {
    const iris = {};
    for (const input of (params || document.getElementById("params")).querySelectorAll("input, select")) {
      const value = input.value.trim();
      if (!value) continue;
      let iri;
      if (input.dataset.type === "date") {
        iri = calendarDay(value, input.dataset.datatype);
        if (!iri) throw new Error(input.dataset.name + ": " + JSON.stringify(value) + " is not a date: write the date as YYYY-MM-DD");
      } else if (input.dataset.type === "boolean") {
        if (!["true", "false"].includes(value)) throw new Error(input.dataset.name + ": " + JSON.stringify(value) + " is not true or false");
        iri = {literal: value, datatype: input.dataset.datatype, type: "boolean"};
      } else if (/^[a-z0-9][a-z0-9-]*$/.test(value)) iri = base + value;
      else if (/^https?:\/\/[^\s<>"{}|^`\\]+$/.test(value)) iri = value;
      else throw new Error(input.dataset.name + ": " + JSON.stringify(value) + " is not an entity id (e.g. china) or an IRI");
      iris[input.dataset.name] = iri;
    }
    return withValues(text, iris);
  }

  // For tests and the console: the binding, without running anything.
  window.obligraphQuery = Object.freeze({bound, withValues, withValuesFirst, form, tokens, calendarDay});
})();
