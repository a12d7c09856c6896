s = {1, 2}
s.add(3); s.add(2)
s.update([4, 5], (6,))
s.discard(1); s.discard(99)
print(sorted(s), len(s))
s.remove(2)
print(s.pop() in {3, 4, 5, 6}, len(s))
try:
    s.remove(42)
except KeyError as e:
    print("KeyError:", e)
print(set().union({1}, [2]), {1, 2, 3}.intersection([2, 3, 4], {3}), {1, 2}.difference({2}), {1, 2}.symmetric_difference({2, 3}))
