class V:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        return self.v < other.v
    def __repr__(self):
        return "V(%d)" % self.v
print(sorted([V(3), V(1), V(2)]), min([V(5), V(4)]), max([V(5), V(9)]))
