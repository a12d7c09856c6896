class Stack(list):
    def push(self, x):
        self.append(x)
    def peek(self):
        return self[-1]
s = Stack([1, 2])
s.push(3)
print(s, s.peek(), len(s), isinstance(s, list), type(s).__name__, s + [4], type(s + [4]).__name__)
class Sorted(list):
    def append(self, x):
        super().append(x)
        self.sort()
t = Sorted()
for v in (3, 1, 2):
    t.append(v)
print(t)
