"""One KeyPair shared by many threads: every token is valid and none is lost or mixed up."""

from concurrent.futures import ThreadPoolExecutor

import netless_token as nt


def test_threads_sharing_one_key_pair_mint_and_verify_correctly():
    pair = nt.KeyPair("ak", "sk")

    def work(worker):
        out = []
        for i in range(300):
            uuid = f"room-{worker}-{i}"
            token = pair.mint("room", nt.Role(i % 3), 60_000, uuid)
            verified = pair.verify(token, kind="room")
            assert verified.uuid == uuid and verified.role == i % 3
            out.append(token)
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = [t for batch in pool.map(work, range(16)) for t in batch]
    assert len(tokens) == len(set(tokens)) == 16 * 300
    # Checked again on the main thread, with the functions rather than the pair.
    assert all(nt.verify(t, "sk", ak="ak") for t in tokens[::97])


def test_fixed_inputs_give_the_same_token_on_every_thread():
    pair = nt.KeyPair("ak", "sk")
    expected = pair.mint("sdk", "admin", 1000, issued_at=0, nonce="n")
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda _: pair.mint("sdk", "admin", 1000, issued_at=0, nonce="n"), range(2000)))
    assert set(got) == {expected}
