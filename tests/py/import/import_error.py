try:
    import no_such_module_xyz
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e, e.name)
try:
    from mod_helper import nonexistent
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
