# list.sort's keyword loop runs reverse's __bool__ (Python code that allocates): the key function
# and the keyword-name tuple (built at run time by f(**d)) must survive the objects moving.
class B(int):
    def __bool__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) > 0

for n in range(4):
    l = [3, 1, 2, 5, 4, n]
    l.sort(**{'reverse': B(1), 'key': lambda x: x * 10 + n})
    print(l)
    l.sort(reverse=B(1), key=lambda x: -x)
    print(l)
