# Waits with timeouts: lock, Condition, Event, Semaphore, Thread.join, sleep — each outcome is
# forced (a lock nobody releases, an event set later), so the output is deterministic.
import threading
import time
import _thread

lock = _thread.allocate_lock()
lock.acquire()
t0 = time.monotonic()
print("acquire(timeout=0.05) on a held lock:", lock.acquire(timeout=0.05))
print("waited at least 0.05 s:", time.monotonic() - t0 >= 0.04)
print("acquire(True, 0):", lock.acquire(True, 0))
print("acquire(False):", lock.acquire(False))
for bad in [(False, 1), (True, -2)]:
    try:
        lock.acquire(*bad)
    except ValueError as e:
        print("ValueError:", e)
lock.release()
print("acquire(timeout=1) on a free lock:", lock.acquire(timeout=1))
lock.release()

cond = threading.Condition()
with cond:
    print("Condition.wait(0.03):", cond.wait(0.03))
    print("wait_for(false, 0.03):", cond.wait_for(lambda: False, 0.03))
    print("waiters left:", len(cond._waiters))

ev = threading.Event()
print("Event.wait(0.02):", ev.wait(0.02))

sem = threading.Semaphore(0)
print("Semaphore(0).acquire(timeout=0.02):", sem.acquire(timeout=0.02))
try:
    sem.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)

rl = threading.RLock()
holder_ready = threading.Event()
release_it = threading.Event()


def holder():
    with rl:
        holder_ready.set()
        release_it.wait()


def sleeper(out):
    time.sleep(0.02)
    out.append("slept")


t = threading.Thread(target=holder)
t.start()
holder_ready.wait()
print("RLock held elsewhere, acquire(timeout=0.02):", rl.acquire(timeout=0.02))
t.join(timeout=0.02)
print("join(timeout) while it waits: alive =", t.is_alive())
release_it.set()
t.join(timeout=10)
print("after set: alive =", t.is_alive())
print("RLock free now:", rl.acquire(timeout=1))
rl.release()

# a waiter woken before its timeout gets True
ev2 = threading.Event()
res = []
w = threading.Thread(target=lambda: res.append(ev2.wait(30)))
w.start()
ev2.set()
w.join()
print("woken before the timeout:", res)

out = []
ths = [threading.Thread(target=sleeper, args=(out,)) for _ in range(4)]
for x in ths:
    x.start()
for x in ths:
    x.join()
print(out)
