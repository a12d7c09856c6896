class P:
    def __init__(self):
        self.x = 3
        self.y = [10, 20]
p = P()
print("{0.x} {0.y[1]} {p.x:>4}".format(p, p=p))
print("{.real}".format(5), "{0.imag}".format(2.5))
