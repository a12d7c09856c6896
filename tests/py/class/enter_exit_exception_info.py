class CM:
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        print("type:", exc_type.__name__, "value:", exc, "tb is not None:", tb is not None)
        return True
with CM():
    1 / 0
print("continued")
