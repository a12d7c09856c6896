def f(a, b=2):
    c = 3
    return sorted(locals().items())
print(f(1))
x_global = 10
print("x_global" in globals(), globals()["x_global"], __name__)
