def f():
    ...
class C:
    pass
if True:
    pass
print(f(), ..., Ellipsis, type(...).__name__)
