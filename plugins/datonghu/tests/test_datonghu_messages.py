"""The datonghu plug-in's own messages: both languages, the same placeholders, in the catalog."""

from __future__ import annotations

import string

from xfrules.i18n import MESSAGES
from xfrules_datonghu.messages import MESSAGES as OWN


def test_the_plug_ins_messages_are_in_the_catalog_in_both_languages() -> None:
    assert OWN and all(key.startswith("datonghu.") for key in OWN)
    for key, (zh, en) in OWN.items():
        assert MESSAGES[key] == (zh, en)
        names = [sorted(f for _, f, _, _ in string.Formatter().parse(t) if f) for t in (zh, en)]
        assert names[0] == names[1], key
