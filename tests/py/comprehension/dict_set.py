print({x: len(x) for x in ["a", "bb", "ccc"]}, {x % 4 for x in range(10)}, {v: k for k, v in {"a": 1, "b": 2}.items()})
