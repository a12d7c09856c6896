# math.dist: sequences, iterators, __float__, overflow-safe scaling, nan/inf, errors
import math
class F:
    def __float__(self): return 2.5
class G:
    def __index__(self): return 3
print(math.dist((0, 0), (3, 4)), math.dist([1.5], [-1]), math.dist((), ()), math.dist(iter([1, 2, 3]), (4, 6, 3)))
print(math.dist((F(), 0), (0, 0)), math.dist((1e308, 1e308), (-1e308, -1e308)), math.dist((math.nan, 1), (0, 0)))
print(math.dist((math.inf, math.nan), (0, 0)), math.dist((2**60, 1), (0, 1)), math.dist((1e-320, 0), (0, 1e-320)))
print(math.dist((True, 3), (False, -1)), math.dist(range(3), (1, 1, 1)))
for a in [((1,), (1, 2)), ((1,), 5), (5, (1,)), (("a",), (1,)), ((1,),), ((1,), (1,), (2,)), ((2**2000,), (0,)), ((G(),), (0,))]:
    try: print(math.dist(*a))
    except Exception as e: print(type(e).__name__, e)
try: math.dist(p=(1,), q=(2,))
except Exception as e: print(type(e).__name__, e)
