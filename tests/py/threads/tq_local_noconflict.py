# transaction.local never conflicts: threads that each update their own attribute of one shared
# local object (and of a threading.local) in a loop see no conflict aborts (stmvm counts them in
# transaction.stats(); elsewhere they are zero).
import threading
import transaction

loc = transaction.local()
tloc = threading.local()
conflicts = []
totals = []


def conflict_count():
    s = transaction.stats()["thread"]
    return s["aborts_write_write"] + s["aborts_read_write"]


def work(k):
    loc.n = 0
    tloc.n = 0
    before = conflict_count()
    for i in range(20000):
        loc.n += k
        tloc.n += 1
    after = conflict_count()
    # Commit the measurement before the shared appends below (on stmvm a transaction breaks at a
    # backward jump once asked to): a conflict on those lists must not count as the loop's.
    transaction.hint_commit_soon()
    for _ in range(2):
        pass
    conflicts.append(after - before)
    totals.append((k, loc.n, tloc.n))


def main():
    ts = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(sorted(totals))
    print(conflicts == [0, 0, 0, 0])


main()
