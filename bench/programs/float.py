# Float: create many Point objects from sin/cos of an index, normalize
# each, then fold them into the component-wise maximum.  Exercises float
# arithmetic, math functions and object allocation.
#
# usage: float.py [threads-ignored] [points]   (in batches of 100000)

import sys
from math import sin, cos, sqrt

DEFAULT = 1400000
BATCH = 100000


class Point:
    def __init__(self, i):
        self.x = x = sin(i)
        self.y = cos(i) * 3
        self.z = (x * x) / 2

    def __repr__(self):
        return "<Point: x=%s, y=%s, z=%s>" % (self.x, self.y, self.z)

    def normalize(self):
        x = self.x
        y = self.y
        z = self.z
        norm = sqrt(x * x + y * y + z * z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        if self.x < other.x:
            self.x = other.x
        if self.y < other.y:
            self.y = other.y
        if self.z < other.z:
            self.z = other.z
        return self


def maximize(points):
    best = points[0]
    for p in points[1:]:
        best.maximize(p)
    return best


def benchmark(start, n):
    points = [None] * n
    for i in range(n):
        points[i] = Point(start + i)
    for p in points:
        p.normalize()
    sample = 0.0
    for p in points[::97]:
        sample += p.x - p.y + p.z
    return maximize(points), sample


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT
    total = 0.0
    best = None
    done = 0
    while done < n:
        batch = min(BATCH, n - done)
        best, sample = benchmark(done, batch)
        total += best.x + best.y + best.z + sample
        done += batch
    print("float checksum %.9f %.9f %.9f %.6f"
          % (best.x, best.y, best.z, total))


main()
