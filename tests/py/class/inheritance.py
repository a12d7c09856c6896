class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " makes " + self.sound()
    def sound(self):
        return "..."
class Dog(Animal):
    def sound(self):
        return "woof"
class Puppy(Dog):
    def sound(self):
        return super().sound() + "!"
for x in (Animal("a"), Dog("d"), Puppy("p")):
    print(x.speak())
print(Puppy.__bases__, Puppy.__mro__)
