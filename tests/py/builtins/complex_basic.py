z = complex(3, 4)
print(z, abs(z), z.real, z.imag, z.conjugate(), z * 1j, (1 + 2j) + (3 - 1j), 2j ** 2, repr(1j), complex("1+2j"))
