try:
    ()[0]
except IndexError as e:
    print("IndexError:", e)
try:
    (1, 2).index(3)
except ValueError as e:
    print("ValueError:", e)
