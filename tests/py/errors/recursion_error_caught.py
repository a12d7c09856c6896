def rec(n):
    return rec(n + 1) + 1
try:
    rec(0)
except RecursionError as e:
    print("RecursionError:", e)
print("recovered", rec.__name__)
