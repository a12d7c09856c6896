try:
    undefined_name
except NameError as e:
    print("NameError:", e, e.args)
def f():
    return local_missing
try:
    f()
except NameError as e:
    print("NameError:", e)
