def g(n):
    for i in range(n):
        local = i * i
        yield local
    yield "done"
gen = g(3)
for v in gen:
    print(v)
