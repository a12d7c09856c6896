def f():
    try:
        raise ValueError("orig")
    except ValueError:
        print("logging")
        raise
try:
    f()
except ValueError as e:
    print("reraised", e)
