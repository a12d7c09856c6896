for x in range(-1, 2):
    print("pos" if x > 0 else "zero" if x == 0 else "neg")
