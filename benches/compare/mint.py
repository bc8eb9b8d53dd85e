"""The official algorithm in Python, written from the spec (hmac, json, urllib, uuid1), but
with the JavaScript generator's sorted query and encodeURIComponent escaping so that it mints
the same token.
  python3 mint.py N      time N Room tokens after a warm-up; print {"impl","ns_per_token"}
  python3 mint.py once   print one Room token minted now (for the whole-process timing)
  python3 mint.py fixed  print the Room token for the fixed inputs (cross-check)
"""
import base64
import hashlib
import hmac
import json
import sys
import time
import uuid
from urllib.parse import quote

AK = "BUxxxxxxrc"
SK = "CxxxxxxxauY3"
UUID = "a7e0a4d0c1a011eabc5b5d4c8e0aca69"
LIFESPAN = 3600000
SAFE = "-_.!~*'()"  # encodeURIComponent's unreserved marks (letters and digits are always safe)


def token(prefix, fields, sk):
    signed = {k: fields[k] for k in sorted(fields)}
    info = json.dumps(signed, separators=(",", ":"), ensure_ascii=False)
    fields = dict(fields, sig=hmac.new(sk.encode(), info.encode(), hashlib.sha256).hexdigest())
    query = "&".join(f"{quote(k, safe=SAFE)}={quote(fields[k], safe=SAFE)}" for k in sorted(fields))
    return prefix + base64.urlsafe_b64encode(query.encode()).rstrip(b"=").decode()


def mint(now_ms, nonce):
    fields = {"ak": AK, "nonce": nonce, "role": "1", "expireAt": str(now_ms + LIFESPAN), "uuid": UUID}
    return token("NETLESSROOM_", fields, SK)


def mint_now():
    return mint(int(time.time() * 1000), str(uuid.uuid1()))


def main():
    arg = sys.argv[1] if len(sys.argv) > 1 else "100000"
    if arg == "once":
        print(mint_now())
    elif arg == "fixed":
        print(mint(1700000000000, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
    else:
        n = int(arg)
        sink = 0
        for _ in range(min(n, 5000)):
            sink += len(mint_now())
        start = time.perf_counter_ns()
        for _ in range(n):
            sink += len(mint_now())
        ns = (time.perf_counter_ns() - start) / n
        print(json.dumps({"impl": "python", "ns_per_token": ns, "sink": sink}))


if __name__ == "__main__":
    main()
