class Point:
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y
    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)
    def __repr__(self):
        return f"Point(x={self.x}, y={self.y})"
print(Point(), Point(1, 2), Point(1, 2) == Point(1, 2), Point() != Point(0, 1))
