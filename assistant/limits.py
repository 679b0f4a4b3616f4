"""Every bound on what a caller may ask for, written once. The engine enforces them; each
face (CLI options, HTTP schemas, MCP input schemas) states the same numbers by
importing them, so a change here changes every way in.
"""

from __future__ import annotations

# A question, after collapsing spaces. Far above real questions; dateparser and spaCy
# cost time per character under the engine lock.
MAX_QUESTION_CHARS = 2000
# The follow-up rewriter reads the last few user turns and the opening of the last reply;
# a longer history only costs time (spaCy and dateparser chew on all of it under the lock).
MAX_HISTORY_ITEMS = 12
MAX_HISTORY_ITEM_CHARS = MAX_QUESTION_CHARS
# Passages listed with an answer (related reading) and returned by a search.
MAX_ASK_K = 50
MAX_SEARCH_K = 100
# Articles in one page of the corpus listing.
MAX_PAGE = 500
