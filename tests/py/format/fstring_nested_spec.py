width, prec = 10, 3
v = 3.14159
print(f"[{v:{width}.{prec}f}]", f"[{v:>{width}}]", f"[{'ab':{'*'}^{width}}]")
fill = "#"
print(f"[{42:{fill}<8d}]")
