'''Module doc.'''
def f():
    """Function doc."""
    return 1
class C:
    'class doc'
