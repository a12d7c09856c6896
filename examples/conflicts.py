# conflicts.py [THREADS] — three ways to share work between threads, and what each costs in
# conflicts (transaction.stats()).  Runs on CPython too (its stats are zeros).
#
#   1. every thread increments one shared counter: every transaction writes the same object,
#      so concurrent transactions conflict and all but one are rolled back;
#      fix: a counter per thread, summed at the end;
#   2. every thread appends to one shared list: the same, on the list;
#      fix: a list per thread (or a dict keyed by thread), merged at the end;
#   3. every thread updates its own keys of one shared dict: no conflicts, because dicts that
#      several threads write switch to a per-key representation.
import sys
import threading
import transaction

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2
ROUNDS = 200_000


def conflicts():
    g = transaction.stats()["global"]
    return sum(g.get(k, 0) for k in ("aborts_write_write", "aborts_read_write", "aborts_inevitable"))


def run(name, work):
    before = conflicts()
    ts = [threading.Thread(target=work, args=(k,)) for k in range(N)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"{name:<40} conflict aborts: {conflicts() - before}")


shared = [0]
def shared_counter(k):
    for i in range(ROUNDS):
        shared[0] += 1

per_thread = [0] * N
def own_counter(k):
    c = 0
    for i in range(ROUNDS):
        c += 1
    per_thread[k] = c

log = []
def shared_list(k):
    for i in range(ROUNDS // 4):
        log.append(i)

logs = [[] for _ in range(N)]
def own_list(k):
    mine = logs[k]
    for i in range(ROUNDS // 4):
        mine.append(i)

table = {}
def own_keys(k):
    for i in range(ROUNDS // 4):
        key = (k, i % 100)
        table[key] = table.get(key, 0) + 1


run("1. one shared counter", shared_counter)
run("   fix: a counter per thread", own_counter)
run("2. one shared list", shared_list)
run("   fix: a list per thread", own_list)
run("3. a shared dict, disjoint keys", own_keys)
assert shared[0] == sum(per_thread) == N * ROUNDS
assert len(log) == sum(map(len, logs)) == N * (ROUNDS // 4)
assert sum(table.values()) == N * (ROUNDS // 4)
print("totals check out")
