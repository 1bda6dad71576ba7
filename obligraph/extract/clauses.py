"""Clauses that make an act not asserted or not the act (candidates.py): a condition before the
main clause ("If X deports them, it will …"), a relative clause after the act (", whom X accuses
of …"), a negative quantifier on its people ("has deported no Uyghurs", "No Rohingya have been …");
and two shapes the subject and the stance both read: a passive right before a trigger ("was
returned") and an aside between commas (", which has an office in Pakistan,")."""

from __future__ import annotations

import re

# a condition before the main clause; not a reduced "If caught, they are …"
IF_OPENING = re.compile(r"\W*(?:if|unless|even if|should|were|had)\s+(?!(?:\w+ed|\w+en|caught|found|sent|held|kept|"
                        r"put|so|not|necessary|possible)\b)[^,;]{3,120}?,")
RELATIVE_AFTER = re.compile(r",\s*(?:whom|who|which|whose)\b")
# a negative quantifier on the people of an act: none of them was returned
NONE_OPENING = re.compile(r"\W*(?:(?:since|in|by|until)\s+[^,]{1,30},\s*)?(?:no|not a single|not one)\s+(?!longer\b|doubt\b|sooner\b)"
                          r"(?:[\w-]+\s+){1,4}?(?:(?:who|whom|that)\s+[^,;\"”]{1,60}?\s+)?"  # "No one who asked X for …"
                          r"(?:has|have|had|was|were|is|are)\s+(?:(?:been|being|ever|yet|since)\s+)*(?:\w+ly\s+)?")
NONE_AFTER = re.compile(r"\s+(?:no|not a single|not one|none of (?:the|them|these|those))\b(?!\s+(?:longer|fewer|less)\b)")
PASSIVE = re.compile(r"(?<![\w])(?:been|was|were|is|are|being|be|get|got)\s+(?:(?:\w+ly|both|all|also|each)\s+)?$")
ASIDE = re.compile(r",\s*(?:which|who|whose|where|when)\b[^,;]*,")
