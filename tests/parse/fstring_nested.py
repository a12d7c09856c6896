a = f'{d["key"]}'
b = f"{d['k']!r}"
c = f'{"nested"}'
d = f'{f"{x}"}'
e = f'{[i for i in y]}'
f = f'{a if b else c}'
g = f'{x, y}'
