"""Text cleaning: repair encoding damage, normalise Unicode and whitespace, drop boilerplate.

ftfy repairs mojibake ("â€™" -> "’") and HTML entities and applies NFC; quotes and dashes
are left as written, so a sentence copied from the source still matches the stored body.
Boilerplate is removed a paragraph at a time, and only short paragraphs that match a known
promotional or navigational pattern, so article prose is never cut.
"""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(
    r"""^(
        advertisement | advertising | sponsored(\ content)? | skip\ to\ (main\ )?content
      | (story\ )?continues\ below(\ advertisement)?
      | (read|see|watch)\ (more|also|next)\b.* | related(\ (stories|articles|coverage|content|links))?\ ?:.*
      | (click|tap)\ here\b.* | share\ (this|on)\b.* | follow\ us\ on\b.*
      | (sign\ up|subscribe)\b.*(newsletter|inbox|email|free|today|now|daily).*
      | .*\bsubscribe\ &\ save\b.* | get\ the\ .*\bnewsletter\b.*
      | need\ a\ news\ break\?.* | looking\ for\ a\ free\ mini\ puzzle\?.*
      | play\ the\ .*\b(puzzle|crossword|quick\ cross)\b.*
      | .*\bescape\ your\ echo\ chamber\b.*
      | (copyright\ )?(©|\(c\))\ ?\d{4}.* | copyright\ \d{4}.* | all\ rights\ reserved\.?
      | (this\ (story|article)\ (has\ been|was)\ updated|updated|published)\b.{0,60}\b(et|gmt|utc|edt|est|pt)\.?
      | [A-Z]{2,}\ —
      | image:\ .* | photo:\ .* | (getty\ images|ap\ photo|reuters)\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_BOILERPLATE_LENGTH = 200
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible characters, and the bidirectional embedding/override/isolate controls: an
# article text with U+202E would show its quotes reversed in citation cards (a spoofing
# trick); the implicit marks U+200E/U+200F that right-to-left text needs are kept.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def clean_text(text: str) -> str:
    """Repaired, normalised text; paragraphs separated by exactly one blank line."""
    import ftfy

    text = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=True,
        fix_character_width=False,
        normalization="NFC",
    )
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in paragraph.split("\n")]
        lines = [line for line in lines if line and not is_boilerplate(line)]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def clean_line(text: str | None) -> str | None:
    """A one-line field (title, author, outlet): cleaned and collapsed, None if blank."""
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", clean_text(str(text)).replace("\n", " ")).strip()
    return cleaned or None


def is_boilerplate(line: str) -> bool:
    return len(line) <= _MAX_BOILERPLATE_LENGTH and bool(_BOILERPLATE.match(line))
