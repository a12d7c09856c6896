class R:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return "abc"[i]
print(list(reversed(R())), "b" in R(), list(R()))
class Rev:
    def __reversed__(self):
        return iter([3, 2, 1])
print(list(reversed(Rev())))
