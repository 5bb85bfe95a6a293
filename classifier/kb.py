"""Knowledge-base search: BM25 over jieba words and character bigrams of questions and answers."""

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from scipy import sparse

from .text import normalize
from .tokenizer import tokenize


@dataclass(frozen=True)
class KBHit:
    """One search result: the entry id and its relevance score."""

    id: str
    score: float


def kb_terms(text: str) -> list[str]:
    """Return the index terms of a text: jieba words plus character bigrams."""
    norm = normalize(text)
    words = tokenize(norm)
    # Bigrams rescue matches that jieba segments differently in query and entry.
    chars = [c for c in norm if c.isalnum()]
    return words + ["#" + a + b for a, b in zip(chars, chars[1:])]


class _BM25Field:
    """BM25 term weights of one text field, stored as a sparse doc-term matrix."""

    def __init__(self, docs: list[list[str]], vocab: dict, k1: float, b: float):
        """Build the weight matrix for tokenised ``docs`` over ``vocab`` (which grows)."""
        rows, cols, vals = [], [], []
        lengths = np.array([len(d) for d in docs], dtype=float)
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                rows.append(i)
                cols.append(vocab.setdefault(term, len(vocab)))
                vals.append(tf)
        self.n_docs = len(docs)
        self.tf = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=float)
        self.lengths = lengths
        self.k1, self.b = k1, b

    def weights(self, n_terms: int) -> sparse.csc_matrix:
        """Return the (docs x terms) BM25 weight matrix padded to ``n_terms`` columns."""
        tf = self.tf.copy()
        tf.resize((self.n_docs, n_terms))
        df = np.bincount(tf.indices, minlength=n_terms)
        idf = np.log1p((self.n_docs - df + 0.5) / (df + 0.5))
        avg = self.lengths.mean() if self.n_docs and self.lengths.mean() > 0 else 1.0
        norm = self.k1 * (1 - self.b + self.b * self.lengths / avg)
        tf = tf.tocoo()
        w = tf.data * (self.k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        # Column-major so a query touches only the columns of its own terms.
        return sparse.csc_matrix((w, (tf.row, tf.col)), shape=tf.shape)


class KnowledgeBase:
    """Rank knowledge-base entries for a query with BM25.

    Questions and answers are indexed as separate fields; a match in the
    question counts fully and a match in the answer with weight ``answer_weight``.

    Parameters
    ----------
    entries : iterable of (id, question, answer, department)
    k1, b : float
        BM25 parameters.
    answer_weight : float, default 0.6
        Relative weight of the answer field.
    """

    def __init__(self, entries: Iterable, k1: float = 1.2, b: float = 0.75, answer_weight: float = 0.6):
        """Index the entries (consumed once, so any iterable works)."""
        self.k1 = k1
        self.b = b
        self.answer_weight = answer_weight
        items = [tuple(e) for e in entries]
        bad = [i for i, e in enumerate(items) if len(e) != 4]
        if bad:
            raise ValueError(f"entries must be (id, question, answer, department); bad at index {bad[0]}")
        self.ids_ = [str(e[0]) for e in items]
        self.departments_ = {str(e[0]): e[3] for e in items}
        self.vocab_: dict[str, int] = {}
        q_field = _BM25Field([kb_terms(e[1] or "") for e in items], self.vocab_, k1, b)
        a_field = _BM25Field([kb_terms(e[2] or "") for e in items], self.vocab_, k1, b)
        n_terms = len(self.vocab_)
        self.weights_ = (q_field.weights(n_terms) + answer_weight * a_field.weights(n_terms)).tocsc()

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self.ids_)

    def department(self, entry_id: str):
        """Return the department recorded for an entry id."""
        return self.departments_[entry_id]

    def search(self, query: str, limit: int = 5) -> list[KBHit]:
        """Return up to ``limit`` entries best matching ``query``.

        Parameters
        ----------
        query : str
        limit : int, default 5

        Returns
        -------
        list of KBHit
            Sorted by decreasing score, only entries sharing a term with the
            query; empty for an empty or blank query.
        """
        if not query or limit < 1 or not self.ids_:
            return []
        counts = Counter(t for t in kb_terms(query) if t in self.vocab_)
        if not counts:
            return []
        cols = np.fromiter((self.vocab_[t] for t in counts), dtype=np.int64)
        qtf = np.fromiter(counts.values(), dtype=float)
        scores = self.weights_[:, cols] @ qtf
        hit = np.flatnonzero(scores > 0)
        if hit.size > limit:
            hit = hit[np.argpartition(-scores[hit], limit - 1)[:limit]]
        hit = hit[np.lexsort((hit, -scores[hit]))]  # score desc, then insertion order
        return [KBHit(self.ids_[i], float(scores[i])) for i in hit]
