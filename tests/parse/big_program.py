import sys
from collections import defaultdict

class Graph:
    def __init__(self):
        self.edges = defaultdict(list)

    def add(self, a, b):
        self.edges[a].append(b)
        self.edges[b].append(a)

    def bfs(self, start):
        seen = {start}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for n in self.edges[node]:
                if n not in seen:
                    seen.add(n)
                    queue.append(n)
        return seen

def main(argv=None):
    g = Graph()
    for i in range(10):
        g.add(i, (i * 7) % 10)
    try:
        print(sorted(g.bfs(0)))
    except KeyError as e:
        print('error', e, file=sys.stderr)
        return 1
    return 0

if __name__ == '__main__':
    sys.exit(main())
