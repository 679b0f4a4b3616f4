"""The chat's building blocks (``app.py`` wires them into Gradio).

* :mod:`assistant.ui.cards`: HTML for answers, citation cards and related reading (pure).
* :mod:`assistant.ui.chat`: the functions the chat calls (ask, filters, follow-ups, errors).
* :mod:`assistant.ui.corpus`: the corpus tab (overview, recent articles, uploads).
* :mod:`assistant.ui.style`: theme, CSS and the small script that links ``[n]`` to its card.

Nothing here imports gradio at module level, so ``import assistant.ui.*`` stays light and the
rendering is testable without a browser.
"""
