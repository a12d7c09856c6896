a, *b = 1, 2, 3
[a, *b] = c
for a, *b in c: pass
x = *a, b
return_value = [*range(3)]
