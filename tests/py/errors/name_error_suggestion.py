counter = 1
print(counter)
countr
