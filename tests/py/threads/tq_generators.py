# TransactionQueue.add_generator: each step (one next()) is a unit; the generator is queued again
# after every yield, so its steps run in order while other units and generators interleave.
import transaction

steps = []
counts = {}


def worker(gid, n):
    for k in range(n):
        steps.append((gid, k))
        counts[gid] = counts.get(gid, 0) + 1   # atomic read-modify-write: one unit
        yield k


def check(nthreads):
    del steps[:]
    counts.clear()
    q = transaction.TransactionQueue()
    for gid in range(6):
        q.add_generator(worker(gid, gid * 3 + 1))
    q.add_generator(iter([1, 2, 3]))           # any iterator works
    q.add_generator(worker(99, 0))             # finishes at once
    q.run(nthreads)
    in_order = all([k for g, k in steps if g == gid] == list(range(gid * 3 + 1)) for gid in range(6))
    print(nthreads, len(steps), in_order, sorted(counts.items()))


check(1)
check(4)


# a generator whose steps add more units, and one that spawns generators
q = transaction.TransactionQueue()
total = [0]


def add_value(v):
    total[0] += v


def spawner(n):
    for i in range(n):
        q.add(add_value, i)
        q.add_generator(child(i))
        yield


def child(i):
    for _ in range(i):
        total[0] += 1000
        yield


q.add_generator(spawner(10))
q.run(3)
print(total[0], sum(range(10)) + 1000 * sum(range(10)))

try:
    q.add_generator(5)
except TypeError as e:
    print("TypeError", e)
