name, n = "world", 42
print(f"hello {name}! n={n} sum={n + 1} {'q'} {{braces}}")
print(f"{name!r} {name!s} {name.upper()} {[1, 2][0]} {n * 2:5}|")
