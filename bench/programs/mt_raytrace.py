# Ray tracer (strong scaling): a SIZE-column x 64-row image of five spheres on a checkered
# floor, with a point light, shadows, Lambert + Phong shading and one reflection bounce, written
# with small vector objects (the allocation- and attribute-heavy style of pyperformance's
# raytrace).  Columns are dealt round-robin to the threads; each thread sums its quantised
# pixels in locals and publishes them once.
#
# usage: mt_raytrace.py THREADS [COLUMNS]
import math

import benchlib

HEIGHT = 64
EPS = 1e-6


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def sub(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def norm(self):
        return self.scale(1.0 / math.sqrt(self.dot(self)))


class Sphere:
    def __init__(self, centre, radius, colour, reflect):
        self.centre = centre
        self.radius = radius
        self.colour = colour
        self.reflect = reflect

    def hit(self, origin, direction):
        """Distance along the (unit) ray to the nearest intersection, or None."""
        oc = origin.sub(self.centre)
        b = oc.dot(direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return None
        root = math.sqrt(disc)
        t = -b - root
        if t > EPS:
            return t
        t = -b + root
        return t if t > EPS else None

    def normal(self, p):
        return p.sub(self.centre).norm()

    def colour_at(self, p):
        return self.colour


class Floor:
    """The plane y = -1 with a checkerboard."""
    reflect = 0.3

    def hit(self, origin, direction):
        if abs(direction.y) < EPS:
            return None
        t = (-1.0 - origin.y) / direction.y
        return t if t > EPS else None

    def normal(self, p):
        return Vec(0.0, 1.0, 0.0)

    def colour_at(self, p):
        if (math.floor(p.x) + math.floor(p.z)) % 2 == 0:
            return Vec(0.9, 0.9, 0.9)
        return Vec(0.2, 0.2, 0.25)


SCENE = [
    Floor(),
    Sphere(Vec(0.0, 0.0, 5.0), 1.0, Vec(0.9, 0.2, 0.2), 0.4),
    Sphere(Vec(-2.2, -0.3, 6.0), 0.7, Vec(0.2, 0.9, 0.2), 0.2),
    Sphere(Vec(2.0, 0.2, 7.0), 1.2, Vec(0.2, 0.3, 0.9), 0.5),
    Sphere(Vec(0.8, -0.7, 3.5), 0.3, Vec(0.9, 0.9, 0.2), 0.1),
    Sphere(Vec(-0.9, 1.4, 8.0), 0.9, Vec(0.8, 0.5, 0.9), 0.3),
]
LIGHT = Vec(-4.0, 6.0, -2.0)
EYE = Vec(0.0, 0.5, -1.0)


def nearest(origin, direction):
    best = None
    best_t = 1e30
    for obj in SCENE:
        t = obj.hit(origin, direction)
        if t is not None and t < best_t:
            best = obj
            best_t = t
    return best, best_t


def trace(origin, direction, depth):
    obj, t = nearest(origin, direction)
    if obj is None:
        return Vec(0.1, 0.1, 0.3 + 0.4 * max(direction.y, 0.0))
    p = origin.add(direction.scale(t))
    n = obj.normal(p)
    base = obj.colour_at(p)
    to_light = LIGHT.sub(p).norm()
    shade = 0.1
    blocker, bt = nearest(p, to_light)
    if blocker is None:
        lambert = n.dot(to_light)
        if lambert > 0.0:
            shade += 0.8 * lambert
        half = to_light.sub(direction).norm()
        spec = n.dot(half)
        if spec > 0.0:
            s2 = spec * spec
            s4 = s2 * s2
            s8 = s4 * s4
            shade += 0.5 * s8 * s8
    col = base.scale(shade)
    if depth > 0 and obj.reflect > 0.0:
        r = direction.sub(n.scale(2.0 * direction.dot(n)))
        col = col.scale(1.0 - obj.reflect).add(trace(p, r, depth - 1).scale(obj.reflect))
    return col


def quantise(v):
    return min(255, int(v * 255.0))


nthreads, width = benchlib.args(400)
sums = [None] * nthreads


def work(k):
    total = 0
    weighted = 0
    for x in range(k, width, nthreads):
        for y in range(HEIGHT):
            d = Vec((x - width / 2.0) / HEIGHT, (HEIGHT / 2.0 - y) / HEIGHT, 1.0).norm()
            c = trace(EYE, d, 1)
            px = quantise(c.x) * 65536 + quantise(c.y) * 256 + quantise(c.z)
            total += px
            weighted += px * (x * HEIGHT + y + 1) % 1000003
    sums[k] = (total, weighted)


benchlib.run_threads(nthreads, work)
benchlib.finish("mt_raytrace", sum(s[0] for s in sums), sum(s[1] for s in sums))
