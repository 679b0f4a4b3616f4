"""Byline's errors. Front ends translate them once: the CLI prints the message and exits
non-zero, the HTTP API answers with a JSON body and the status below, the chat shows a message.

    BylineError                    base; status 500
    ├── InvalidRequest             the caller asked for something malformed; 400
    │   └── EmptyQuestion          a blank question
    ├── NotFound                   an unknown article or resource; 404
    ├── EmptyIndex                 nothing ingested yet; 409, says how to ingest
    ├── Busy                       the engine stayed busy past the wait limit; 503
    ├── ConfigError                a setting names a missing model or bad value; 500
    └── IngestError                one input could not be read; reported, never fatal
"""

from __future__ import annotations


class BylineError(Exception):
    """Base of every error Byline raises on purpose."""

    status_code = 500


class InvalidRequest(BylineError, ValueError):
    status_code = 400


class EmptyQuestion(InvalidRequest):
    def __init__(self) -> None:
        super().__init__("The question is empty: type a question about the news.")


class NotFound(BylineError, LookupError):
    status_code = 404


class EmptyIndex(BylineError):
    status_code = 409

    def __init__(self, data_dir: object) -> None:
        super().__init__(
            f"The index in {data_dir} holds no articles yet. Add some with "
            "`byline ingest PATH...` (for example `byline ingest data/demo`)."
        )
        # For callers on another machine: the server's folders are none of their business.
        self.public_message = ("The index holds no articles yet. Add some with POST "
                               "/v1/articles, or `byline ingest PATH...` on the server.")


class ConfigError(BylineError):
    status_code = 500


class Busy(BylineError):
    """Every model was busy with other questions for longer than the caller may wait.
    ``retry_after``: seconds after which trying again is reasonable."""

    status_code = 503

    def __init__(self, waited: float, retry_after: int) -> None:
        super().__init__(
            f"Byline is busy answering other questions (waited {waited:g} s); "
            f"try again in {retry_after} s."
        )
        self.retry_after = retry_after


class IngestError(BylineError):
    """One input (a file, a line, a record) could not be ingested.

    ``location`` is ``path`` or ``path:line``; ``reason`` says what was wrong with it.
    """

    status_code = 400

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason
