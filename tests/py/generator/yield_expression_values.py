def g():
    a = yield "first"
    b = yield f"got {a}"
    yield f"got {b}"
it = g()
print(next(it), it.send("A"), it.send("B"))
