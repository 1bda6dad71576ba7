"""A tiny corpus whose title, entity label, quote and note carry markup and quote characters."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SmallCorpus

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
LABEL = f"Arcadia {SCRIPT} \"Land\" 'of' </script> <!-- & co"
TITLE = f"Arcadia {IMG} and \"refugees\" {SCRIPT}"
QUOTE = f"Arcadia acceded {IMG} to the \"Refugee Convention\" {SCRIPT} in 1990."


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(root: Path) -> SmallCorpus:
    corpus = SmallCorpus(root)
    corpus.write("entities.yaml", f"""\
- id: arcadia
  type: State
  label: {_yaml(LABEL)}
  aliases: [{_yaml(IMG)}]
  note: {_yaml("note " + SCRIPT)}
- id: unhcr
  type: IntergovernmentalOrganization
  label: UNHCR
- id: refugee-convention-1951
  type: Treaty
  label: Refugee Convention
""")
    corpus.write("articles/a1.txt", f"Intro. {QUOTE}\nArcadia lets the UN Refugee Agency work.\n")
    corpus.write("articles/a1.meta.yaml", f"""\
kind: article
text: a1.txt
title: {_yaml(TITLE)}
author: null
publisher: null
date: "2020-05-01"
""")
    corpus.write("articles/a1.claims.yaml", f"""\
- subject: arcadia
  predicate: partyTo
  object: refugee-convention-1951
  mode: accession
  date: "1990"
  quote: {_yaml(QUOTE)}
  note: {_yaml(IMG)}
- subject: arcadia
  predicate: allowsAccessTo
  object: unhcr
  quote: Arcadia lets the UN Refugee Agency work.
""")
    return corpus
