def trace(fn):
    def wrapper(*a, **k):
        print("call", fn.__name__, a)
        r = fn(*a, **k)
        print("ret", r)
        return r
    return wrapper
def times(n):
    def deco(fn):
        def w(x):
            return fn(x) * n
        return w
    return deco
@trace
@times(3)
def double(x):
    return x * 2
print(double(5))
