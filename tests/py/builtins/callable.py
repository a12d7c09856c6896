class C:
    def __call__(self):
        pass
print(callable(print), callable(len), callable(C), callable(C()), callable(object()), callable("s"), callable(lambda: 0))
