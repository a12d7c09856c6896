class R:
    def __enter__(self):
        print("acquire")
    def __exit__(self, *a):
        print("release", a[0].__name__ if a[0] else None)
def g():
    with R():
        yield 1
        yield 2
it = g()
for x in it:
    print(x)
    break
print("after break")
it.close()
print("after close")
for x in g():
    print(x)
print("after full loop")
