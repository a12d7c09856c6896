def outer():
    x = 1
    def inner():
        def innermost():
            return x
        return innermost
    return inner
