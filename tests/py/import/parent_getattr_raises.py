# `import a.b` where sys.modules['a'] is an object whose __getattr__ raises AttributeError for
# __path__: CPython reports ModuleNotFoundError, not the AttributeError.
import sys


class NotAPackage:
    def __getattr__(self, name):
        raise AttributeError(name)


sys.modules["fakepkg"] = NotAPackage()
try:
    import fakepkg.sub
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e.name if hasattr(e, "name") else "", type(e).__name__)
except AttributeError as e:
    print("AttributeError leaked:", e)
del sys.modules["fakepkg"]
