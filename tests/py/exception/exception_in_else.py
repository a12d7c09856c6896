try:
    try:
        pass
    except ValueError:
        print("not here")
    else:
        raise RuntimeError("from else")
    finally:
        print("finally")
except RuntimeError as e:
    print("caught", e)
