t = (1, "a", 2.5)
print(t, len(t), t[0], t[-1], t[1:], t + (4,), t * 2, (1,), (), tuple())
print(t.count(1), t.index("a"), 2.5 in t, tuple([1, 2]), tuple("ab"))
