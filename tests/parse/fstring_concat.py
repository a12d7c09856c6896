a = 'x' f'{y}' 'z'
b = f'{a}' f'{b}'
c = rf'\d{x}'
d = fR'{x}\n'
e = f'''multi
{line}'''
f = f'a' 'b'
