for c in (ZeroDivisionError, KeyError, IndexError, FileNotFoundError, RecursionError, NotImplementedError, UnboundLocalError, ModuleNotFoundError, StopIteration, KeyboardInterrupt, SystemExit, UnicodeDecodeError, OverflowError):
    print(c.__name__, [k.__name__ for k in c.__mro__[1:]])
