"""Route 12345 hotline tickets to a problem domain and search the knowledge base.

Public API: ``train``/``TrainedModel`` build a model, ``Router`` serves it,
``evaluate`` scores it, ``KnowledgeBase`` answers consultations.
"""

from .data import load_labelled_csv
from .errors import DataError, ModelError
from .evaluate import evaluate
from .kb import KBHit, KnowledgeBase
from .router import Candidate, Router
from .tokenizer import tokenize
from .train import TrainedModel, train

__all__ = [
    "Candidate",
    "DataError",
    "KBHit",
    "KnowledgeBase",
    "ModelError",
    "Router",
    "TrainedModel",
    "evaluate",
    "load_labelled_csv",
    "tokenize",
    "train",
]
