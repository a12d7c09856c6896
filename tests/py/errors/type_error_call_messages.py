def f(a, b=1, *, c):
    pass
for call in (lambda: f(), lambda: f(1), lambda: f(1, 2, 3, c=1), lambda: f(1, c=1, d=2), lambda: len(), lambda: abs(1, 2)):
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
