"""Credentials: password hashes, opaque token hashes, JWTs and secrets encrypted at rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from jose import JWTError, jwt
from zxcvbn import zxcvbn

JWT_ALGORITHM = "HS256"  # the only algorithm accepted: no "none", no RS/HS confusion

_passwords = PasswordHasher()


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _passwords.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# zxcvbn's "safely unguessable" (about 10^10 guesses): beyond an online attack even
# without throttling, and costly offline against an Argon2 hash.
MIN_PASSWORD_SCORE = 3
# zxcvbn's own bound: its cost grows fast with length, and 72 characters decide strength.
PASSWORD_CHECK_LENGTH = 72


def password_weakness(password: str, *related: str) -> str | None:
    """Why the password is too easy to guess (None when it is strong enough). `related`
    are the account's own words (email, names): a password built from them is weak."""
    result = zxcvbn(password[:PASSWORD_CHECK_LENGTH], user_inputs=[r for r in related if r])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    hints = [feedback["warning"], *feedback["suggestions"]]
    return " ".join(["This password is too easy to guess.", *(h for h in hints if h)])


# A hash of something to compare against when the account does not exist, so a login
# for an unknown email costs the same time as one with a wrong password.
DUMMY_PASSWORD_HASH = _passwords.hash(secrets.token_urlsafe(16))


def new_token(prefix: str, nbytes: int = 32) -> str:
    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"


def token_hash(token: str) -> str:
    """Opaque tokens (API keys, refresh tokens) carry 256 bits of entropy: SHA-256 suffices."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class AccessTokenError(Exception):
    """The access token is malformed, forged, expired or not meant for us."""


class AccessTokens:
    def __init__(self, secret: str, issuer: str, audience: str, ttl_s: int) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self.ttl_s = ttl_s

    def issue(self, *, user_id: uuid.UUID, tenant_id: uuid.UUID, role: str, version: int) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "tid": str(tenant_id),
            "role": role,
            "ver": version,  # the user's token version: a bump ends this token
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.ttl_s)).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=JWT_ALGORITHM)

    def verify(self, token: str) -> dict[str, Any]:
        try:
            if jwt.get_unverified_header(token).get("alg") != JWT_ALGORITHM:
                raise AccessTokenError("unsupported algorithm")
            return jwt.decode(
                token,
                self._secret,
                algorithms=[JWT_ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require_exp": True, "require_sub": True},
            )
        except JWTError as exc:
            raise AccessTokenError(str(exc)) from exc


class SecretBox:
    """Encrypts tenant secrets (panel keys, bot tokens, userbot sessions) at rest.

    Keys are Fernet keys, newest first: new values use the first, old ones stay readable
    until `rotate` re-encrypts them.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is required")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret cannot be decrypted with the configured keys") from exc

    def rotate(self, ciphertext: str) -> str:
        return self._fernet.rotate(ciphertext.encode()).decode()
