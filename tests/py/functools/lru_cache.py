import functools
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(100), fib.cache_info().hits > 0)
calls = []
@functools.cache
def sq(x):
    calls.append(x)
    return x * x
print(sq(3), sq(3), sq(4), calls)
