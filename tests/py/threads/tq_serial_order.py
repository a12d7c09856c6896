# TransactionQueue: each unit runs atomically, so the result is that of some serial order.
# Transfers between accounts keep the total constant, and every unit checks that invariant
# while it runs; appends to a shared list lose nothing; nthreads 1 and 4 give the same state.
import transaction

N_ACCOUNTS = 8


def transfer(state, i, log):
    acc = state["acc"]
    a = i % N_ACCOUNTS
    b = (i * 7 + 3) % N_ACCOUNTS
    amount = i % 5 + 1
    if sum(acc) != 1000:             # another unit half done would show here
        state["broken"] += 1
    acc[a] -= amount
    for _ in range(i % 17):          # some work in the middle of the unit
        pass
    acc[b] += amount
    log.append(i)
    state["units"] += 1


def once(nthreads):
    state = {"acc": [125] * N_ACCOUNTS, "broken": 0, "units": 0}
    log = []
    q = transaction.TransactionQueue()
    for i in range(300):
        q.add(transfer, state, i, log)
    q.run(nthreads)
    acc = state["acc"]
    print(nthreads, sum(acc), state["broken"], state["units"], len(log), sorted(log) == list(range(300)))
    return acc


def counters(nthreads):
    totals = {}

    def bump(key, by=1):
        totals[key] = totals.get(key, 0) + by

    q = transaction.TransactionQueue()
    for i in range(200):
        q.add(bump, i % 10, by=i)
    q.run(nthreads)
    return sorted(totals.items())


a1 = once(1)
a4 = once(4)
print(a1 == a4, a1)
c1 = counters(1)
c4 = counters(4)
print(c1 == c4, c4)
q = transaction.TransactionQueue()
q.run()                              # an empty queue returns at once
q.run(2)
print("empty ok")
