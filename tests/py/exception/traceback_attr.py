def f():
    raise ValueError("x")
try:
    f()
except ValueError as e:
    tb = e.__traceback__
    n = 0
    while tb:
        n += 1
        tb = tb.tb_next
    print("frames", n)
