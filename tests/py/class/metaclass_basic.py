class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcls, name, bases, ns)
class Thing(metaclass=Meta):
    pass
print(Thing.tag, type(Thing).__name__, isinstance(Thing, Meta))
