class C:
    xs = [1, 2, 3]
    ys = [x * 2 for x in xs]
    n = 10
    try:
        zs = [n for _ in range(2)]
    except NameError as e:
        zs = "NameError: " + str(e)
print(C.ys, C.zs)
