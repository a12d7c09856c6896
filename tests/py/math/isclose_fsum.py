import math
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.001), math.isclose(1, 1.001, rel_tol=0.01), math.isclose(0, 1e-12, abs_tol=1e-9))
print(math.fsum([0.1] * 10), math.prod([1, 2, 3, 4]), math.comb(10, 3), math.perm(5, 2))
