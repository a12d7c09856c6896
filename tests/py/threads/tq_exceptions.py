# TransactionQueue: when units raise, the other units still run (the queue drains), then run()
# re-raises the first failure; the queue stays usable.  Argument errors are clean exceptions.
import transaction

done = []


def ok(i):
    done.append(i)


def bad(i):
    done.append(-i)
    raise ValueError("unit %d failed" % i)


for nthreads in (1, 4):
    del done[:]
    q = transaction.TransactionQueue()
    for i in range(1, 41):
        q.add(bad if i == 17 else ok, i)
    try:
        q.run(nthreads)
        print("no exception?")
    except ValueError as e:
        print(nthreads, "ValueError:", e, len(done), sorted(done) == sorted([-17] + [i for i in range(1, 41) if i != 17]))

# several failures: one of them is re-raised (which one is the first to commit), all others ran
del done[:]
q = transaction.TransactionQueue()
for i in range(1, 31):
    q.add(bad if i % 10 == 0 else ok, i)
try:
    q.run(3)
except ValueError as e:
    print(str(e) in ("unit 10 failed", "unit 20 failed", "unit 30 failed"), len(done))

# a failing unit keeps its effects, including the units it added; the queue runs again after
log = []


def fail_after_adding():
    log.append("a")
    q.add(log.append, "child")
    raise KeyError("k")


q.add(fail_after_adding)
try:
    q.run(2)
except KeyError as e:
    print("KeyError", e, sorted(log))
q.add(log.append, "again")
q.run(2)
print(sorted(log))


# a generator that raises stops there; its earlier steps stand
def gen():
    log.append("g1")
    yield
    log.append("g2")
    yield
    raise RuntimeError("generator broke")


del log[:]
q.add_generator(gen())
q.add(log.append, "x")
try:
    q.run(2)
except RuntimeError as e:
    print("RuntimeError", e, sorted(log))


# run() from inside a unit is refused (the unit's exception is what run() re-raises)
def nested():
    q.run()


q.add(nested)
try:
    q.run(2)
except RuntimeError as e:
    print("RuntimeError", e)

with transaction.atomic:
    try:
        q.run()
    except RuntimeError as e:
        print("RuntimeError", e)

for args in ((0,), (-1,), ("2",), (True,), (1.5,)):
    try:
        q.run(*args)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    q.add(42)
except TypeError as e:
    print("TypeError", e)
try:
    q.add()
except TypeError:
    print("TypeError for add()")
q.run(1)
print("still usable")
