class C(Base):
    attr = 1
    other: int = 2
    def __init__(self, x):
        super().__init__()
        self.x = x
    @staticmethod
    def s():
        return __class__
    class Inner:
        pass
