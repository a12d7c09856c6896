def inner():
    yield 1
    yield 2
    return "inner result"
def outer():
    r = yield from inner()
    print("got", r)
    yield from range(3, 5)
    yield from "ab"
print(list(outer()))
