# `with transaction.atomic:` makes a read-modify-write atomic across threads: no lost updates.
import threading
import transaction
count = [0]
def work():
    for _ in range(3000):
        with transaction.atomic:
            count[0] = count[0] + 1
print(transaction.is_atomic())
ts = [threading.Thread(target=work) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
with transaction.atomic:
    inside = transaction.is_atomic()
print(count[0], inside, transaction.is_atomic(), transaction.getsegmentlimit() >= 1)
s = transaction.stats()
print(sorted(s), "commits" in s["thread"], "aborts" in s["global"])
