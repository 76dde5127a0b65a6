"""The ownership rule of bundle format 2, as a property: a record is replaced only by a higher revision signed by
its owner key, trusted here; every other case is refused with a reason."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vendoreval.exchange.bundle import Signer
from vendoreval.services.bundle_records import new_record_problem, owner_of_new, replace_problem

KEYS = ["a" * 64, "b" * 64, "c" * 64]
signers = st.one_of(st.none(), st.sampled_from(KEYS).map(lambda fp: Signer(name="X", fingerprint=fp,
                                                                            public_key="")))


@given(owner=st.one_of(st.none(), st.just(""), st.sampled_from(KEYS)), signer=signers, trusted=st.booleans(),
       own=st.one_of(st.none(), st.sampled_from(KEYS)), revision=st.integers(1, 5), sent=st.integers(1, 5))
def test_only_the_trusted_owner_with_a_higher_revision_replaces(owner, signer, trusted, own, revision, sent):
    problem = replace_problem("condition", owner, signer, trusted, {}, own, {}, revision, sent)
    allowed = signer is not None and bool(owner) and owner == signer.fingerprint and trusted and revision > sent
    assert (problem is None) == allowed
    if problem is not None:
        assert problem.strip()


@given(stamp=st.one_of(st.none(), st.sampled_from(KEYS)), signer=signers, trusted=st.booleans())
def test_a_new_record_is_owned_by_the_key_that_vouches_for_it(stamp, signer, trusted):
    problem = new_record_problem("condition", stamp, signer, trusted, {})
    owner = owner_of_new(stamp, signer, trusted)
    if signer is None:
        assert owner == "" and (problem is None) == (stamp is None)  # unsigned: owned by nobody, never stamped
    elif problem is None:
        assert owner == (stamp if trusted and stamp else signer.fingerprint)
        assert trusted or stamp in (None, signer.fingerprint)  # an untrusted signer brings only its own
    else:
        assert not trusted and stamp not in (None, signer.fingerprint)


def test_a_hand_over_lets_the_new_key_replace_the_old_keys_records():
    new = Signer(name="Claire", fingerprint=KEYS[1], public_key="")
    assert replace_problem("claim", KEYS[0], new, True, {KEYS[0]: KEYS[1]}, None, {}, 3, 2) is None
    assert replace_problem("claim", KEYS[0], new, True, {}, None, {}, 3, 2) is not None
