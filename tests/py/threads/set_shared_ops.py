# Every set operation on a set switched to the shared representation (made by one thread,
# mutated by another), from that thread and from the main thread afterwards.  A shared set
# iterates in insertion order, not CPython's hash order (docs/LANGUAGE.md): printed sorted.
import threading

s = {3, 1, 2}

def show(tag, v):
    print(tag, v)

def ops(label):
    global s
    s.clear()
    s.update({3, 1, 2})
    s.add(10)
    s.add(4)
    s.discard(1)
    s.add(1)
    for i in range(30):
        s.add(i * 7 % 31)
    s.remove(29)
    show(label + " basic", (sorted(s), len(s), bool(s), 5 in s, 1000 in s, 29 in s))
    try:
        s.remove(1000)
    except KeyError as e:
        show(label + " KeyError", e)
    show(label + " ops", (sorted(s | {100}), sorted(s & {1, 2, 3, 77}), sorted(s - set(range(20))), sorted(s ^ {1, 200})))
    show(label + " rops", (sorted({100} | s), sorted({1, 2, 77} & s), sorted(set(range(20)) - s), sorted({1, 200} ^ s)))
    show(label + " methods", (sorted(s.union([7, 99])), sorted(s.intersection(range(5))), sorted(s.difference(range(25))), sorted(s.symmetric_difference([0, 500]))))
    t = s.copy()
    show(label + " copy", (t == s, t is s, s <= t, s >= {1}, s < t, s > {1}, s.isdisjoint({500}), s.issubset(range(40)), s.issuperset([1, 2])))
    show(label + " frozen", (frozenset(s) == s, s == frozenset(s), hash(frozenset(s)) == hash(frozenset(sorted(s)))))
    s |= {50, 51}
    s -= {50}
    s ^= {51, 52}
    show(label + " inplace", sorted(s))
    n = len(s)
    p = s.pop()
    show(label + " pop", (p in s, len(s) == n - 1))
    s.add(p)                    # which element pop() takes differs (order): put it back
    try:
        for x in s:
            s.add(x + 1000)
    except RuntimeError as e:
        show(label + " RuntimeError", e)
    s.difference_update({x for x in s if x >= 1000})
    s &= set(range(10))
    show(label + " iand", sorted(s))
    s.update([100, 101], {102})
    s.difference_update({100})
    s.intersection_update(set(range(200)))
    s.symmetric_difference_update({101, 300})
    show(label + " updates", sorted(s))
    show(label + " iter", (sorted(list(s)) == sorted(s), sum(1 for _ in s) == len(s), sorted(x for x in s if x < 5)))
    show(label + " repr", (repr(set()), len(repr(s)) > 2, str(s).startswith("{")))
    s.clear()
    show(label + " clear", (s, len(s), list(s)))
    s.add("a")
    s.add("b")

t = threading.Thread(target=ops, args=("thread",))
t.start()
t.join()
print("main", sorted(s))
ops("main")
print(sorted(s))
