class L:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
class B:
    def __bool__(self):
        return False
print(len(L(3)), bool(L(0)), bool(L(2)), bool(B()), "yes" if L(1) else "no", not B())
try:
    len(L(-1))
except ValueError as e:
    print("ValueError:", e)
