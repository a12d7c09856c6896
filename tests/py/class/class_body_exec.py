class C:
    print("class body runs")
    x = 1
    y = x + 1
    def m(self):
        return self.y
print(C.y, C().m())
