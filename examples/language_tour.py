# language_tour.py — a first stmvm program: classes, generators, comprehensions, big ints, exceptions.
import sys


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.2f})"


class Rect(Shape):
    def __init__(self, w, h):
        super().__init__(f"{w}x{h}")
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h


class Circle(Shape):
    def __init__(self, r):
        super().__init__(f"r={r}")
        self.r = r

    def area(self):
        return 3.141592653589793 * self.r ** 2


def primes():
    """Yield the primes, forever."""
    found = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1


shapes = sorted([Rect(3, 4), Circle(1.5), Rect(2, 2)], key=lambda s: s.area())
print("shapes by area:", shapes)

gen = primes()
first = [next(gen) for _ in range(15)]
print("first primes:", first)
print("2**200 =", 2 ** 200)
print("word lengths:", {w: len(w) for w in "transactions run in parallel".split()})

try:
    Shape("abstract").area()
except NotImplementedError:
    print("Shape.area is abstract, as expected")

print(f"running on {sys.implementation.name}, Python {sys.version_info[0]}.{sys.version_info[1]}")
