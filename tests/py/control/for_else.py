for x in [1, 3, 5]:
    if x % 2 == 0:
        print("found even")
        break
else:
    print("no even")
for x in [1, 4, 5]:
    if x % 2 == 0:
        print("found even", x)
        break
else:
    print("no even")
for x in []:
    pass
else:
    print("empty loop else")
