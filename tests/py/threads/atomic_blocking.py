# Blocking calls where the transaction cannot be broken — inside `with transaction.atomic:` and
# inside nested calls (a key function, a generator) — behave sanely: output appears once and in
# order, a lock held by another thread is waited for, sleep works, and a wait that no other
# thread could satisfy ends (timeout) instead of hanging.
import threading
import time
import transaction

lock = threading.Lock()
held = threading.Event()
log = []


def holder(delay):
    with lock:
        held.set()
        time.sleep(delay)
        log.append("holder done")


# 1. print inside atomic
with transaction.atomic:
    print("inside atomic:", transaction.is_atomic())
    for i in range(3):
        print("line", i)

# 2. acquire, inside atomic, a lock another thread holds for a while
t = threading.Thread(target=holder, args=(0.05,))
t.start()
held.wait()
with transaction.atomic:
    with lock:
        log.append("atomic got the lock")
t.join()
print(log)

# 3. sleep inside atomic
with transaction.atomic:
    t0 = time.monotonic()
    time.sleep(0.02)
    print("slept inside atomic:", time.monotonic() - t0 >= 0.015)

# 4. a lock wait inside a nested call (a key function run by sorted())
held.clear()
log.clear()
t = threading.Thread(target=holder, args=(0.03,))
t.start()
held.wait()


def key(x):
    with lock:
        return -x


print(sorted([3, 1, 2], key=key))
t.join()
print(log)


# 5. a wait inside a generator
def gen(ev):
    ev.wait()
    yield "generator resumed after the event"


ev = threading.Event()
threading.Thread(target=lambda: (time.sleep(0.02), ev.set())).start()
print(next(gen(ev)))

# 6. Condition.wait with a timeout inside atomic: nobody can notify us (our registration is not
#    visible before we commit), so it times out
cond = threading.Condition()
with transaction.atomic:
    with cond:
        print("Condition.wait(0.02) inside atomic:", cond.wait(0.02))

# 7. many threads each doing an atomic block that waits for a lock
counter = [0]
clock = threading.Lock()


def worker():
    for _ in range(20):
        with transaction.atomic:
            with clock:
                counter[0] += 1


ths = [threading.Thread(target=worker) for _ in range(4)]
for x in ths:
    x.start()
for x in ths:
    x.join()
print("counter:", counter[0])
