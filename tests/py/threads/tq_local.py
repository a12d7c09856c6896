# transaction.local: each thread sees only its own attributes; a subclass's __init__ runs again,
# with the creation arguments, in every thread that uses the object; class attributes, methods,
# __dict__ and del work as on CPython's threading.local (which transaction.local is, there).
import threading
import transaction

print(transaction.local is threading.local or type(threading.local()) is transaction.local)

loc = transaction.local()
loc.name = "main"
results = {}


def plain(k):
    had = hasattr(loc, "name")
    loc.name = "t%d" % k
    loc.items = []
    for i in range(50):
        loc.items.append(i * k)
    results[k] = (had, loc.name, sum(loc.items), sorted(loc.__dict__))


class Counter(transaction.local):
    step = 1                          # a class attribute: the default until set per thread
    inits = []

    def __init__(self, start, scale=1):
        Counter.inits.append(start)
        self.value = start * scale

    def bump(self):
        self.value += self.step
        return self.value


c = Counter(10, scale=2)


def sub(k):
    before = c.value
    c.step = k
    for _ in range(5):
        c.bump()
    results["sub%d" % k] = (before, c.value, c.step, Counter.step)
    del c.step
    results["del%d" % k] = c.step


ts = [threading.Thread(target=plain, args=(k,)) for k in range(1, 5)]
ts += [threading.Thread(target=sub, args=(k,)) for k in range(1, 5)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for key in sorted(results, key=str):
    print(key, results[key])
print(loc.name, hasattr(loc, "items"), c.value, c.step, c.bump(), len(Counter.inits), sorted(Counter.inits))

try:
    c.missing
except AttributeError as e:
    print("AttributeError", e)
try:
    loc.missing
except AttributeError as e:
    print("AttributeError", e, type(loc))
try:
    del c.missing
except AttributeError:
    print("AttributeError on del")
try:
    transaction.local(1, 2)
except TypeError as e:
    print("TypeError", e)


class Bad(transaction.local):
    def __init__(self, fail):
        if fail and threading.current_thread() is not threading.main_thread():
            raise ValueError("no init here")
        self.ok = True


b = Bad(True)
out = []


def use_bad():
    try:
        b.ok
    except ValueError as e:
        out.append(str(e))
    try:
        b.ok                           # __init__ runs (and fails) again: no half-made namespace
    except ValueError as e:
        out.append(str(e))


t = threading.Thread(target=use_bad)
t.start()
t.join()
print(out, b.ok)
