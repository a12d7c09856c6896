"""threading — threads on stmvm's _thread (OS threads running bytecode in transactions)."""
import _thread
import _transaction
import sys
from time import monotonic as _time

_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
get_ident = _thread.get_ident
Lock = _thread.allocate_lock
ThreadError = RuntimeError
TIMEOUT_MAX = _thread.TIMEOUT_MAX


class RLock:
    """A reentrant lock: the owning thread may acquire it again."""

    def __init__(self):
        self._block = _allocate_lock()
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        me = get_ident()
        if self._owner == me:
            self._count += 1
            return True
        if not self._block.acquire(blocking, timeout):
            return False
        self._owner = me
        self._count = 1
        return True

    __enter__ = acquire

    def release(self):
        if self._owner != get_ident():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if not self._count:
            self._owner = None
            self._block.release()

    def __exit__(self, *args):
        self.release()

    def _is_owned(self):
        return self._owner == get_ident()


class Condition:
    def __init__(self, lock=None):
        self._lock = RLock() if lock is None else lock
        self._waiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def acquire(self, *args):
        return self._lock.acquire(*args)

    def release(self):
        self._lock.release()

    def _release_save(self):
        if isinstance(self._lock, RLock):
            state = (self._lock._owner, self._lock._count)
            self._lock._owner, self._lock._count = None, 0
            self._lock._block.release()
            return state
        self._lock.release()
        return None

    def _acquire_restore(self, state):
        if isinstance(self._lock, RLock):
            self._lock._block.acquire()
            self._lock._owner, self._lock._count = state
        else:
            self._lock.acquire()

    def wait(self, timeout=None):
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        saved = self._release_save()
        gotit = False
        try:
            if timeout is None:
                waiter.acquire()
                gotit = True
            elif timeout > 0:
                gotit = waiter.acquire(True, timeout)
            else:
                gotit = waiter.acquire(False)
            return gotit
        finally:
            self._acquire_restore(saved)
            if not gotit:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _time() + waittime
                else:
                    waittime = endtime - _time()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        waiters = self._waiters[:n]
        del self._waiters[:n]
        for waiter in waiters:
            waiter.release()

    def notify_all(self):
        self.notify(len(self._waiters))


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        endtime = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    return False
                if timeout is not None:
                    if endtime is None:
                        endtime = _time() + timeout
                    else:
                        timeout = endtime - _time()
                        if timeout <= 0:
                            return False
                self._cond.wait(timeout)
            self._value -= 1
            return True

    __enter__ = acquire

    def release(self, n=1):
        with self._cond:
            self._value += n
            self._cond.notify(n)

    def __exit__(self, *args):
        self.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def release(self, n=1):
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            self._cond.notify(n)


class Event:
    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def is_set(self):
        return self._flag

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            if not self._flag:
                self._cond.wait(timeout)
            return self._flag


# Thread-local attributes: each thread's namespace is an object only that thread touches, so
# threads using the same local never conflict (see mod_transaction.c).
local = _transaction.local


_active = {}            # ident -> Thread
_counter = [0]


def _newname(template="Thread-%d"):
    _counter[0] += 1
    return template % _counter[0]


class Thread:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        self._target = target
        self._args = args
        self._kwargs = {} if kwargs is None else kwargs
        if name is None:
            name = _newname()
            if target is not None:
                tname = getattr(target, "__name__", None)
                if tname:
                    name = "%s (%s)" % (name, tname)
        self._name = str(name)
        self._daemon = current_thread().daemon if daemon is None else daemon
        self._ident = None
        self._started = False
        self._done = _allocate_lock()

    def start(self):
        if self._started:
            raise RuntimeError("threads can only be started once")
        self._started = True
        self._done.acquire()
        self._ident = _start_new_thread(self._bootstrap, ())
        _active[self._ident] = self

    def _bootstrap(self):
        try:
            self.run()
        except SystemExit:
            pass
        except BaseException as exc:
            print("Exception in thread %s:" % self._name, file=sys.stderr)
            _print_exc(exc)
        finally:
            _active.pop(self._ident, None)
            self._done.release()

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def join(self, timeout=None):
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if timeout is None:
            self._done.acquire()
            self._done.release()
        elif self._done.acquire(True, max(timeout, 0)):
            self._done.release()

    def is_alive(self):
        return self._started and self._done.locked()

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = str(value)

    @property
    def ident(self):
        return self._ident

    native_id = ident

    @property
    def daemon(self):
        return self._daemon

    @daemon.setter
    def daemon(self, value):
        if self._started:
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemon = value

    def getName(self):
        return self._name

    def setName(self, name):
        self._name = str(name)

    def isDaemon(self):
        return self._daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def __repr__(self):
        status = "started" if self.is_alive() else ("stopped" if self._started else "initial")
        return "<%s(%s, %s)>" % (type(self).__name__, self._name, status)


def _print_exc(exc):
    tb = getattr(exc, "__traceback__", None)
    print("Traceback (most recent call last):", file=sys.stderr)
    if isinstance(tb, list):
        for filename, line, func in reversed(tb):
            print('  File "%s", line %d, in %s' % (filename, line, func), file=sys.stderr)
    msg = str(exc)
    print("%s: %s" % (type(exc).__name__, msg) if msg else type(exc).__name__, file=sys.stderr)


class _MainThread(Thread):
    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._started = True
        self._ident = get_ident()
        self._done.acquire()


class _DummyThread(Thread):
    def __init__(self, ident):
        Thread.__init__(self, name="Dummy-%d" % ident, daemon=True)
        self._started = True
        self._ident = ident
        self._done.acquire()


_main_thread = _MainThread()
_active[_main_thread._ident] = _main_thread


def current_thread():
    me = get_ident()
    t = _active.get(me)
    if t is None:
        t = _DummyThread(me)
    return t


currentThread = current_thread


def main_thread():
    return _main_thread


def active_count():
    return len(_active)


activeCount = active_count


def enumerate():
    return list(_active.values())


def _shutdown():
    for t in list(_active.values()):
        if t is not _main_thread and not t.daemon and t._started:
            t.join()
