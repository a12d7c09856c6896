# ImportError.__init__'s name=/path= loop stores into the instance dict, which allocates when the
# dict converts to its shared form (first write from another thread): the keyword-name tuple
# built by f(**d) must survive the move.
import threading

e = ImportError.__new__(ImportError)

def init():
    e.__init__('msg', **{'name': 'mod' + str(1), 'path': '/x/' + 'y.py'})

t = threading.Thread(target=init)
t.start()
t.join()
print(e.name, e.path, e.args)
e2 = ImportError('m', **{'path': 'p', 'name': 'n'})
print(e2.name, e2.path, e2.args)
