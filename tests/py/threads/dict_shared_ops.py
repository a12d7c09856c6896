# Every dict operation on a dict switched to the shared representation (made by one thread,
# mutated by another), from that thread and from the main thread afterwards: CPython's results.
import threading

d = {"x": 1, "y": 2}

def show(tag, v):
    print(tag, v)

def ops(label):
    global d
    d.clear()
    d.update(x=1, y=2)
    d["z"] = 3
    d["x"] = 10
    del d["y"]
    d["y"] = 5
    for i in range(12):
        d[i] = i * i
    show(label + " list", list(d))
    show(label + " len", (len(d), bool(d), "x" in d, "nope" in d, 3 in d, d.get("q", "no")))
    show(label + " pop", (d.pop(3), d.pop("nope", "dflt"), d.popitem(), d.setdefault("q", 7), d.setdefault("x", 0)))
    try:
        d.pop("missing")
    except KeyError as e:
        show(label + " KeyError", e)
    try:
        d["missing"]
    except KeyError as e:
        show(label + " KeyError", e)
    show(label + " repr", repr(d))
    show(label + " reversed", list(reversed(d)))
    show(label + " views", (list(d.keys())[:4], list(d.values())[:4], list(d.items())[:3], len(d.keys())))
    show(label + " view ops", (sorted(d.keys() & {"x", "y", 0, 99}, key=str), ("x", 10) in d.items(), 25 in d.values()))
    c = d.copy()
    show(label + " copy", (c == d, c is d, list(c) == list(d), c != d))
    c["new"] = 1
    show(label + " ne", (c == d, d == c))
    d.update({"u1": 1, "x": 11}, u2=2)
    d.update([("u3", 3)])
    d |= {"u4": 4}
    show(label + " update", list(d)[-5:])
    show(label + " or", list(d | {"o": 1})[-2:])
    f = dict.fromkeys(d, 0)
    show(label + " fromkeys", list(f)[:5])
    for what in ("keys", "values", "items"):
        try:
            for k in getattr(d, what)():
                d["added"] = 1
        except RuntimeError as e:
            show(label + " RuntimeError", e)
        d.pop("added", None)
    try:
        for k in d:
            del d[k]
    except RuntimeError as e:
        show(label + " RuntimeError", e)
    show(label + " after del", list(d)[:3])
    n = 0
    it = iter(d)
    first = next(it)
    d[first] = "updated"        # an update during iteration is fine
    for k in it:
        n += 1
    show(label + " iter", (first, n + 1 == len(d)))
    show(label + " eq", (d == dict(d), {**d} == d, dict(**{str(k): v for k, v in d.items()}) == {str(k): v for k, v in d.items()}))
    show(label + " sorted", sorted(str(k) for k in d)[:5])
    show(label + " kwargs", (lambda **kw: sorted(kw))(**{str(k): v for k, v in d.items()})[:4])
    seen = []
    try:
        for k in d:             # same size, keys replaced: CPython visits the new keys too
            seen.append(k)
            del d[k]
            d[str(k) + "!"] = 1
    except RuntimeError as e:
        show(label + " RuntimeError", e)
    show(label + " keys changed", (seen[:3], len(seen), list(d)[:4]))
    d.clear()
    show(label + " clear", (d, len(d), list(d)))
    for i in range(5):
        d[str(i)] = i
    del d["2"]
    d["2"] = "again"
    show(label + " refill", d)

t = threading.Thread(target=ops, args=("thread",))
t.start()
t.join()
print("main", d)
ops("main")
# instance __dict__ and module globals updated by another thread
class C:
    pass
c = C()
c.a = 1
g = 0
def touch():
    global g
    c.b = 2
    c.a = 3
    del c.a
    c.a = 4
    g = g + 1
t = threading.Thread(target=touch)
t.start()
t.join()
print(vars(c), c.a, c.b, g, hasattr(c, "zz"))
