class N:
    def __init__(self, v):
        self.v = v
    def __floordiv__(self, o): return "floordiv"
    def __truediv__(self, o): return "truediv"
    def __mod__(self, o): return "mod"
    def __pow__(self, o, m=None): return f"pow {m}"
    def __rpow__(self, o): return "rpow"
    def __lshift__(self, o): return "lshift"
    def __and__(self, o): return "and"
    def __or__(self, o): return "or"
    def __xor__(self, o): return "xor"
    def __invert__(self): return "invert"
    def __pos__(self): return "pos"
    def __index__(self): return self.v
    def __matmul__(self, o): return "matmul"
n = N(3)
print(n // 1, n / 1, n % 1, n ** 2, pow(n, 2, 5), 2 ** n, n << 1, n & 1, n | 1, n ^ 1, ~n, +n, n @ n)
print([0, 1, 2, 3, 4][n], bin(n), "abcdef"[n:])
