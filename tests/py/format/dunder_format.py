class Money:
    def __init__(self, v):
        self.v = v
    def __format__(self, spec):
        return "$" + format(self.v, spec or ".2f")
    def __str__(self):
        return "Money(%s)" % self.v
m = Money(3.14159)
print(f"{m}", f"{m:.1f}", "{:.3f}".format(m), format(m), str(m), f"{m!s}")
