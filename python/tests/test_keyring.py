"""Keyring: several access keys, and a secret rotating under one, shared between threads."""

import pickle
from concurrent.futures import ThreadPoolExecutor

import netless_token as nt
import pytest

AK, T0 = "ak", 1_700_000_000_000


def test_rotation_verifies_both_secrets_until_the_old_one_retires():
    old, new = nt.KeyPair(AK, "old-sk"), nt.KeyPair(AK, "new-sk")
    keyring = nt.Keyring()
    keyring.insert(old)
    old_token = keyring.minter(AK).mint("room", "writer", 60_000, "room-1", issued_at=T0)

    # The new pair beside the old: minting switches to the newest, both tokens verify.
    keyring.insert(new)
    assert len(keyring) == 1  # one access key, two secrets
    new_token = keyring.minter(AK).mint("room", "writer", 60_000, "room-1", issued_at=T0)
    assert new.verify(new_token, now=T0)
    with pytest.raises(nt.SignatureError):
        old.verify(new_token, now=T0)
    for token in (old_token, new_token):
        verified = keyring.verify(token, kind="room", now=T0)
        assert isinstance(verified, nt.VerifiedToken) and verified.uuid == "room-1"

    # The old secret retires: its tokens no longer verify, the new one's still do.
    assert keyring.retire_oldest(AK) is True
    with pytest.raises(nt.SignatureError):
        keyring.verify(old_token, now=T0)
    assert keyring.verify(new_token, now=T0) == nt.decode(new_token)
    assert old not in keyring and new in keyring

    assert keyring.retire_oldest(AK) is True
    assert len(keyring) == 0 and not keyring and keyring.minter(AK) is None
    assert keyring.retire_oldest(AK) is False


def test_several_access_keys_each_verify_their_own_tokens():
    keyring = nt.Keyring()
    for ak in ("team-a", "team-b"):
        keyring.insert(nt.KeyPair(ak, ak + "-sk"))
    keyring.insert(nt.KeyPair("team-b", "team-b-next"))
    assert len(keyring) == 2 and keyring
    token_a = nt.mint("sdk", "team-a", "team-a-sk", "reader", 0, issued_at=T0, nonce="n")
    assert keyring.verify(token_a).ak == "team-a"
    with pytest.raises(nt.UnknownAccessKeyError) as e:
        keyring.verify(nt.mint("sdk", "team-c", "team-a-sk", "reader", 0))
    assert e.value.field == "ak"
    # A token of a known access key signed with another secret.
    with pytest.raises(nt.SignatureError):
        keyring.verify(nt.mint("sdk", "team-a", "team-b-sk", "reader", 0))
    assert keyring.remove("team-b") == 2
    assert keyring.remove("team-b") == 0
    assert len(keyring) == 1


def test_the_policy_is_that_of_key_pair_verify():
    keyring = nt.Keyring()
    keyring.insert(nt.KeyPair(AK, "sk"))
    token = nt.mint("room", AK, "sk", "writer", 1000, "u", issued_at=T0, nonce="n")
    with pytest.raises(nt.WrongKindError):
        keyring.verify(token, kind="task", now=T0)
    with pytest.raises(nt.ExpiredError) as e:
        keyring.verify(token, now=T0 + 1000)
    assert e.value.leeway == 0
    assert keyring.verify(token, now=T0 + 1000, leeway=1)
    with pytest.raises(nt.LifetimeError):
        keyring.verify(token, now=T0, max_lifetime=999)
    with pytest.raises(nt.MalformedTokenError):
        keyring.verify("NETLESSSDK_", now=T0)
    with pytest.raises(TypeError, match=r"^Keyring.verify\(\) got an unexpected keyword argument 'ak'$"):
        keyring.verify(token, ak=AK)


def test_membership_compares_the_secret_not_the_object():
    keyring = nt.Keyring()
    keyring.insert(nt.KeyPair(AK, "sk"))
    assert nt.KeyPair(AK, "sk") in keyring
    assert nt.KeyPair(AK, b"sk") in keyring
    assert nt.KeyPair(AK, "guess") not in keyring
    assert nt.KeyPair("other", "sk") not in keyring
    # An access key alone says nothing about the secret: asking with one is a mistake.
    with pytest.raises(TypeError, match="^pair: expected KeyPair, not str$"):
        AK in keyring


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda k: k.insert("sk"), "pair: expected KeyPair, not str"),
        (lambda k: k.minter(None), "ak: expected str, not NoneType"),
        (lambda k: k.retire_oldest(b"ak"), "ak: expected str, not bytes"),
        (lambda k: k.remove(1), "ak: expected str, not int"),
        (lambda k: k.verify(None), "token: expected str, not NoneType"),
    ],
)
def test_arguments_of_the_wrong_type_name_themselves(call, message):
    with pytest.raises(TypeError) as e:
        call(nt.Keyring())
    assert str(e.value) == message


def test_the_keyring_shows_no_key_and_does_not_pickle():
    keyring = nt.Keyring()
    assert repr(keyring) == "Keyring(<0 access keys>)"
    keyring.insert(nt.KeyPair(AK, "SeNtInEl"))
    assert repr(keyring) == "Keyring(<1 access key>)"
    assert "SeNtInEl" not in repr(keyring) and AK not in repr(keyring)
    with pytest.raises(TypeError):
        pickle.dumps(keyring)


def test_threads_verify_while_others_rotate():
    keyring = nt.Keyring()
    keyring.insert(nt.KeyPair(AK, "sk-0"))
    token = nt.mint("sdk", AK, "sk-0", "admin", 0, issued_at=T0, nonce="n")

    def rotate(i):
        # Each worker adds a secret of its own access key and retires it again; AK's first
        # secret stays, so the token verifies throughout.
        ak = f"worker-{i}"
        for n in range(200):
            keyring.insert(nt.KeyPair(ak, f"sk-{n}"))
            assert keyring.minter(ak) is not None
            assert keyring.retire_oldest(ak)
        return ak

    def check(_):
        return all(keyring.verify(token).ak == AK for _ in range(200))

    with ThreadPoolExecutor(max_workers=8) as pool:
        rotated = [pool.submit(rotate, i) for i in range(4)]
        checked = [pool.submit(check, i) for i in range(4)]
        assert all(f.result() for f in checked)
        assert sorted(f.result() for f in rotated) == [f"worker-{i}" for i in range(4)]
    assert len(keyring) == 1 and nt.KeyPair(AK, "sk-0") in keyring
