def outer():
    x = "outer"
    def mid():
        def inner():
            nonlocal x
            x = "inner"
        inner()
        return x
    r = mid()
    return r, x
print(outer())
