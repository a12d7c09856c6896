def gen():
    try:
        yield 1
    except GeneratorExit:
        print("GeneratorExit seen")
        raise
g = gen()
next(g)
g.close()
def bad():
    try:
        yield 1
    except GeneratorExit:
        yield 2
b = bad()
next(b)
try:
    b.close()
except RuntimeError as e:
    print("RuntimeError:", e)
