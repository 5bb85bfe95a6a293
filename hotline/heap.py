"""Keep what start-up built out of the cyclic garbage collector's full collections.

A full (generation 2) collection walks every tracked object alive: the modules, the app, the model and
jieba's dictionary. Measured on the 1 M scale database, one runs about every 18 inbox pages and takes
70–130 ms there, 250–320 ms in the scale bench (the model loaded): the inbox's p99 was that pause,
not its queries. Objects alive at start-up live as long as the process, so they are frozen out of it.
"""
from __future__ import annotations

import gc


def freeze_start_up() -> None:
    """Collect once, then move every object alive now into the permanent generation (never walked again).

    Call it after the app and the model are built (wsgi.py; before gunicorn forks, the frozen objects are
    also not written to by the workers' collections, so their memory pages stay shared).
    """
    gc.collect()
    gc.freeze()
