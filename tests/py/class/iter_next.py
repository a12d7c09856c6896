class Count:
    def __init__(self, n):
        self.i, self.n = 0, n
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
print(list(Count(4)), sum(Count(10)), [x * x for x in Count(3)])
c = Count(2)
print(next(c), next(c), next(c, "end"))
