def src():
    print("src called")
    return [1, 2, 3]
print([x for x in src()])
print([(x, y) for x in range(2) for y in src()])
