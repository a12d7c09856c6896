# "Did you mean" on printed NameError/AttributeError: locals, then globals, then builtins; attributes
# through dir() (a class's __dir__ too); case changes cost less; no suggestion when too far.
# (Each error is re-raised by a `raise` statement to chain them: one traceback shows them all.)
class Point:
    def __init__(self):
        self.xcoord = 1
class Custom:
    def __dir__(self):
        return ["special_name"]
    def __getattr__(self, n):
        raise AttributeError(n)
counter = 1
True_ = 2
errs = []
def f(alpha, beta):
    try:
        alpah
    except NameError as e:
        print("caught:", e, e.name)
        errs.append(e)
    try:
        Point().xcord
    except AttributeError as e:
        print("caught:", e, e.name, type(e.obj).__name__)
        errs.append(e)
f(1, 2)
try:
    "abc".uper
except AttributeError as e:
    errs.append(e)
try:
    Custom().specal_name
except AttributeError as e:
    errs.append(e)
for expr in ("TRUE", "zzzzzzzz", "lenn"):
    try:
        eval(expr)
    except NameError as e:
        errs.append(e)
try:
    countr
except NameError as e:
    errs.append(e)
print(hasattr(Point(), "xcord"), getattr(Point(), "xcord", "default"))
try:
    raise errs[0]
except NameError:
    try:
        raise errs[1]
    except AttributeError:
        try:
            raise errs[2]
        except AttributeError:
            try:
                raise errs[3]
            except AttributeError:
                try:
                    raise errs[4]
                except NameError:
                    try:
                        raise errs[5]
                    except NameError:
                        try:
                            raise errs[6]
                        except NameError:
                            raise errs[7]
