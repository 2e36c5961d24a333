"""An independent check of a raleur passport, with PyJWT and cryptography (not raleur's code).

Usage: python3 tests/verify_passport.py PASSPORT.jwt TRUSTED_DID
Prints `ok` and exits 0, or prints the reason and exits 1.

It derives the Ed25519 public key from the did:key itself (multicodec 0xed01, base58btc),
verifies the EdDSA signature and the nbf/exp claims with PyJWT, then checks the payload
against the Open Badges 3.0 required fields of an OpenBadgeCredential in its VC-JWT form.
"""

import sys

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"


def base58_decode(text):
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading + raw


def public_key(did):
    if not did.startswith("did:key:z"):
        raise ValueError(f"{did} is not a base58btc did:key")
    raw = base58_decode(did[len("did:key:z"):])
    if raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise ValueError(f"{did} is not an Ed25519 did:key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def has_type(node, wanted):
    kinds = node.get("type")
    return kinds == wanted or (isinstance(kinds, list) and wanted in kinds)


def require(condition, message, faults):
    if not condition:
        faults.append(message)


def check_ob3(vc):
    faults = []
    contexts = vc.get("@context", [])
    require(isinstance(contexts, list) and contexts[:1] == [VC_CONTEXT],
            "@context must begin with the VC 2.0 context", faults)
    require(any(isinstance(c, str) and c.startswith(OB_CONTEXT_PREFIX) for c in contexts),
            "@context must hold the Open Badges 3.0 context", faults)
    require(has_type(vc, "VerifiableCredential") and has_type(vc, "OpenBadgeCredential"),
            "type must hold VerifiableCredential and OpenBadgeCredential", faults)
    for field in ("id", "name", "validFrom"):
        require(isinstance(vc.get(field), str) and vc[field], f"{field} is required", faults)
    issuer = vc.get("issuer", {})
    require(isinstance(issuer, dict) and issuer.get("id") and has_type(issuer, "Profile"),
            "issuer must be a Profile with an id", faults)
    subject = vc.get("credentialSubject", {})
    require(has_type(subject, "AchievementSubject"),
            "credentialSubject must be an AchievementSubject", faults)
    require(subject.get("id") or subject.get("identifier"),
            "credentialSubject needs an id or an identifier", faults)
    for identity in subject.get("identifier", []):
        require(identity.get("type") == "IdentityObject" and "hashed" in identity
                and identity.get("identityHash") and identity.get("identityType"),
                "identifier must be IdentityObjects with hashed, identityHash, identityType",
                faults)
    achievement = subject.get("achievement", {})
    require(has_type(achievement, "Achievement"), "achievement must be an Achievement", faults)
    for field in ("id", "name", "description"):
        require(achievement.get(field), f"achievement.{field} is required", faults)
    criteria = achievement.get("criteria", {})
    require(criteria.get("narrative") or criteria.get("id"),
            "achievement.criteria needs a narrative or an id", faults)
    described = set()
    for description in achievement.get("resultDescription", []):
        require(description.get("id") and has_type(description, "ResultDescription")
                and description.get("name") and description.get("resultType"),
                "a ResultDescription needs id, type, name and resultType", faults)
        described.add(description.get("id"))
    for result in subject.get("result", []):
        require(has_type(result, "Result"), "a Result needs its type", faults)
        require(result.get("resultDescription") in described,
                "a Result must point at a ResultDescription of the achievement", faults)
    for evidence in vc.get("evidence", []):
        require(has_type(evidence, "Evidence"), "each evidence needs type Evidence", faults)
    # VC-JWT: the registered claims mirror the credential's fields.
    require(vc.get("iss") == issuer.get("id"), "iss must be issuer.id", faults)
    require(vc.get("jti") == vc.get("id"), "jti must be the credential id", faults)
    return faults


def main():
    token = open(sys.argv[1], encoding="ascii").read().strip()
    trusted = sys.argv[2]
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "EdDSA":
            raise jwt.InvalidAlgorithmError(f"alg {header.get('alg')}")
        payload = jwt.decode(
            token,
            key=public_key(trusted),
            algorithms=["EdDSA"],
            issuer=trusted,
            options={"require": ["iss", "nbf", "jti"]},
        )
    except (jwt.PyJWTError, ValueError) as error:
        print(f"invalid: {type(error).__name__}: {error}")
        return 1
    faults = check_ob3(payload)
    if faults:
        print("invalid: " + "; ".join(faults))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
