s = {1, 2, 3}
s |= {4}; print(s)
s &= {1, 2, 4}; print(s)
s -= {1}; print(s)
s ^= {2, 7}; print(s)
s.intersection_update({4, 7, 10}); print(s)
s.difference_update({7}); print(s)
