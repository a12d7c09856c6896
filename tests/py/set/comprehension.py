print({x % 5 for x in range(20)}, {c for c in "mississippi"} == set("misp"))
print(sorted({w.lower() for w in ["A", "a", "B"]}))
