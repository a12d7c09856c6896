def naturals():
    n = 0
    while True:
        yield n
        n += 1
import itertools
print(list(itertools.islice(naturals(), 5)), list(itertools.islice(naturals(), 10, 20, 3)))
