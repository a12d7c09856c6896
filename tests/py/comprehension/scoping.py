x = "outer"
r = [x for x in range(3)]
print(x, r)
i = 10
s = [i * j for j in range(3)]
print(s)
def f():
    k = 5
    return [k + n for n in range(3)]
print(f())
