stack = []
for i in range(5):
    stack.append(i)
print([stack.pop() for _ in range(3)], stack)
