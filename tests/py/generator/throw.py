def gen():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("caught", e)
        yield "recovered"
    yield "end"
g = gen()
print(next(g))
print(g.throw(ValueError("boom")))
print(next(g))
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("propagated", repr(e))
