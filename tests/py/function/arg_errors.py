def f(a, b):
    pass
for call in (lambda: f(1), lambda: f(1, 2, 3), lambda: f(1, 2, c=3), lambda: f(1, a=1)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
