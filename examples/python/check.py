"""Checks a running Tessera over gRPC: one line per check, exit status 1 at the first failure.

Environment:
  TESSERA_URL            host:port to dial (default 127.0.0.1:50051)
  TESSERA_ISSUER         the service's configured public URL, which access tokens carry as
                         `iss` (default http://localhost:50051, the development default)
  TESSERA_AUDIENCE       the `aud` of access tokens (default tessera)
  TESSERA_REFRESH_GRACE  seconds the service still accepts a spent refresh token (default 10)
"""
from __future__ import annotations

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
    res = t.auth.Register(auth_pb.RegisterRequest(email=s.email, password=PASSWORD, name="Python"))
    return f"user {res.user.id}"


def login(t: Tessera, s: SimpleNamespace) -> str:
    res = t.auth.Login(auth_pb.LoginRequest(email=s.email, password=PASSWORD))
    s.tokens = res.tokens
    return f"session {res.tokens.session_id}"


def get_me(t: Tessera, s: SimpleNamespace) -> str:
    res = t.users.GetMe(user_pb.GetMeRequest(), metadata=bearer(s.tokens.access_token))
    if res.user.email != s.email:
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
    call = lambda: t.auth.Register(auth_pb.RegisterRequest(email="not-an-address", password=PASSWORD))
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


def main() -> int:
    target = os.environ.get("TESSERA_URL", "127.0.0.1:50051")
    s = SimpleNamespace(
        verifier=AccessTokenVerifier(
            f"http://{target}/.well-known/jwks.json",
            issuer=os.environ.get("TESSERA_ISSUER", "http://localhost:50051"),
            audience=os.environ.get("TESSERA_AUDIENCE", "tessera"),
        ),
        refresh_grace=float(os.environ.get("TESSERA_REFRESH_GRACE", "10")),
    )
    with Tessera(target) as t:
        for name, check in CHECKS:
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
