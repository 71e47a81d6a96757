"""Keeping untrusted card text from steering the terminal.

Deck text arrives by pull request; an escape sequence in a card must not reach the screen as a
control code, so everything shown is passed through here first.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI as \x9b).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """Text with control characters (ESC, CSI, BEL, ...) shown as visible placeholders."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
