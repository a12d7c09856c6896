def inner(x):
    raise KeyError(x)
def outer():
    inner("key")
print("start")
outer()
