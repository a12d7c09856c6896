# Threads updating their own keys of one shared dict (and set) commit without conflict aborts.
# The dict and set are made by the main thread; the workers' first writes switch them to the
# shared per-key representation (warm-up), then each worker measures its own conflict aborts
# (transaction.stats(): all causes except forced and explicit ones) around the main phase.
import threading
import time
import transaction

N = 4
KEYS = 40
ROUNDS = 800

d = {}
s = set()
ready = [threading.Event() for _ in range(N)]
go = threading.Event()

def conflicts():
    st = transaction.stats()["thread"]
    return sum(st.get(k, 0) for k in ("aborts_write_write", "aborts_read_write", "aborts_inevitable"))

def work(i, result):
    mine = list(range(i * 1000, i * 1000 + KEYS))
    for k in mine:                      # warm-up: insert (converts d and s), then update
        d[k] = 0
        s.add(k)
    for r in range(20):
        for k in mine:
            d[k] = d[k] + 1
    ready[i].set()
    go.wait()
    before = conflicts()
    time.sleep(0)       # blocking: ends the transaction holding the reading (no later rollback)
    for r in range(ROUNDS):
        for k in mine:
            d[k] = d[k] + 1
            if k in d and k in s:
                s.discard(k)
                s.add(k)
    after = conflicts()
    time.sleep(0)
    result.append(after - before)

def main():
    # in a function: the main thread assigning module globals (`for t in ts`) would write the
    # module's dict, which the workers read (it stays compact: its creator writes it)
    results = [[] for _ in range(N)]
    ts = [threading.Thread(target=work, args=(i, results[i])) for i in range(N)]
    for t in ts: t.start()
    for e in ready: e.wait()
    go.set()
    for t in ts: t.join()
    print("conflict aborts in the main phase:", [r[0] for r in results])
    print(len(d), len(s), sorted(set(d.values())), sum(d), sum(s))
    print(sorted(d.items())[:3], sorted(d.items())[-2:])
    print(sorted(s) == sorted(d))

main()
