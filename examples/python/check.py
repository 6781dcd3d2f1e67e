"""Checks a running Tessera over gRPC: one line per check, exit status 1 at the first failure.

Environment:
  TESSERA_URL            host:port to dial (default 127.0.0.1:50051)
  TESSERA_ISSUER         the service's configured public URL, which access tokens carry as
                         `iss` (default http://localhost:50051, the development default)
  TESSERA_AUDIENCE       the `aud` of access tokens (default tessera)
  TESSERA_REFRESH_GRACE  seconds the service still accepts a spent refresh token (default 10)

With TESSERA_EMAIL set it signs in to that existing account instead (Login, CompleteSignIn
when the account has a second factor, GetMe, local verification) and stops there:
  TESSERA_EMAIL          the account's email
  TESSERA_PASSWORD       its password
  TESSERA_TOTP_CODE      the code its authenticator app shows now
  TESSERA_TOTP_SECRET    or the app's base32 secret, to compute the code here (demos, tests;
                         a real client asks its user for the code)

With TESSERA_ACCESS_TOKEN set it only verifies that access token locally, as a resource server
does (the service's JWKS, the pinned issuer and audience), and prints one line:
  TESSERA_ACCESS_TOKEN   an access token issued earlier (e.g. before a key rotation)
"""
from __future__ import annotations

import binascii
import os
import sys
import time
import uuid
from types import SimpleNamespace

import grpc
import jwt
from tessera.adapter.v1 import adapter_service_pb2 as adapter_pb
from tessera.auth.v1 import auth_service_pb2 as auth_pb
from tessera.user.v1 import user_service_pb2 as user_pb
from tessera_client import AccessTokenVerifier, Tessera, bearer, call_error
from totp import totp_code

#: The password the checks register with.
PASSWORD = "correct horse battery staple"


class CheckFailed(Exception):
    pass


def refused(call, code: grpc.StatusCode, reason: str, field: str | None = None) -> str:
    """Runs a call that must fail with `code`, `reason` and (if given) `field`; describes it."""
    try:
        call()
    except grpc.RpcError as err:
        got = call_error(err)
        if got.code != code or got.reason != reason or (field is not None and field not in got.fields):
            raise CheckFailed(f"expected {code.name} {reason}, got {got}") from None
        return f"{got.code.name} {got.reason}" + (f" field {field}" if field else "")
    raise CheckFailed(f"expected {code.name} {reason}, the call succeeded")


def register(t: Tessera, s: SimpleNamespace) -> str:
    s.email = f"python.{uuid.uuid4().hex[:12]}@example.com"
    res = t.auth.Register(auth_pb.RegisterRequest(email=s.email, password=s.password, name="Python"))
    return f"user {res.user.id}"


def login(t: Tessera, s: SimpleNamespace) -> str:
    """Says the client handles second factors, so it gets tokens or, for an account with a second
    factor, a challenge for CompleteSignIn (instead of FAILED_PRECONDITION
    auth.second_factor_required)."""
    req = auth_pb.LoginRequest(email=s.email, password=s.password, second_factor_capable=True)
    res = t.auth.Login(req)
    if res.HasField("second_factor_challenge"):
        s.challenge = res.second_factor_challenge
        return f"second factor required ({', '.join(s.challenge.methods)})"
    s.tokens = res.tokens
    return f"session {res.tokens.session_id}"


def complete_sign_in(t: Tessera, s: SimpleNamespace) -> str:
    methods = list(s.challenge.methods)
    if "totp" not in methods:
        raise CheckFailed(f"the account's second factors are {', '.join(methods)}; this client does totp only")
    code = s.totp_code
    if not code and s.totp_secret:
        try:
            code = totp_code(s.totp_secret)
        except binascii.Error as err:
            raise CheckFailed(f"TESSERA_TOTP_SECRET is not base32: {err}") from None
    if not code:
        raise CheckFailed("the account has a second factor: set TESSERA_TOTP_CODE (or TESSERA_TOTP_SECRET)")
    res = t.auth.CompleteSignIn(auth_pb.CompleteSignInRequest(challenge_token=s.challenge.token, totp_code=code))
    s.tokens = res.tokens
    return f"TOTP code accepted, session {res.tokens.session_id}"


def get_me(t: Tessera, s: SimpleNamespace) -> str:
    res = t.users.GetMe(user_pb.GetMeRequest(), metadata=bearer(s.tokens.access_token))
    if res.user.email.casefold() != s.email.casefold():
        raise CheckFailed(f"GetMe answered {res.user.email}, not {s.email}")
    return f"{res.user.email} with authorization: Bearer"


def verify_locally(t: Tessera, s: SimpleNamespace) -> str:
    claims = s.verifier.verify(s.tokens.access_token)
    return f"EdDSA, typ at+jwt, iss {claims['iss']}, aud {claims['aud']}, sub {claims['sub']}"


def refresh(t: Tessera, s: SimpleNamespace) -> str:
    s.spent = s.tokens.refresh_token
    res = t.auth.Refresh(auth_pb.RefreshRequest(refresh_token=s.spent))
    if res.tokens.session_id != s.tokens.session_id or res.tokens.refresh_token == s.spent:
        raise CheckFailed("Refresh did not rotate the refresh token within the session")
    return "new tokens, same session"


def spent_token_refused(t: Tessera, s: SimpleNamespace) -> str:
    if s.refresh_grace:  # inside the grace window a spent token still answers
        time.sleep(s.refresh_grace + 1)
    call = lambda: t.auth.Refresh(auth_pb.RefreshRequest(refresh_token=s.spent))
    return refused(call, grpc.StatusCode.UNAUTHENTICATED, "auth.refresh_token_reused")


def wrong_password(t: Tessera, s: SimpleNamespace) -> str:
    call = lambda: t.auth.Login(auth_pb.LoginRequest(email=s.email, password="not the password"))
    return refused(call, grpc.StatusCode.UNAUTHENTICATED, "auth.invalid_credentials")


def malformed_email(t: Tessera, s: SimpleNamespace) -> str:
    call = lambda: t.auth.Register(auth_pb.RegisterRequest(email="not-an-address", password=s.password))
    return refused(call, grpc.StatusCode.INVALID_ARGUMENT, "request.invalid_argument", field="email")


def adapter_without_credential(t: Tessera, s: SimpleNamespace) -> str:
    call = lambda: t.adapter.GetUser(adapter_pb.GetUserRequest(id="any"))
    return refused(call, grpc.StatusCode.UNAUTHENTICATED, "service.invalid_credential")


CHECKS = [
    ("Register", register),
    ("Login", login),
    ("GetMe", get_me),
    ("access token verified locally", verify_locally),
    ("Refresh", refresh),
    ("spent refresh token refused", spent_token_refused),
    ("wrong password refused", wrong_password),
    ("malformed email refused", malformed_email),
    ("AdapterService without credential refused", adapter_without_credential),
]


def sign_in_checks(s: SimpleNamespace):
    """The checks with TESSERA_EMAIL. A generator, so the second step is decided after Login ran."""
    yield "Login", login
    if s.challenge is not None:
        yield "CompleteSignIn", complete_sign_in
    yield "GetMe", get_me
    yield "access token verified locally", verify_locally


def verify_given_token(t: Tessera, s: SimpleNamespace) -> str:
    s.tokens = SimpleNamespace(access_token=s.access_token)
    return verify_locally(t, s)


def selected_checks(s: SimpleNamespace):
    """TESSERA_ACCESS_TOKEN: verify it and nothing else; TESSERA_EMAIL: sign in; else every check."""
    if s.access_token:
        return [("access token verified locally", verify_given_token)]
    return sign_in_checks(s) if s.email else CHECKS


def main() -> int:
    target = os.environ.get("TESSERA_URL", "127.0.0.1:50051")
    s = SimpleNamespace(
        verifier=AccessTokenVerifier(
            f"http://{target}/.well-known/jwks.json",
            issuer=os.environ.get("TESSERA_ISSUER", "http://localhost:50051"),
            audience=os.environ.get("TESSERA_AUDIENCE", "tessera"),
        ),
        refresh_grace=float(os.environ.get("TESSERA_REFRESH_GRACE", "10")),
        email=os.environ.get("TESSERA_EMAIL", ""),
        password=os.environ.get("TESSERA_PASSWORD", PASSWORD),
        totp_code=os.environ.get("TESSERA_TOTP_CODE", ""),
        totp_secret=os.environ.get("TESSERA_TOTP_SECRET", ""),
        access_token=os.environ.get("TESSERA_ACCESS_TOKEN", ""),
        challenge=None,
    )
    with Tessera(target) as t:
        for name, check in selected_checks(s):
            try:
                detail = check(t, s)
            except grpc.RpcError as err:
                print(f"FAIL {name}: {call_error(err)}", flush=True)
                return 1
            except (CheckFailed, jwt.PyJWTError) as err:
                print(f"FAIL {name}: {err}", flush=True)
                return 1
            print(f"ok {name}: {detail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
