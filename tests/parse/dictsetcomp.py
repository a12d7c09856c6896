a = {k: v for k, v in items}
b = {x for x in y}
c = {x: x ** 2 for x in range(10) if x % 2}
d = {x for x in a for y in b}
