"""Sign-in with the organisation's OpenID Connect provider: the authorization code flow with
PKCE (S256), a nonce and a state bound to the browser, the ID token checked (signature by the
provider's published keys, issuer, audience, expiry, nonce), roles and units mapped from its
claims by `OidcSettings.role_map`, and the provider's own sign-out.

    GET /logg-inn/oidc?neste=/side      to the provider, with state, nonce and code challenge
    GET /logg-inn/oidc/tilbake          back from it: code -> tokens -> checked ID token -> session

A flow is kept server-side (`oidc_flows`, by the SHA-256 of its state, for ten minutes, used
once); the state is also in an HttpOnly cookie, so a callback that another site started in
this browser (login CSRF) is refused. Authlib makes the PKCE pair and the request URL; joserfc
(Authlib's JOSE library) checks the token. Local accounts stay, for small installations and
break-glass administration.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from catalog import SESSION_COOKIE, AccountStore, CatalogError, set_session_cookie
from catalog._access import ROLES
from kompetanse.pages._web import HOME, error_page, local_target
from kompetanse.settings import OidcSettings
from lrs.errors import Forbidden, LrsError, NotFound, Unauthorized
from lrs.store import Collection

STATE_COOKIE = "kompetanse_oidc_state"
FLOW_LIFETIME = timedelta(minutes=10)
CALLBACK = "/logg-inn/oidc/tilbake"
_RANK = {role: rank for rank, role in enumerate(ROLES)}  # learner < ... < admin


class SignInRefused(Unauthorized):
    """The provider's answer was refused; the message says why (never a 500)."""


@dataclass(frozen=True)
class Mapped:
    username: str
    subject: str
    role: str
    person: str | None
    office: str | None
    region: str | None


def map_claims(claims: dict[str, Any], settings: OidcSettings) -> Mapped:
    """The account an ID token's claims describe; Forbidden names what is missing."""
    subject = claims.get("sub")
    username = claims.get(settings.username_claim) or subject
    if not isinstance(subject, str) or not isinstance(username, str):
        raise Forbidden(f"the identity provider's token has no {settings.username_claim} or sub")
    values = claims.get(settings.roles_claim, [])
    values = [values] if isinstance(values, str) else values
    roles = [settings.role_map[v] for v in values if isinstance(v, str) and v in settings.role_map]
    if not roles:
        known = ", ".join(sorted(settings.role_map))
        raise Forbidden(
            f"{username} has no role here: the claim {settings.roles_claim!r} holds none of {known}"
        )
    role = max(roles, key=lambda r: _RANK[r])

    def claim(name: str) -> str | None:
        value = claims.get(name)
        return value if isinstance(value, str) and value else None

    person, office, region = (
        claim(settings.person_claim),
        claim(settings.office_claim),
        claim(settings.region_claim),
    )
    needed = {
        "learner": person,
        "leader": office,
        "representative": office,
        "coordinator": region,
    }
    if role in needed and needed[role] is None:
        name = {
            "learner": settings.person_claim,
            "leader": settings.office_claim,
            "representative": settings.office_claim,
            "coordinator": settings.region_claim,
        }[role]
        raise Forbidden(f"{username} has the role {role} but no {name!r} claim to bind it to")
    return Mapped(username, subject, role, person, office, region)


class OpenIdConnect:
    """The provider's configuration (discovered once), and the two steps of the flow."""

    def __init__(self, settings: OidcSettings, public_url: str | None) -> None:
        assert settings.issuer and settings.client_id and settings.client_secret  # noqa: S101
        self.settings = settings
        self.issuer = settings.issuer.rstrip("/")
        self.client_id = settings.client_id
        self.secret = settings.client_secret.get_secret_value()
        self.public_url = public_url.rstrip("/") if public_url else None
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            found = await self._get(f"{self.issuer}/.well-known/openid-configuration")
            if str(found.get("issuer", "")).rstrip("/") != self.issuer:
                raise SignInRefused("the identity provider names another issuer")
            self._metadata = found
        return self._metadata

    async def keys(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            published: Any = await self._get((await self.metadata())["jwks_uri"])
            self._keys = KeySet.import_key_set(published)
        return self._keys

    def redirect_uri(self, request: Request) -> str:
        base = self.public_url or str(request.base_url).rstrip("/")
        return base + CALLBACK

    async def start(self, request: Request, accounts: AccountStore, target: str) -> Response:
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(48)
        await _flows(accounts).insert_one(
            {
                "_id": _digest(state),
                "verifier": verifier,
                "nonce": nonce,
                "next": target,
                "expires": (datetime.now(UTC) + FLOW_LIFETIME).isoformat(),
            }
        )
        url = add_params_to_uri(
            (await self.metadata())["authorization_endpoint"],
            [
                ("response_type", "code"),
                ("client_id", self.client_id),
                ("redirect_uri", self.redirect_uri(request)),
                ("scope", self.settings.scopes),
                ("state", state),
                ("nonce", nonce),
                ("code_challenge", create_s256_code_challenge(verifier)),
                ("code_challenge_method", "S256"),
            ],
        )
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(
            STATE_COOKIE,
            state,
            max_age=int(FLOW_LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",  # sent on the provider's top-level redirect back
            secure=request.url.scheme == "https"
            or request.headers.get("x-forwarded-proto") == "https",
            path=CALLBACK,
        )
        return response

    async def finish(self, request: Request, accounts: AccountStore) -> tuple[str, str]:
        """(session token, where to go) for a callback; SignInRefused says why not."""
        params = request.query_params
        if "error" in params:
            raise SignInRefused(f"the identity provider refused: {params.get('error')}")
        state, code = params.get("state", ""), params.get("code", "")
        if not state or not code:
            raise SignInRefused("the identity provider's answer has no code or state")
        # as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
        cookie = request.cookies.get(STATE_COOKIE, "")
        if not secrets.compare_digest(state.encode(), cookie.encode()):
            raise SignInRefused("this sign-in was not started in this browser; start it again")
        flows = _flows(accounts)
        flow = await flows.find_one({"_id": _digest(state)})
        if flow is None or flow["expires"] < datetime.now(UTC).isoformat():
            raise SignInRefused("this sign-in has expired or was used already; start it again")
        await flows.delete_one({"_id": flow["_id"]})
        tokens = await self._post(
            (await self.metadata())["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri(request),
                "code_verifier": flow["verifier"],
            },
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused("the identity provider sent no ID token")
        claims = await self.check(id_token, flow["nonce"])
        mapped = map_claims(claims, self.settings)
        await accounts.bind_external(
            mapped.username,
            mapped.subject,
            mapped.role,
            person=mapped.person,
            office=mapped.office,
            region=mapped.region,
        )
        token = await accounts.start_session(
            mapped.username, replacing=request.cookies.get(SESSION_COOKIE), id_token=id_token
        )
        await accounts.audit.record(
            "sign-in",
            actor=mapped.username,
            target=mapped.username,
            method="oidc",
            role=mapped.role,
        )
        return token, str(flow["next"])

    async def check(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
        try:
            try:
                decoded = jwt.decode(id_token, await self.keys(), algorithms=["RS256", "ES256"])
            except JoseError:  # perhaps a new signing key: fetch the keys once more
                decoded = jwt.decode(id_token, await self.keys(True), algorithms=["RS256", "ES256"])
        except (JoseError, ValueError) as exc:
            raise SignInRefused(f"the ID token's signature does not verify ({exc})") from exc
        claims: dict[str, Any] = dict(decoded.claims)
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience or []
        problems = [
            (str(claims.get("iss", "")).rstrip("/") != self.issuer, "it is from another issuer"),
            (self.client_id not in audiences, "it is meant for another client (aud)"),
            (not _number(claims.get("exp")) or claims["exp"] < time.time() - 60, "it has expired"),
            (claims.get("nonce") != nonce, "its nonce is not this sign-in's"),
        ]
        for failed, why in problems:
            if failed:
                raise SignInRefused(f"the ID token was refused: {why}")
        return claims

    async def sign_out_url(self, request: Request, id_token: str) -> str | None:
        """The provider's end-session URL, back to the sign-in page afterwards."""
        endpoint = (await self.metadata()).get("end_session_endpoint")
        if not isinstance(endpoint, str):
            return None
        base = self.public_url or str(request.base_url).rstrip("/")
        return str(
            add_params_to_uri(
                endpoint,
                [("id_token_hint", id_token), ("post_logout_redirect_uri", f"{base}/logg-inn?ut")],
            )
        )

    async def _get(self, url: str) -> dict[str, Any]:
        return await self._call("GET", url)

    async def _post(self, url: str, form: dict[str, str]) -> dict[str, Any]:
        return await self._call("POST", url, form)

    async def _call(
        self, method: str, url: str, form: dict[str, str] | None = None
    ) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                answer = await client.request(
                    method, url, data=form, auth=(self.client_id, self.secret) if form else None
                )
        except httpx.HTTPError as exc:
            raise SignInRefused(f"the identity provider cannot be reached ({exc})") from exc
        if answer.status_code != 200:
            raise SignInRefused(
                f"the identity provider answered {answer.status_code}: {answer.text[:200]}"
            )
        try:
            found = answer.json()
        except ValueError as exc:
            raise SignInRefused("the identity provider's answer is not JSON") from exc
        if not isinstance(found, dict):
            raise SignInRefused("the identity provider's answer is not a JSON object")
        return found


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _flows(accounts: AccountStore) -> Collection:
    return accounts.flows


router = APIRouter(include_in_schema=False)


@router.get("/logg-inn/oidc")
async def sign_in_with_provider(request: Request, neste: str | None = None) -> Response:
    provider: OpenIdConnect | None = request.app.state.oidc
    if provider is None:
        raise NotFound("sign-in with an identity provider is not set up here")
    return await provider.start(request, request.app.state.accounts, local_target(neste) or "")


@router.get(CALLBACK)
async def back_from_provider(request: Request) -> Response:
    provider: OpenIdConnect | None = request.app.state.oidc
    accounts: AccountStore = request.app.state.accounts
    if provider is None:
        return await error_page(request, 404, "sign-in with an identity provider is not set up")
    try:
        token, target = await provider.finish(request, accounts)
    except (LrsError, CatalogError) as exc:  # the provider's answer, or the account refused
        await accounts.audit.record("sign-in-refused", actor=None, reason=exc.message)
        return await error_page(request, exc.status_code, exc.message)
    viewer = await accounts.viewer(token)
    response = RedirectResponse(target or (HOME[viewer.role] if viewer else "/"), status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(STATE_COOKIE, path=CALLBACK)
    return response


def install(app: FastAPI, settings: OidcSettings, public_url: str | None) -> None:
    app.state.oidc = OpenIdConnect(settings, public_url) if settings.enabled else None
    app.include_router(router)
