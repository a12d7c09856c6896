print(any([]), all([]), any([0, "", 1]), all([1, "a", [0]]), all([1, 0]), any(x > 5 for x in range(10)))
