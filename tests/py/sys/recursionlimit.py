import sys
old = sys.getrecursionlimit()
print(old >= 100, type(old).__name__)
sys.setrecursionlimit(200)
print(sys.getrecursionlimit())
def deep(n):
    return deep(n + 1)
try:
    deep(0)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(old)
print(sys.getrecursionlimit() == old)
