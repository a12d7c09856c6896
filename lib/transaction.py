"""transaction — CPython/PyPy fallback of stmvm's built-in module, with the same API.

On stmvm, `import transaction` gets the native module (atomic = one uninterrupted transaction).
Put this directory on PYTHONPATH to run the same programs under CPython or PyPy: there `atomic`
is one global reentrant lock, which every atomic block takes (so atomic blocks exclude each
other; under a GIL that is the behaviour programs can rely on).
"""
import os
import threading
import time as _time

_lock = threading.RLock()
_depth = threading.local()


class _Atomic:
    def __enter__(self):
        _lock.acquire()
        _depth.n = getattr(_depth, "n", 0) + 1
        return self

    def __exit__(self, *exc):
        _depth.n -= 1
        _lock.release()
        return False

    def __repr__(self):
        return "<transaction.atomic>"


atomic = _Atomic()


def is_atomic():
    return getattr(_depth, "n", 0) > 0


def hint_commit_soon():
    pass


_segments = [os.cpu_count() or 1]


def getsegmentlimit():
    return _segments[0]


def setsegmentlimit(n):
    if n < 1:
        raise ValueError("segment limit must be >= 1")
    _segments[0] = n


def time():
    return _time.time()


def clock():
    return _time.monotonic()


def stats():
    empty = {"commits": 0, "aborts": 0}
    return {"thread": dict(empty), "global": dict(empty)}
