def f():
    try:
        return "try"
    finally:
        print("finally runs before return")
def g():
    try:
        return "try"
    finally:
        return "finally wins"
def h():
    try:
        raise ValueError
    finally:
        return "swallowed"
print(f(), g(), h())
