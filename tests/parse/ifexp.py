a = x if c else y
b = x if c else y if d else z
c = (lambda: 1) if x else None
