calls = []
def default():
    calls.append(1)
    return len(calls)
def f(x=default()):
    return x
print(f(), f(), len(calls))
