class P:
    def __init__(self, x):
        self.x = x
        print("P init", x)
class Q(P):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
        print("Q init", y)
q = Q(1, 2)
print(q.x, q.y)
