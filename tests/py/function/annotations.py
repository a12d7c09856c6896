def f(a: int, b: "str" = "x") -> list:
    return [a, b]
print(f(1), f.__annotations__)
x: int = 5
print(x, __annotations__)
