# 256 threads on however many cores: each adds to a shared counter under a lock, appends to a
# shared list and waits on a shared event; the totals are exact.
import threading

N = 256
lock = threading.Lock()
count = [0]
items = []
start = threading.Event()


def work(k):
    start.wait()
    for i in range(20):
        with lock:
            count[0] += 1
        items.append(k)


ts = [threading.Thread(target=work, args=(k,)) for k in range(N)]
for t in ts:
    t.start()
print("started:", threading.active_count() >= 1)
start.set()
for t in ts:
    t.join()
print(count[0], len(items), sum(items), len(set(items)))
