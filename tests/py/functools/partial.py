import functools
def power(base, exp, *, mod=None):
    return pow(base, exp, mod)
sq = functools.partial(power, exp=2)
cube_mod = functools.partial(power, exp=3, mod=5)
two_to = functools.partial(power, 2)
print(sq(9), cube_mod(4), two_to(10), sq.args, sorted(sq.keywords.items()), sq.func is power)
