# TransactionQueue: units add units to the same queue while it runs (a recursive split),
# run() returns only when all of them are done; a queue can be run again.
import transaction

q = transaction.TransactionQueue()
leaves = []
nodes = [0]


def split(lo, hi):
    nodes[0] += 1
    if hi - lo <= 3:
        leaves.append((lo, hi, sum(range(lo, hi))))
        return
    mid = (lo + hi) // 2
    q.add(split, lo, mid)
    q.add(split, mid, hi)


for nthreads in (1, 2, 4):
    del leaves[:]
    nodes[0] = 0
    q.add(split, 0, 500)
    q.run(nthreads)
    total = sum(s for _, _, s in leaves)
    covered = sorted((lo, hi) for lo, hi, _ in leaves)
    contiguous = all(covered[i][1] == covered[i + 1][0] for i in range(len(covered) - 1))
    print(nthreads, total == sum(range(500)), total, len(leaves), nodes[0], contiguous)

# run() twice: units queued between runs run in the second; nothing runs twice
seen = []
q2 = transaction.TransactionQueue()
for i in range(20):
    q2.add(seen.append, i)
q2.run(3)
first = sorted(seen)
for i in range(20, 30):
    q2.add(seen.append, i)
q2.run(3)
print(first == list(range(20)), sorted(seen) == list(range(30)), len(seen))
q2.run(3)
print(len(seen))

# a unit adding to a different queue: those units wait for that queue's run()
other = transaction.TransactionQueue()
got = []


def producer(k):
    other.add(got.append, k * k)


q3 = transaction.TransactionQueue()
for k in range(10):
    q3.add(producer, k)
q3.run(2)
print(len(got))
other.run(2)
print(sorted(got))

# run() from code that C runs (exec here): stmvm runs the units in the calling thread there
got2 = []
q4 = transaction.TransactionQueue()
for k in range(5):
    q4.add(got2.append, k)
exec("q4.run(3)")
print(sorted(got2), len(got2))


def in_key(x):
    q5 = transaction.TransactionQueue()
    box = []
    q5.add(box.append, x * 2)
    q5.add(split, 0, 8)               # adds to q: runs with q, later
    q5.run(2)
    return box[0]


print(sorted([3, 1, 2], key=in_key))
del leaves[:]
q.run(2)
print(sorted(leaves))
