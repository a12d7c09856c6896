"""io — in-memory text and byte streams (StringIO, BytesIO)."""


class StringIO:
    def __init__(self, initial_value="", newline="\n"):
        self._parts = [initial_value] if initial_value else []
        self._pos = 0
        self.closed = False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("string argument expected, got '%s'" % type(s).__name__)
        self._parts.append(s)
        return len(s)

    def getvalue(self):
        value = "".join(self._parts)
        self._parts = [value] if value else []
        return value

    def read(self, size=-1):
        value = self.getvalue()
        end = len(value) if size is None or size < 0 else min(len(value), self._pos + size)
        out = value[self._pos:end]
        self._pos = end
        return out

    def readline(self):
        value = self.getvalue()
        nl = value.find("\n", self._pos)
        end = len(value) if nl < 0 else nl + 1
        out = value[self._pos:end]
        self._pos = end
        return out

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def flush(self):
        pass

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class BytesIO(StringIO):
    def __init__(self, initial_bytes=b""):
        StringIO.__init__(self)
        self._parts = [initial_bytes] if initial_bytes else []

    def write(self, b):
        self._parts.append(bytes(b))
        return len(b)

    def getvalue(self):
        value = b"".join(self._parts)
        self._parts = [value] if value else []
        return value
