d = dict(a=1, b=2, c=3)
print(d.pop("a"), d.pop("zz", "dflt"), d)
print(d.popitem(), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError:", e)
d.clear()
try:
    d.popitem()
except KeyError as e:
    print("KeyError:", e)
