try:
    e = ValueError("base")
    e.add_note("note one")
    e.add_note("note two")
    raise e
except ValueError as e:
    print(e, e.__notes__)
