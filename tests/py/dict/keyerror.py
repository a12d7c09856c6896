d = {"a": 1}
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e, repr(e), e.args)
try:
    d[(1, 2)]
except KeyError as e:
    print("KeyError:", e)
