def f():
print("bad")
