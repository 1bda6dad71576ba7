"""How well `obligraph extract` proposes new entities: each development batch's articles read with
the bundled registry alone, the proposals against the entities the batch's own registry adds
(organisations, people, places and states its gold claims need, mentioned in the article by label
or alias). A proposal matches an entity it shares a name with; "typed" counts matches of the same
type. Proposals that match none are listed ("extra": most are bodies, places and people the gold
did not need), and so are the entities no proposal names ("MISSED") and wrong types ("TYPE").

    python bench/proposals.py tests/extraction/dev tests/extraction/unseen2 …
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from obligraph.cli import _registry  # noqa: E402
from obligraph.corpus.sources import read_registry  # noqa: E402
from obligraph.extract.candidates import extract_all  # noqa: E402

TYPES = {"NGO", "GovernmentBody", "IntergovernmentalOrganization", "Person", "Place", "State"}


def names(entity) -> set[str]:
    return {n.lower() for n in (entity.label, *entity.aliases)}


def main(folders: list[str]) -> None:
    base, vocabulary = _registry(ROOT / "sources")
    base_ids = {e.id for e in base}
    total = Counter()
    for folder in map(Path, folders):
        extra = [e for e in read_registry(folder, vocabulary) if e.type in TYPES and e.id not in base_ids] \
            if (folder / "entities.yaml").exists() else []
        for text_path in sorted(folder.glob("*.txt")):
            text = text_path.read_text(encoding="utf-8")
            gold = [e for e in extra if any(n in text for n in (e.label, *e.aliases))]
            proposed = extract_all(text, base, source_id=text_path.stem).new_entities
            hits = [(p, g) for p in proposed for g in gold if names(p) & names(g)]
            total.update(proposed=len(proposed), gold=len(gold), matched=len({p.id for p, _ in hits}),
                         found=len({g.id for _, g in hits}),
                         typed=len({p.id for p, g in hits if p.type == g.type}))
            where = f"{folder.name}/{text_path.name}"
            for p in proposed:
                if not any(p is q for q, _ in hits):
                    print(f"  {where} extra {p.type} {p.label}")
            for g in gold:
                if not any(g is h for _, h in hits):
                    print(f"  {where} MISSED {g.type} {g.label}")
            for p, g in hits:
                if p.type != g.type:
                    print(f"  {where} TYPE {p.label}: {p.type}, gold {g.type}")
    print(f"{total['proposed']} proposals; of the {total['gold']} entities the batches' registries add, "
          f"{total['found']} proposed ({total['typed']} proposals of the right type)")


if __name__ == "__main__":
    main(sys.argv[1:])
