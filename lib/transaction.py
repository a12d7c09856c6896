"""transaction — atomic blocks, TransactionQueue and local, the same API on stmvm, CPython and PyPy.

On stmvm the primitives come from the native `_transaction` module: `atomic` runs its block in
one uninterrupted transaction, `local` keeps each thread's attributes in objects only that thread
touches.  Elsewhere (put this directory on PYTHONPATH to run the same programs under CPython or
PyPy) they are defined here: `atomic` is one global reentrant lock that every atomic block takes
(so atomic blocks exclude each other; under a GIL that is the behaviour programs can rely on) and
`local` is threading.local.  TransactionQueue is written once, below, on top of those names.
"""
import threading

try:
    from _transaction import (atomic, is_atomic, hint_commit_soon, getsegmentlimit,
                              setsegmentlimit, time, clock, stats, local, _can_commit)
except ImportError:
    import os
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
    local = threading.local

    def is_atomic():
        return getattr(_depth, "n", 0) > 0

    def hint_commit_soon():
        pass

    def _can_commit():
        return True

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

    # The same keys as stmvm's statistics; there are no transactions here, so all are zero.
    _STAT_KEYS = ("commits", "inevitable_commits", "aborts", "ns_committed", "ns_aborted",
                  "ns_waiting", "ns_gc", "minor_gcs", "major_gcs", "aborts_write_write",
                  "aborts_read_write", "aborts_inevitable", "aborts_explicit", "aborts_other")

    def stats():
        return {"thread": dict.fromkeys(_STAT_KEYS, 0), "global": dict.fromkeys(_STAT_KEYS, 0)}


# ---------------------------------------------------------------------------------------------
# TransactionQueue
#
# Guarantees: every unit (a call queued by add(), or one step of a generator queued by
# add_generator()) runs inside `with atomic:`, so the final state is the one some serial order of
# the units would give.  run() returns when the queue is empty and every worker is idle; units
# added by running units (through the same queue's add) run in the same run().  If units raise,
# the others still run (the whole queue drains), then run() re-raises the exception of the first
# unit that failed (in commit order); the effects of a unit that raised, including the units it
# added, are kept, as they would be after a serial `try: f() except: ...`.
#
# How it stays parallel on stmvm: a unit's transaction touches no shared bookkeeping.  Units a
# running unit adds go to that worker's private buffer (in a `local`), and the shared queue and
# counters are only read and written in short atomic sections between units; each section and
# each unit ends with hint_commit_soon() followed by the loop's backward jump, where the
# interpreter commits, so the two never share a transaction.  An idle worker waits on its own
# lock, outside any transaction, until a worker that queues new units (or finishes the run)
# releases it.

_worker = local()           # in a worker of run(): .queue (its TransactionQueue), .buf (added units)


class _Units:
    """A FIFO of units in blocks of at most 64.  On stmvm the first write to an object in a
    transaction copies the whole object, so a push or a pop must write only small objects (a
    deque or list of all the units would be copied at every step)."""

    def __init__(self):
        self.head = self.tail = [[], None]      # a block: [units, next block]
        self.pos = 0                            # next unit in the head block
        self.count = 0

    def push(self, unit):
        tail = self.tail
        if len(tail[0]) == 64:
            self.tail = tail[1] = [[unit], None]
        else:
            tail[0].append(unit)
        self.count += 1

    def pop(self):
        head = self.head
        if self.pos == len(head[0]):
            head = self.head = head[1]
            self.pos = 0
        unit = head[0][self.pos]
        self.pos += 1
        self.count -= 1
        return unit


class _Run:
    """Shared state of one run(): read and written only in the short sections between units."""

    def __init__(self, units):
        self.units = units          # _Units waiting for a worker
        self.busy = 0               # workers between taking a unit and counting it done
        self.done = False
        self.waiters = []           # held locks of idle workers: releasing one wakes its worker


def _wake(run, n):
    while n > 0 and run.waiters:
        run.waiters.pop().release()
        n -= 1


def _work(queue, run, error):
    _worker.queue = queue
    buf = _worker.buf = []
    me = threading.Lock()
    unit = None
    ran = False                     # a unit has committed since the last section
    while True:
        if unit is None:
            idle = False
            with atomic:
                if ran:
                    run.busy -= 1
                    ran = False
                if buf:
                    for u in buf:
                        run.units.push(u)
                    _wake(run, len(buf))
                    del buf[:]
                if run.units.count:
                    unit = run.units.pop()
                    run.busy += 1
                elif run.busy == 0:
                    run.done = True
                    _wake(run, len(run.waiters))
                else:
                    me.acquire()            # free: ours
                    run.waiters.append(me)
                    idle = True
            if unit is None and not idle:
                break
            if idle:
                me.acquire()                # until released by _wake (waits outside transactions)
                me.release()
            hint_commit_soon()
            continue                        # commits here: the next unit starts a new transaction
        f, args, kw = unit
        with atomic:
            try:
                f(*args, **kw)
            except BaseException as e:
                if error[0] is None:
                    error[0] = e
        unit = None
        ran = True
        hint_commit_soon()                  # the backward jump commits the unit
    _worker.queue = None


def _generator_step(queue, it, end=object()):
    if next(it, end) is not end:
        queue.add(_generator_step, queue, it)


class TransactionQueue:
    """A queue of calls run in parallel by run(), each as one atomic unit."""

    def __init__(self):
        self._pending = _Units()    # units waiting for the next run()
        self._run = None            # the _Run in progress

    def add(self, f, *args, **kw):
        """Queue f(*args, **kw); from inside a unit of this queue it runs in the same run()."""
        if not callable(f):
            raise TypeError("'%s' object is not callable" % type(f).__name__)
        unit = (f, args, kw)
        if getattr(_worker, "queue", None) is self:
            _worker.buf.append(unit)        # private until the unit commits (see _work)
            return
        with atomic:
            run = self._run
            if run is not None and not run.done:
                run.units.push(unit)
                _wake(run, 1)
            else:
                self._pending.push(unit)

    def add_generator(self, gen):
        """Queue a generator (any iterator): each next() is one unit, then the rest is re-queued."""
        self.add(_generator_step, self, iter(gen))

    def run(self, nthreads=None):
        """Run the queued units on nthreads worker threads (default: getsegmentlimit()) until
        the queue is empty and all workers are idle; then re-raise the first unit's exception."""
        if nthreads is None:
            nthreads = getsegmentlimit()
        elif not isinstance(nthreads, int) or isinstance(nthreads, bool):
            raise TypeError("nthreads must be an int or None")
        elif nthreads < 1:
            raise ValueError("nthreads must be >= 1")
        if is_atomic() or getattr(_worker, "queue", None) is not None:
            raise RuntimeError("TransactionQueue.run() called from inside an atomic block or a unit")
        with atomic:
            if self._run is not None:
                raise RuntimeError("TransactionQueue.run() is already running")
            run = self._run = _Run(self._pending)
            self._pending = _Units()
        error = [None]
        if _can_commit():
            workers = [threading.Thread(target=_work, args=(self, run, error), daemon=True)
                       for _ in range(nthreads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
        else:
            # stmvm, called from code run by C (exec, a key= function...): this thread's
            # transaction cannot commit, so new threads would never start.  Run the units here,
            # one after the other (a serial order, as promised).
            try:
                _work(self, run, error)
            finally:
                _worker.queue = None
        with atomic:
            self._run = None
            while run.units.count:              # added from outside as the run was ending
                self._pending.push(run.units.pop())
        if error[0] is not None:
            raise error[0]
