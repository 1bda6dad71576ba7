"""A synthetic but realistic corpus in the format of sources/, for scale benchmarks (issue 7).

    python bench/make_corpus.py --docs N --out DIR [--seed 1]

Writes DIR/entities.yaml (a registry of ~200 states, 20 treaties with their provisions and
obligations, ~300 organisations, people, groups, harms, places, policies, reports, and one or two
statistics per document), DIR/treaties/ (one text + meta + claims per treaty: provisionOf and
establishesObligation), DIR/reference/ (a treaty-participation CSV + meta) and DIR/articles/ (N
documents of several paragraphs of prose built from sentence templates, each with its meta and
its curated claims). Every quote is a whole sentence of its document, found there exactly once;
every predicate is an ob:ClaimProperty; every entity type is one of sources/README.md. The same
seed gives the same bytes.

The articles follow one "world": which state is party to which treaty since when (the reference
record agrees for the rows it holds), which policies each state pursues and which obligation a
policy is said to contravene. Document 0 always states a potential breach: a state party to a
treaty, one of its policies, and that the policy contravenes an obligation the treaty establishes.

Library first: make_corpus(out, docs=N, seed=1) -> out.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

N_STATES = 200
N_TREATIES = 20
N_OBLIGATIONS = 30
N_IGOS = 40
N_NGOS = 160
N_PEOPLE = 300
N_GROUPS = 40
N_PLACES = 100
N_REPORTS = 60

SYLLABLES = ["ar", "bel", "cor", "dan", "el", "far", "gal", "hel", "is", "jor", "kal", "lor",
             "mar", "nor", "or", "pel", "quin", "ros", "sel", "tor", "ul", "val", "wen", "xan",
             "yor", "zel", "bra", "dro", "ka", "mi", "ne", "sa", "ti", "vo"]
SUFFIXES = ["ia", "land", "stan", "ora", "ica", "enia", "aria", "ovia", "esh", "ador"]
FIRST = ["Amira", "Boris", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Julia",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Rafael", "Sara", "Tomas", "Una",
         "Viktor", "Wen", "Yara", "Zoltan", "Aiko", "Bilal", "Carmen", "Dmitri", "Elif", "Felix"]
LAST = ["Abara", "Bergstrom", "Castillo", "Dervish", "Eklund", "Fonseca", "Grieve", "Haddad",
        "Ibsen", "Janssen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
        "Quispe", "Rahman", "Santos", "Tanaka", "Umarov", "Varga", "Weller", "Xu", "Yilmaz",
        "Zeller", "Achebe", "Brandt", "Cruz", "Dubois"]
OBLIGATION_PHRASES = [
    ("non-refoulement", "not return a refugee to a territory where life or freedom would be threatened"),
    ("non-penalization", "not impose penalties on refugees on account of their illegal entry"),
    ("cooperation-with-unhcr", "co-operate with the Office of the High Commissioner"),
    ("prohibition-of-torture", "prevent acts of torture in any territory under its jurisdiction"),
    ("freedom-of-movement", "respect the liberty of everyone to leave any country"),
    ("access-to-courts", "grant free access to courts of law"),
    ("family-unity", "protect the unity of the family of persons in need"),
    ("right-to-education", "accord elementary education to every child"),
    ("fair-trial", "guarantee a fair and public hearing by a competent tribunal"),
    ("humane-detention", "treat all persons deprived of their liberty with humanity"),
    ("non-discrimination", "apply its provisions without discrimination as to race or religion"),
    ("freedom-of-religion", "respect the freedom to manifest one's religion"),
    ("identity-papers", "issue identity papers to any refugee in its territory"),
    ("travel-documents", "issue travel documents to refugees lawfully staying in its territory"),
    ("right-to-work", "accord the most favourable treatment as regards wage-earning employment"),
    ("public-relief", "accord the same treatment with respect to public relief and assistance"),
    ("housing", "accord treatment as favourable as possible regarding housing"),
    ("naturalization", "facilitate the assimilation and naturalization of refugees"),
    ("expulsion-safeguards", "expel a lawfully present person only in pursuance of a decision reached by due process"),
    ("child-protection", "protect children from all forms of exploitation"),
    ("anti-trafficking", "prevent and combat trafficking in persons"),
    ("statelessness-reduction", "grant its nationality to a person born in its territory who would otherwise be stateless"),
    ("effective-remedy", "ensure an effective remedy to any person whose rights are violated"),
    ("investigation-of-torture", "proceed to a prompt and impartial investigation of torture"),
    ("redress-for-victims", "ensure that a victim of torture obtains redress"),
    ("freedom-of-expression", "respect the freedom to seek, receive and impart information"),
    ("asylum-procedures", "examine every application for asylum individually"),
    ("consular-notification", "inform a detained foreign national of the right to consular access"),
    ("data-protection", "protect the personal data of asylum seekers"),
    ("durable-solutions", "co-operate in seeking durable solutions for displaced persons"),
]
TREATY_KINDS = ["Convention on", "Covenant on", "Protocol concerning", "Agreement on", "Charter of"]
TREATY_TOPICS = ["the Status of Displaced Persons", "Civil Liberties", "the Prevention of Cruel Treatment",
                 "Regional Asylum", "the Rights of Migrant Workers", "the Protection of Children",
                 "Statelessness", "Human Trafficking", "Detention Standards", "Freedom of Movement",
                 "Fair Trial Guarantees", "Family Reunification", "Border Cooperation",
                 "Humanitarian Access", "Minority Rights", "Consular Relations", "Labour Standards",
                 "Data and Privacy", "Religious Freedom", "Durable Solutions"]
POLICY_KINDS = [
    ("forced-return", "forced return of border crossers"),
    ("detention", "mandatory detention of asylum seekers"),
    ("pushbacks", "pushbacks at the border"),
    ("exit-ban", "ban on leaving the country without a permit"),
    ("no-registration", "refusal to register refugees"),
    ("camp-confinement", "confinement of refugees to camps"),
    ("work-ban", "ban on employment for asylum seekers"),
    ("school-exclusion", "exclusion of refugee children from schools"),
    ("resettlement", "resettlement programme for refugees"),
    ("transit", "safe transit corridor for refugees"),
]
HARMS = [("torture", "torture"), ("execution", "execution"), ("forced-labour", "forced labour"),
         ("arbitrary-detention", "arbitrary detention"), ("trafficking", "trafficking"),
         ("forced-marriage", "forced marriage"), ("family-separation", "family separation"),
         ("disappearance", "enforced disappearance"), ("starvation", "starvation"),
         ("persecution", "persecution")]
GROUP_KINDS = ["refugees", "asylum seekers", "border crossers", "stateless persons",
               "migrant workers", "returnees"]
ORG_WORDS = ["Watch", "Institute", "Foundation", "Alliance", "Centre", "Network", "Council",
             "Initiative", "Forum", "Society"]
ORG_TOPICS = ["Human Rights", "Refugee Law", "Migration Policy", "Border Studies", "Asylum Aid",
              "Civil Liberties", "Humanitarian Affairs", "Legal Aid", "Displacement Studies",
              "Public Interest Law", "Minority Rights", "Child Protection", "Labour Rights",
              "Democracy Research", "Justice Reform", "Peace Studies"]
IGO_WORDS = ["Commission", "Agency", "Office", "Committee", "Council", "Organization"]
IGO_TOPICS = ["for Refugees", "on Migration", "for Human Rights", "on Torture", "for Children",
              "on Statelessness", "for Humanitarian Affairs"]
ROLES = ["researcher", "director", "spokesperson", "legal adviser", "senior fellow", "coordinator"]
CITIES = ["port", "ford", "burg", "grad", "polis", "haven", "mouth", "field", "ton", "vale"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
FILLER = [
    "The situation on the ground remains difficult to verify independently.",
    "Observers caution that the available figures are incomplete.",
    "Few journalists have been able to reach the border areas in recent months.",
    "The debate has continued in parliaments and in the press.",
    "Much of what is known comes from interviews with people who left.",
    "Officials declined repeated requests for comment.",
    "The history of the region explains part of the tension.",
    "Humanitarian workers describe conditions that change from week to week.",
]


@dataclass
class State:
    id: str
    label: str
    treaties: dict[str, tuple[str, int]] = field(default_factory=dict)  # treaty -> (mode, year)
    policies: list[str] = field(default_factory=list)


@dataclass
class World:
    states: list[State]
    treaties: list[dict]          # id, label, year, provisions: [(id, number, title, obligation)]
    obligations: list[dict]       # id, label, phrase
    policies: dict[str, dict]     # id -> state, label, year, contravenes (obligation id | None)
    igos: list[dict]
    ngos: list[dict]
    bodies: list[dict]
    people: list[dict]
    groups: list[dict]
    harms: list[dict]
    places: list[dict]
    reports: list[dict]
    entities: list[dict]


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2))))
        name = (stem + rng.choice(SUFFIXES)).capitalize()
        if name not in seen and len(name) > 4:
            seen.add(name)
            names.append(name)
    return names


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def make_world(rng: random.Random) -> World:
    entities: list[dict] = []

    def add(id_: str, type_: str, label: str, **extra) -> dict:
        entry = {"id": id_, "type": type_, "label": label, **extra}
        entities.append(entry)
        return entry

    names = _names(rng, N_STATES + N_PLACES)
    states = [State(id=_slug(n), label=n) for n in names[:N_STATES]]
    for s in states:
        add(s.id, "State", s.label, aliases=[f"Republic of {s.label}", f"{s.label}n government"])
    obligations = []
    for key, phrase in OBLIGATION_PHRASES[:N_OBLIGATIONS]:
        obligations.append(add(f"obligation-{key}", "Obligation", key.replace("-", " ").capitalize(),
                               phrase=phrase))
    treaties = []
    for t in range(N_TREATIES):
        year = 1948 + 3 * t + rng.randrange(3)
        label = f"{TREATY_KINDS[t % len(TREATY_KINDS)]} {TREATY_TOPICS[t]}"
        tid = f"{_slug(label)}-{year}"
        add(tid, "Treaty", label)
        chosen = rng.sample(obligations, rng.randint(3, 5))
        provisions = []
        for k, obligation in enumerate(chosen):
            number = 2 + 3 * k + rng.randrange(3)
            pid = f"{tid}-art-{number}"
            title = obligation["label"]
            add(pid, "TreatyProvision", f"{label}, article {number}")
            provisions.append((pid, number, title, obligation))
        treaties.append({"id": tid, "label": label, "year": year, "provisions": provisions})
    # participation: each state joins ~40% of the treaties after adoption
    for s in states:
        for t in treaties:
            if rng.random() < 0.4:
                s.treaties[t["id"]] = (rng.choice(("ratification", "accession")),
                                       min(2024, t["year"] + 1 + rng.randrange(40)))
    igos = [add(f"igo-{i:03d}", "IntergovernmentalOrganization",
                f"{rng.choice(('United Nations', 'Regional', 'International'))} "
                f"{IGO_WORDS[i % len(IGO_WORDS)]} {IGO_TOPICS[i % len(IGO_TOPICS)]} {i + 1}")
            for i in range(N_IGOS)]
    ngos = [add(f"ngo-{i:03d}", "NGO",
                f"{ORG_TOPICS[i % len(ORG_TOPICS)]} {ORG_WORDS[(i // len(ORG_TOPICS)) % len(ORG_WORDS)]}"
                + (f" {names[i % len(names)]}" if i >= len(ORG_TOPICS) * len(ORG_WORDS) else ""))
            for i in range(N_NGOS)]
    bodies = []
    for s in states[:100]:
        bodies.append(add(f"{s.id}-interior-ministry", "GovernmentBody",
                          f"Ministry of the Interior of {s.label}", state=s.id))
    people = []
    seen_people: set[str] = set()
    while len(people) < N_PEOPLE:
        label = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if len(seen_people) >= len(FIRST) * len(LAST) - 10:
            break
        if label in seen_people:
            label = f"{label} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
            if label in seen_people:
                continue
        seen_people.add(label)
        people.append(add(_slug(label), "Person", label,
                          org=rng.choice(ngos + igos)["id"], role=rng.choice(ROLES)))
    groups = []
    for i in range(N_GROUPS):
        origin = states[i * 3]
        label = f"{origin.label}n {GROUP_KINDS[i % len(GROUP_KINDS)]}"
        groups.append(add(f"{origin.id}-{_slug(GROUP_KINDS[i % len(GROUP_KINDS)])}", "Group", label,
                          origin=origin.id))
    harms = [add(f"harm-{key}", "Harm", label) for key, label in HARMS]
    places = []
    for i, n in enumerate(names[N_STATES:]):
        city = n + CITIES[i % len(CITIES)]
        places.append(add(_slug(city), "Place", city, state=states[i % N_STATES].id))
    reports = []
    for i in range(N_REPORTS):
        year = 2000 + i % 24
        publisher = rng.choice(ngos + igos)
        reports.append(add(f"report-{i:03d}-{year}", "Report",
                           f"Annual Survey of Protection No. {i + 1} ({year})",
                           publisher=publisher["id"], year=year))
    policies: dict[str, dict] = {}
    for s in states:
        for key, label in rng.sample(POLICY_KINDS, rng.randint(1, 2)):
            pid = f"{s.id}-{key}"
            year = 1990 + rng.randrange(34)
            joined = [(t, info) for t, info in sorted(s.treaties.items()) if info[1] <= year]
            contravenes = None
            if key not in ("resettlement", "transit"):
                if joined and rng.random() < 0.8:
                    pick = rng.choice(joined)[0]
                    treaty = next(t for t in treaties if t["id"] == pick)
                    contravenes = rng.choice(treaty["provisions"])[3]["id"]
                else:
                    contravenes = rng.choice(obligations)["id"]
            policies[pid] = {"id": pid, "state": s.id, "label": f"{s.label}'s {label}",
                             "year": year, "contravenes": contravenes}
            add(pid, "Policy", f"{s.label}'s {label}")
            s.policies.append(pid)
    return World(states=states, treaties=treaties, obligations=obligations, policies=policies,
                 igos=igos, ngos=ngos, bodies=bodies, people=people, groups=groups, harms=harms,
                 places=places, reports=reports, entities=entities)


class Doc:
    """A document being written: sentences grouped in paragraphs, and the claims they carry."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = [[]]
        self.claims: list[dict] = []
        self.used: set[str] = set()

    def say(self, sentence: str, *claims: dict) -> bool:
        if sentence in self.used or any(sentence in s or s in sentence for s in self.used):
            return False
        self.used.add(sentence)
        self.paragraphs[-1].append(sentence)
        for claim in claims:
            self.claims.append({**claim, "quote": sentence})
        return True

    def paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def text(self, header: str) -> str:
        return header + "\n\n" + "\n\n".join(" ".join(p) for p in self.paragraphs if p) + "\n"


def _claim(subject: str, predicate: str, **fields) -> dict:
    return {"subject": subject, "predicate": predicate,
            **{k: v for k, v in fields.items() if v is not None}}


def write_article(world: World, rng: random.Random, index: int, out: Path, extra: list[dict]) -> int:
    by_id = {s.id: s for s in world.states}
    state = world.states[rng.randrange(N_STATES)] if index else next(
        s for s in world.states if any(world.policies[p]["contravenes"] and any(
            world.policies[p]["contravenes"] == prov[3]["id"] and t in s.treaties
            and s.treaties[t][1] <= world.policies[p]["year"]
            for t in s.treaties for prov in next(x for x in world.treaties if x["id"] == t)["provisions"])
            for p in s.policies))
    author = rng.choice(world.people)
    publisher = rng.choice(world.ngos)
    year = 2005 + rng.randrange(20)
    date = f"{year}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
    name = f"{index:05d}_{hashlib.sha256(f'{index}-{rng.random()}'.encode()).hexdigest()[:16]}"
    group = rng.choice(world.groups)
    harm = rng.choice(world.harms)
    origin = by_id[group["origin"]]
    doc = Doc()
    title = f"{state.label} and the {group['label']}: {rng.choice(('a report', 'an analysis', 'new concerns', 'the record'))}"

    # 1. flight
    doc.say(f"Every year {group['label']} leave {origin.label} and many of them reach {state.label}.",
            _claim(group["id"], "flees", object=origin.id), _claim(group["id"], "fleesTo", object=state.id))
    if rng.random() < 0.7:
        stat = f"stat-{name.replace('_', '-')}-arrivals"
        n = rng.randrange(50, 20000)
        extra.append({"id": stat, "type": "Statistic",
                      "label": f"{group['label']} arriving in {state.label} in {year - 1} (article {index:05d})"})
        approx = rng.random() < 0.5
        doc.say(f"{'About' if approx else 'At least'} {n:,} {group['label']} arrived in {state.label} in {year - 1}, "
                f"according to figures compiled by {publisher['label']}.",
                _claim(stat, "hasValue", value=n, unit="person", date=str(year - 1),
                       approximate=True if approx else None, at_least=None if approx else True),
                _claim(stat, "measures", object=group["id"]))
    doc.say(rng.choice(FILLER))
    neighbour = world.states[(world.states.index(state) + 1) % N_STATES]
    if rng.random() < 0.5:
        doc.say(f"{state.label} shares a long land border with {neighbour.label}.",
                _claim(state.id, "borders", object=neighbour.id))
    doc.paragraph()

    # 2. the law: participation claims in line with the world
    for tid, (mode, joined) in sorted(state.treaties.items()):
        if index and rng.random() < 0.5:
            continue
        treaty = next(t for t in world.treaties if t["id"] == tid)
        verb = "ratified" if mode == "ratification" else "acceded to"
        doc.say(rng.choice((f"{state.label} {verb} the {treaty['label']} in {joined}.",
                            f"In {joined}, {state.label} {verb} the {treaty['label']}.")),
                _claim(state.id, "partyTo", object=tid, mode=mode, date=str(joined)))
    doc.paragraph()

    # 3. policies and their conflicts
    for pid in state.policies:
        policy = world.policies[pid]
        doc.say(rng.choice((f"Since {policy['year']}, {state.label} has pursued {policy['label']}.",
                            f"{policy['label'].capitalize()} has been in force since {policy['year']}.")),
                _claim(state.id, "hasPolicy", object=pid, start=str(policy["year"])))
        if policy["contravenes"]:
            obligation = next(o for o in world.obligations if o["id"] == policy["contravenes"])
            if index == 0 or rng.random() < 0.7:
                doc.say(f"Lawyers argue that {policy['label']} is contrary to the duty to {obligation['phrase']}.",
                        _claim(pid, "contravenes", object=obligation["id"]))
            if rng.random() < 0.4:
                doc.say(f"{state.label} forcibly returned {group['label']} to {origin.label} in {year - 1} under {policy['label']}.",
                        _claim(state.id, "repatriates", object=group["id"], date=str(year - 1),
                               topic=origin.id))
            if rng.random() < 0.3:
                doc.say(f"{state.label} denies that {policy['label']} breaches any international obligation.",
                        _claim(pid, "contravenes", object=obligation["id"], stance="denies",
                               stated_by=state.id))
        else:
            doc.say(f"Under {policy['label']}, {state.label} admits {group['label']} and lets them travel on.",
                    _claim(pid, "targets", object=group["id"]))
    doc.paragraph()

    # 4. consequences and voices
    doc.say(f"{group['label'].capitalize()} sent back to {origin.label} face {harm['label']}, {author['label']} writes.",
            _claim(group["id"], "facesOnReturn", object=harm["id"]))
    igo = rng.choice(world.igos)
    if rng.random() < 0.5:
        doc.say(f"{state.label} does not allow the {igo['label']} to interview {group['label']}.",
                _claim(state.id, "deniesAccessTo", object=igo["id"]))
    else:
        doc.say(f"{state.label} allows the {igo['label']} to interview {group['label']} at its borders.",
                _claim(state.id, "allowsAccessTo", object=igo["id"]))
    person = rng.choice(world.people)
    org = next(e for e in world.igos + world.ngos if e["id"] == person["org"])
    doc.say(f"{person['label']}, {person['role']} at {org['label']}, said {state.label} had detained {group['label']} in {year - 1}.",
            _claim(person["id"], "memberOf", object=org["id"], role=person["role"]),
            _claim(state.id, "arrests", object=group["id"], date=str(year - 1), stated_by=person["id"]))
    if rng.random() < 0.5:
        doc.say(f"{publisher['label']} alleges that officials of {state.label} tortured {group['label']} in custody.",
                _claim(state.id, "tortures", object=group["id"], stance="alleges",
                       stated_by=publisher["id"]))
    doc.say(rng.choice(FILLER))
    if rng.random() < 0.6:
        report = rng.choice(world.reports)
        rank = rng.choice(("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3"))
        doc.say(f"The {report['label']} places {state.label} in {rank}.",
                _claim(report["id"], "ranks", object=state.id, value=rank))
        rpub = next(e for e in world.igos + world.ngos if e["id"] == report["publisher"])
        doc.say(f"{rpub['label']} published the {report['label']} in {report['year']}.",
                _claim(rpub["id"], "publishes", object=report["id"], date=str(report["year"])))
    doc.paragraph()

    # 5. advocacy
    urger = rng.choice(world.igos)
    doc.say(f"In {MONTHS[rng.randrange(12)]} {year}, the {urger['label']} urged {state.label} to stop returning {group['label']}.",
            _claim(urger["id"], "urges", object=state.id, date=str(year), topic=group["id"]))
    doc.say(f"{state.label} should grant refugee status to {group['label']}, {author['label']} concludes.",
            _claim(state.id, "grantsRefugeeStatusTo", object=group["id"], stance="recommends"))
    if rng.random() < 0.5:
        doc.say(f"{publisher['label']} condemned {state.label} over its treatment of {group['label']}.",
                _claim(publisher["id"], "condemns", object=state.id, topic=group["id"],
                       stated_by=publisher["id"]))
    place = rng.choice(world.places)
    if rng.random() < 0.5:
        doc.say(f"Many {group['label']} now live in {place['label']}.",
                _claim(group["id"], "residesIn", object=place["id"]))

    text = doc.text(title)
    # keep only claims whose quote occurs exactly once (templates can overlap by chance)
    claims = [c for c in doc.claims if text.count(c["quote"]) == 1]
    art = out / "articles"
    (art / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
    meta = {"kind": "article", "text": f"{name}.txt", "title": title, "author": author["id"],
            "publisher": publisher["id"], "date": date}
    _dump(art / f"{name}.meta.yaml", meta)
    _dump(art / f"{name}.claims.yaml", claims)
    return len(claims)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8", newline="\n")


def write_treaty(treaty: dict, out: Path) -> int:
    lines = [f"{treaty['label']}", "", f"Done at Geneva in {treaty['year']}.", ""]
    claims = []
    for pid, number, title, obligation in treaty["provisions"]:
        heading = f"Article {number}\n{title}"
        duty = (f"Each State Party to the {treaty['label']} shall, under article {number}, "
                f"{obligation['phrase']}.")
        lines += [heading, "", duty, "", "[...]", ""]
        claims.append(_claim(pid, "provisionOf", object=treaty["id"], quote=heading))
        claims.append(_claim(pid, "establishesObligation", object=obligation["id"], quote=duty))
    directory = out / "treaties"
    (directory / f"{treaty['id']}.txt").write_text("\n".join(lines), encoding="utf-8", newline="\n")
    _dump(directory / f"{treaty['id']}.meta.yaml",
          {"kind": "treaty-text", "text": f"{treaty['id']}.txt", "title": f"{treaty['label']}, excerpts",
           "author": None, "publisher": "igo-000", "date": str(treaty["year"]),
           "date_note": "year of adoption", "treaty": treaty["id"]})
    _dump(directory / f"{treaty['id']}.claims.yaml", claims)
    return len(claims)


def write_record(world: World, rng: random.Random, out: Path) -> int:
    rows = ["state,treaty,status,date,signature_date,authority,checked"]
    for s in world.states:
        for t in world.treaties:
            if rng.random() >= 0.05:   # the record covers about 5% of state-treaty pairs
                continue
            if t["id"] in s.treaties:
                mode, year = s.treaties[t["id"]]
                rows.append(f"{s.label},{t['id']},{mode},{year}-{1 + rng.randrange(12):02d}-"
                            f"{1 + rng.randrange(28):02d},,synthetic depositary record,generated")
            else:
                rows.append(f"{s.label},{t['id']},not-party,,,synthetic depositary record,generated")
    directory = out / "reference"
    (directory / "treaty-participation.csv").write_text("\n".join(rows) + "\n", encoding="utf-8",
                                                         newline="\n")
    _dump(directory / "treaty-participation.meta.yaml",
          {"kind": "reference-record", "format": "treaty-participation-csv",
           "text": "treaty-participation.csv", "title": "Participation in the synthetic treaties",
           "author": "igo-000", "publisher": "igo-000", "date": None,
           "date_note": "generated by bench/make_corpus.py"})
    return len(rows) - 1


def make_corpus(out: Path, *, docs: int, seed: int = 1) -> Path:
    """Write a synthetic corpus of ``docs`` articles under ``out`` (created; must not hold a
    corpus already). Returns ``out``. Deterministic for a seed."""
    out = Path(out)
    for sub in ("articles", "treaties", "reference"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = make_world(rng)
    extra: list[dict] = []
    claims = sum(write_treaty(t, out) for t in world.treaties)
    for index in range(docs):
        claims += write_article(world, random.Random(f"{seed}-{index}"), index, out, extra)
    write_record(world, random.Random(f"{seed}-record"), out)
    keep = ("id", "type", "label", "aliases")
    registry = [{k: e[k] for k in keep if k in e} for e in world.entities + extra]
    (out / "entities.yaml").write_text(
        "# Synthetic registry written by bench/make_corpus.py. Format: sources/README.md.\n"
        + yaml.safe_dump(registry, sort_keys=False, allow_unicode=True, width=1000),
        encoding="utf-8", newline="\n")
    ids = [e["id"] for e in registry]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    names = [n.casefold() for e in registry for n in [e["label"], *e.get("aliases", [])]]
    assert len(names) == len(set(names)), "a label or alias names two entities"
    assert claims == claims_written(out)
    return out


def claims_written(out: Path) -> int:
    """How many curated claims (articles + treaties) make_corpus wrote under ``out``."""
    return sum(len(yaml.safe_load(p.read_text(encoding="utf-8")) or [])
               for p in sorted(Path(out).glob("*/*.claims.yaml")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make_corpus(args.out, docs=args.docs, seed=args.seed)
    print(f"{args.out}: {args.docs} articles, {len(list((args.out / 'treaties').glob('*.txt')))} "
          f"treaties, {claims_written(args.out)} curated claims")


if __name__ == "__main__":
    main()
