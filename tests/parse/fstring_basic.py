a = f'hello {name}'
b = f"{x} and {y}"
c = f''
d = f'plain'
e = F'{1 + 2}'
f = f'{{literal}}'
g = f'{a}{b}{c}'
