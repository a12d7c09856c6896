def gen():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
g = gen()
print(next(g))
g.close()
print("closed")
try:
    next(g)
except StopIteration:
    print("exhausted")
g2 = gen()
g2.close()
print("close unstarted ok")
