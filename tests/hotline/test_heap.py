"""Start-up's objects frozen out of the full collections (hotline/heap.py)."""
import gc
import weakref

from hotline.heap import freeze_start_up


class Node:
    """A tracked object that can hold a cycle and be watched by a weak reference."""


def test_start_up_objects_leave_the_collections_and_garbage_before_them_is_collected():
    alive = Node()
    garbage = Node()
    garbage.me = garbage  # only a collection frees a cycle: it must be freed, not frozen with the living
    gone = weakref.ref(garbage)
    del garbage
    try:
        freeze_start_up()
        assert gone() is None
        assert gc.get_freeze_count() > 0
        assert not any(o is alive for o in gc.get_objects())  # never walked by a collection again
    finally:
        gc.unfreeze()
    assert any(o is alive for o in gc.get_objects())
