# Event, Semaphore, RLock and threading.local.
import threading
ev = threading.Event()
sem = threading.Semaphore(2)
inside = [0]
peak = [0]
guard = threading.Lock()
loc = threading.local()
seen = []
rl = threading.RLock()
def work(k):
    ev.wait()
    with sem:
        with guard:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        with guard:
            inside[0] -= 1
    loc.value = k
    with rl:
        with rl:
            seen.append(loc.value == k)
ts = [threading.Thread(target=work, args=(k,)) for k in range(6)]
for t in ts: t.start()
ev.set()
for t in ts: t.join()
print(peak[0] <= 2, all(seen), len(seen), ev.is_set())
