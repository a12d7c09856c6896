print(eval("1 + 2 * 3"), eval("x * 2", {"x": 21}), eval("[a, b]", {}, {"a": 1, "b": 2}))
ns = {}
exec("def f(n):\n    return n + 1\ny = f(41)", ns)
print(ns["y"], sorted(k for k in ns if k != "__builtins__"))
