"""The depositary record in the page: which relations rest on it alone, and each state's treaties
as one compact table.

The record (sources of kind ob:ReferenceRecord: the UN Treaty Collection's status and
reservations files) gives every state's signatures, consents and reservations — thousands of
relations the five articles never mention. The page draws them only on demand and never carries
their claims one by one; what a state's panel needs of them is :func:`state_treaties`.

**Rests on the record** (:func:`rests_on_record`): an edge every claim of which comes from a
reference record; or an edge no claim states that is a binding (``boundBy``) or a signatory's
duty (``signatoryDutyTo``) every conclusion of which rests on record consents (ob:basis
ob:RecordBasis). An edge with one article's or one treaty text's claim does not.

**Drawn by default or not** (:func:`layers`): an edge that rests on the record is in the
articles' *context* — drawn by default — when its subject is a state an article names and it
concerns a treaty an article names (the edge's object, the treaty of its provision, or the
treaty of one of its conclusions): China's consent to the Refugee Convention, its Protocol and
the Convention against Torture, and the bindings they give. Every other one is *record-only*:
drawn when the page's record switch is on. "Named by an article" means the subject or object
of a claim (or a fact) whose source is of kind ob:Article."""

from __future__ import annotations

import networkx as nx

DERIVED_FROM_CONSENT = ("boundBy", "signatoryDutyTo")
PARTICIPATION = ("partyTo", "signatoryOf", "signatoryDutyTo", "reservationConcerns", "boundBy")
RECORD, CONTEXT = "record", "context"  # an edge's layer (None: not resting on the record)
EXCERPT = 240  # characters of a reservation's text shown in the table (offsets say which)


def record_sources(network: nx.MultiDiGraph) -> set[str]:
    return {s["id"] for s in network.graph.get("sources", []) if s.get("record")}


def rests_on_record(data: dict, records: set[str]) -> bool:
    """Whether an edge rests on the reference record alone (module docstring)."""
    if data["claims"]:
        return all(c["source"] in records for c in data["claims"])
    return (data["predicate"] in DERIVED_FROM_CONSENT and bool(data["conclusions"])
            and all(c.get("basis") == "RecordBasis" for c in data["conclusions"]))


def article_claims(network: nx.MultiDiGraph) -> dict[str, int]:
    """How many claims of the articles name each entity, as their subject or their object (an
    entity no article names is left out)."""
    articles = {s["id"] for s in network.graph.get("sources", []) if s["kind"] == "Article"}
    counts: dict[str, int] = {}
    for u, v, data in network.edges(data=True):
        if count := sum(1 for c in data["claims"] if c["source"] in articles):
            for node in (u, v):
                counts[node] = counts.get(node, 0) + count
    for node, data in network.nodes(data=True):
        if count := sum(1 for c in data["facts"] if c["source"] in articles):
            counts[node] = counts.get(node, 0) + count
    return counts


def article_entities(network: nx.MultiDiGraph) -> set[str]:
    """Every entity a claim of an article names, as its subject or its object."""
    return set(article_claims(network))


def treaty_of(network: nx.MultiDiGraph, node: str) -> str | None:
    """The treaty a node is or belongs to: itself, or the treaty of a provision (provisionOf)."""
    kind = network.nodes[node]["type"]
    if kind == "Treaty":
        return node
    if kind == "TreatyProvision":
        for _, treaty, key in network.out_edges(node, keys=True):
            if key == "provisionOf":
                return treaty
    return None


def edge_treaties(network: nx.MultiDiGraph, u: str, v: str, data: dict) -> set[str]:
    found = {t for t in (treaty_of(network, v), treaty_of(network, u)) if t}
    for conclusion in data["conclusions"]:
        found.update(conclusion.get("refs", {}).get("treaty", []))
    return found


def layers(network: nx.MultiDiGraph, named: set[str] | None = None) -> dict[tuple, str | None]:
    """Every edge (u, v, key) → RECORD (drawn by the switch), CONTEXT (rests on the record, drawn
    by default) or None (does not rest on the record). ``named``: article_entities(network), if
    the caller has it."""
    records = record_sources(network)
    named = article_entities(network) if named is None else named
    result = {}
    for u, v, key, data in network.edges(keys=True, data=True):
        if not rests_on_record(data, records):
            result[(u, v, key)] = None
        elif (u in named and network.nodes[u]["type"] == "State"
              and edge_treaties(network, u, v, data) & named):
            result[(u, v, key)] = CONTEXT
        else:
            result[(u, v, key)] = RECORD
    return result


def _fields(conclusion: dict) -> dict[str, str]:
    return {name: value for name, value in reversed(conclusion["fields"])}  # the first value wins


def _short_provision(label: str) -> str:
    """"VCLT, article 18 (obligation not to …)" → "VCLT art. 18"."""
    return label.split(" (", 1)[0].replace(", article ", " art. ")


def _quote(claim: dict, limit: int | None = None) -> list[dict]:
    """A record claim's quotes with their offsets; past ``limit`` characters an excerpt whose
    offsets are the excerpt's own."""
    quotes = []
    for q in claim["quotes"]:
        exact, end = q["exact"], q.get("end")
        if q["start"] is not None and end is None:
            end = q["start"] + len(exact)
        item = {"source": claim["source"], "start": q["start"], "end": end, "exact": exact}
        if limit and len(exact) > limit:
            cut = exact[:limit].rsplit(" ", 1)[0]
            item.update(exact=cut, end=q["start"] + len(cut) if q["start"] is not None else None,
                        fullEnd=end)
        quotes.append(item)
    return quotes


def _add_quotes(row: dict, claims: list[dict], records: set[str]) -> None:
    for claim in claims:
        if claim["source"] in records:
            for quote in _quote(claim):
                if quote not in row["quotes"]:
                    row["quotes"].append(quote)


def state_treaties(network: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Each state's treaties, one row per treaty, from its participation edges: consent (mode,
    deposit, entry into force for the state, basis), signature, a signatory's duty, bindings,
    reservations (what each names, its kind, its words, a flag against the reservations clause),
    and the record rows' quotes with their offsets. Rows sorted by treaty label."""
    records = record_sources(network)
    label = lambda n: network.nodes[n]["label"]  # noqa: E731
    tables: dict[str, dict[str, dict]] = {}
    for state, data in network.nodes(data=True):
        if data["type"] != "State":
            continue
        rows: dict[str, dict] = {}

        def row(treaty: str) -> dict:
            return rows.setdefault(treaty, {"treaty": treaty, "quotes": []})

        for _, target, key, edge in sorted(network.out_edges(state, keys=True, data=True)):
            if key not in PARTICIPATION:
                continue
            treaty = treaty_of(network, target)
            record_claims = [c for c in edge["claims"] if c["source"] in records]
            stance = edge["stance"] if edge["stance"] not in ("asserted", "inferred") else None
            if key == "partyTo" and treaty:
                consents = [c for c in edge["conclusions"] if c["kind"] == "Consent"]
                if not consents and not record_claims:
                    continue  # only the articles say so: the relation's own claims show it
                entry = row(treaty)
                if consents:
                    fields = _fields(consents[0])
                    entry["consent"] = {k: v for k, v in {
                        "mode": fields.get("mode", ""), "deposited": fields.get("since", ""),
                        "inForce": fields.get("inForceSince"), "general": fields.get("generalEntryIntoForce"),
                        "basis": consents[0].get("basis", "")}.items() if v}
                else:
                    first = record_claims[0]
                    entry["consent"] = {"mode": first["mode"], "deposited": first["date"]}
                if stance:
                    entry["consent"]["stance"] = stance  # a denied consent never reads as one
                _add_quotes(entry, record_claims, records)
            elif key == "signatoryOf" and treaty and record_claims:
                entry = row(treaty)
                entry["signed"] = min(c["date"] for c in record_claims)
                if stance:
                    entry["signedStance"] = stance
                _add_quotes(entry, record_claims, records)
            elif key == "signatoryDutyTo" and treaty:
                for duty in (c for c in edge["conclusions"] if c["kind"] == "SignatureDuty"):
                    fields = _fields(duty)
                    row(treaty)["duty"] = {"since": fields.get("since", ""),
                                           "provision": _short_provision(fields.get("provision", "")),
                                           "obligation": fields.get("obligation", "")}
            elif key == "boundBy":
                for binding in (c for c in edge["conclusions"] if c["kind"] == "BoundBy"):
                    fields = _fields(binding)
                    refs = binding.get("refs", {})
                    for bound_treaty in refs.get("treaty", []):
                        row(bound_treaty).setdefault("bindings", []).append({k: v for k, v in {
                            "obligation": target, "provision": (refs.get("provision") or [None])[0],
                            "through": (refs.get("through") or [None])[0], "since": fields.get("since"),
                            "known": fields.get("entryIntoForceKnown") != "false",
                            "qualified": {"true": True, "false": False}.get(fields.get("qualifiedByReservation", "")),
                            "reservations": len(binding.get("reservations", []))}.items() if v is not None})
            elif key == "reservationConcerns" and treaty:
                flagged = {c.get("claim"): _fields(c) for c in edge["conclusions"]
                           if c["kind"] == "ReservationAgainstClause"}
                entry = row(treaty)
                texts = entry.setdefault("reservations", [])
                for claim in edge["claims"]:
                    quote = (_quote(claim, EXCERPT) or [{"source": claim["source"], "start": None,
                                                        "end": None, "exact": ""}])[0]
                    same = next((t for t in texts if t["quote"]["source"] == quote["source"]
                                 and t["quote"]["start"] == quote["start"]), None)
                    if same is None:
                        same = {"named": [], "kinds": [], "claims": 0, "quote": quote}
                        texts.append(same)
                    same["claims"] += 1
                    same["named"] = sorted(set(same["named"]) | set(claim.get("named", [])))
                    kind = claim.get("reservationKind", "")
                    if kind and kind not in same["kinds"]:
                        same["kinds"].append(kind)
                    if claim["stance"] != "asserts":
                        same["stance"] = claim["stance"]
                    if claim["id"] in flagged:
                        fields = flagged[claim["id"]]
                        same["against"] = (f"{_short_provision(fields.get('clause', ''))} allows no "
                                           f"reservation to {fields.get('protectedProvision', '')}")
        for entry in rows.values():
            entry.get("reservations", []).sort(key=lambda t: (t["quote"]["source"], t["quote"]["start"] or 0))
            entry.get("bindings", []).sort(key=lambda b: (b["obligation"], b.get("provision") or ""))
        # a binding names its treaty by id: a network cut down (the bench's resampled ones) may lack it
        rows = {treaty: entry for treaty, entry in rows.items() if treaty in network}
        if rows:
            tables[state] = sorted(rows.values(), key=lambda r: (label(r["treaty"]), r["treaty"]))
    return dict(sorted(tables.items()))


def compact(network: nx.MultiDiGraph, tables: dict[str, list[dict]], node_index: dict[str, int],
            source_index: dict[str, int]) -> dict:
    """:func:`state_treaties` as the page holds it (a sixth the size), decoded by the page's
    script (templates/panel.js, ``decodeRow``). Entities and sources are numbers: their index in
    the page's nodes and sources. Per state, one object per treaty::

        t  treaty
        c  consent: [mode, deposited, in force for the state ("": not known), basis ("": the
           record), stance ("": asserted)]
        s  signature: [date, stance]
        d  signatory's duty: [since, provision]
        b  bindings: [[obligation, provision, through (-1: none), since, entry into force known
           (1/0), qualified by a reservation (1/0, -1: the record is silent), reservations]]
        r  reservations, one per text: [provisions named ("14, 16(3)"), kinds, claims, quote,
           against the reservations clause ("": not flagged), stance]
        q  the record rows' quotes

    and a quote is [source, start, end, exact] (an excerpt: [source, start, end, exact, end of
    the whole text]). ``general``: each treaty's general entry into force, as its consents give it."""
    def entity(node):
        return node_index.get(node, -1) if node else -1

    def quote(q: dict) -> list:
        item = [source_index[q["source"]], q["start"], q["end"], q["exact"]]
        return item + [q["fullEnd"]] if "fullEnd" in q else item

    general: dict[str, str] = {}
    states = {}
    for state, rows in tables.items():
        encoded = []
        for row in rows:
            item: dict = {"t": node_index[row["treaty"]], "q": [quote(q) for q in row["quotes"]]}
            if "consent" in row:
                c = row["consent"]
                basis = c.get("basis", "")
                item["c"] = [c.get("mode", ""), c.get("deposited", ""), c.get("inForce", ""),
                             "" if basis == "RecordBasis" else basis, c.get("stance", "")]
                if c.get("general"):
                    general.setdefault(row["treaty"], c["general"])
            if "signed" in row:
                item["s"] = [row["signed"], row.get("signedStance", "")]
            if "duty" in row:
                item["d"] = [row["duty"]["since"], row["duty"]["provision"]]
            if row.get("bindings"):
                item["b"] = [[entity(b["obligation"]), entity(b.get("provision")), entity(b.get("through")),
                              b.get("since", ""), int(b["known"]),
                              {True: 1, False: 0}.get(b.get("qualified"), -1), b.get("reservations", 0)]
                             for b in row["bindings"]]
            if row.get("reservations"):
                item["r"] = [[", ".join(r["named"]), ", ".join(r["kinds"]), r["claims"], quote(r["quote"]),
                              r.get("against", ""), r.get("stance", "")] for r in row["reservations"]]
            encoded.append(item)
        states[state] = encoded
    return {"general": dict(sorted(general.items())), "states": states}
