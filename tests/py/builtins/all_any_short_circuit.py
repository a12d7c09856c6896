def v(x):
    print("check", x)
    return x
print(all(v(x) for x in [1, 0, 1]), any(v(x) for x in [0, 1, 0]))
