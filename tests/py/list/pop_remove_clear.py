a = list(range(10))
print(a.pop(), a.pop(0), a.pop(-2), a)
a.remove(5)
print(a)
try:
    a.remove(42)
except ValueError as e:
    print("ValueError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
a.clear()
print(a)
