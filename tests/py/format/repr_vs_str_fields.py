class T:
    def __repr__(self):
        return "T<r>"
    def __str__(self):
        return "T<s>"
t = T()
print(f"{t} {t!r} {t!s}", "{} {!r}".format(t, t), str([t]), "%s %r" % (t, t))
