print(dict(), dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict({"k": "v"}, k2="v2"), dict(zip("abc", range(3))))
print(dict.fromkeys(["p", "q"]), dict.fromkeys("ab", 0))
