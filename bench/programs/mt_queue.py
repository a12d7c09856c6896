# Producer/consumer (strong scaling): the main thread puts SIZE work items into one bounded
# queue (a deque guarded by a Lock and two Conditions, capacity 32; CPython's `queue` module is
# not used because stmvm has none), THREADS consumer threads take them and do the work: the total
# Collatz path length of 40 consecutive numbers per item.  A None per consumer ends the stream.
# Measures blocking hand-off between threads as well as the parallel work.
#
# usage: mt_queue.py THREADS [ITEMS]
import threading
from collections import deque

import benchlib

PER_ITEM = 40


class BoundedQueue:
    def __init__(self, capacity):
        self.items = deque()
        self.capacity = capacity
        lock = threading.Lock()
        self.not_empty = threading.Condition(lock)
        self.not_full = threading.Condition(lock)

    def put(self, item):
        with self.not_full:
            while len(self.items) >= self.capacity:
                self.not_full.wait()
            self.items.append(item)
            self.not_empty.notify()

    def get(self):
        with self.not_empty:
            while not self.items:
                self.not_empty.wait()
            item = self.items.popleft()
            self.not_full.notify()
            return item


def collatz_total(start):
    total = 0
    for n in range(start, start + PER_ITEM):
        steps = 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        total += steps
    return total


nthreads, nitems = benchlib.args(5000)
queue = BoundedQueue(32)
results = [None] * nthreads


def consumer(k):
    done = 0
    total = 0
    weighted = 0
    while True:
        item = queue.get()
        if item is None:
            break
        steps = collatz_total(item * PER_ITEM + 1)
        done += 1
        total += steps
        weighted += steps * (item + 1) % 1000003
    results[k] = (done, total, weighted)


threads = [threading.Thread(target=consumer, args=(k,)) for k in range(nthreads)]
for t in threads:
    t.start()
for item in range(nitems):
    queue.put(item)
for t in threads:
    queue.put(None)
for t in threads:
    t.join()
benchlib.finish("mt_queue", sum(r[0] for r in results), sum(r[1] for r in results),
                sum(r[2] for r in results))
