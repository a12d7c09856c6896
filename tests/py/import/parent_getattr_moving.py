# import a.b where a's __path__ comes from a __getattr__ that runs Python code and allocates: the
# dotted name and the parent must survive the move (the error names 'fakepkg_x.sub').
import sys

class Fake:
    def __getattr__(self, name):
        junk = [str(i) * 3 for i in range(60)]
        if name == '__path__':
            return []
        if name == '__spec__':
            return None
        raise AttributeError(name)

sys.modules['fakepkg_x'] = Fake()
for n in range(3):
    try:
        import fakepkg_x.sub
    except ImportError as e:
        print(type(e).__name__, e)
