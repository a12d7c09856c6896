# Workers reading module globals are not aborted by the main thread assigning other globals at
# module level (the module's dict turns shared once several threads run: rule D1b in
# obj_dict.c).  Each worker measures its own conflict aborts around the main phase.
import threading
import time
import transaction

N = 2
ROUNDS = 40000
TABLE = list(range(50))
go = threading.Event()
ready = [threading.Event() for _ in range(N)]
done = []
results = [[] for _ in range(N)]


def conflicts():
    st = transaction.stats()["thread"]
    return sum(st.get(k, 0) for k in ("aborts_write_write", "aborts_read_write", "aborts_inevitable"))


def work(i):
    total = 0
    ready[i].set()
    go.wait()
    before = conflicts()
    time.sleep(0)
    for r in range(ROUNDS):
        total += TABLE[r % 50] + ROUNDS      # module globals, read every iteration
    after = conflicts()
    time.sleep(0)
    results[i].append(after - before)
    results[i].append(total)
    done.append(i)


ts = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
for e in ready:
    e.wait()
tick = 0
go.set()
while len(done) < N:            # the main thread keeps assigning a module global meanwhile
    tick = tick + 1
    time.sleep(0.0005)
for t in ts:
    t.join()
print("conflict aborts in the main phase:", [r[0] for r in results])
print("totals:", [r[1] for r in results], "main ticked:", tick > 0)
