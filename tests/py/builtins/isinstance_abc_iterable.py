from collections.abc import Iterable, Mapping, Sequence, Hashable
print(isinstance([], Iterable), isinstance({}, Mapping), isinstance("s", Sequence), isinstance(5, Iterable), isinstance([], Hashable), isinstance((), Hashable))
