"""Model adapters: embedder, cross-encoder reranker, named-entity recogniser.

Each is a small protocol with one implementation over a packaged model; the heavy library
(torch, onnxruntime, spaCy) is imported when the model is first used, never at import time.
"""
