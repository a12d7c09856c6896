for i in range(3):
    try:
        if i == 1:
            continue
        if i == 2:
            break
        print("body", i)
    finally:
        print("finally", i)
def f():
    for i in range(3):
        try:
            raise ValueError(i)
        finally:
            break
    return "break swallowed exception"
print(f())
