for exc in (ValueError, TypeError, KeyError):
    try:
        raise exc
    except (ValueError, TypeError) as e:
        print("tuple", type(e).__name__)
    except:
        print("bare except")
