def apply(fn, *args):
    return fn(*args)
ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
print(apply(max, 3, 9, 2), [apply(ops[k], 6, 7) for k in sorted(ops)], apply(str.upper, "x"))
