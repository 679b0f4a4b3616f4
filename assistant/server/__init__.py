"""Byline's servers: the HTTP API (``http``: REST, OpenAI-compatible chat completions, the
Gradio chat mounted at ``/chat``) and the MCP server over stdio (``mcp``).

Nothing is imported here on purpose: FastAPI, Gradio and the MCP SDK load only when a
server starts, so ``import assistant`` and ``byline --help`` stay fast.
"""
