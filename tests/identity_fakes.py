"""A stand-in for the Bot Framework's identity provider, on loopback: the channel's OpenID configuration
and signing keys (JWKS) that Teams tokens are checked against, and the token endpoint the bot gets its own
outgoing token from (https with a self-signed certificate, as msal insists on https).

Only Microsoft's identity service is replaced; botbuilder, msal and PyJWT run as they do in production.
"""
from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import ssl
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://identity.guidebot.test"
APP_ID = "11111111-2222-3333-4444-555555555555"
OUTGOING_TOKEN = "outgoing-token-from-the-stand-in"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class SigningKey:
    kid: str = field(default_factory=lambda: uuid.uuid4().hex)
    private: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwk(self) -> dict[str, Any]:
        numbers = self.private.public_key().public_numbers()
        return {"kty": "RSA", "use": "sig", "kid": self.kid, "n": _b64(numbers.n), "e": _b64(numbers.e),
                "endorsements": ["msteams"]}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid, **header})


def channel_claims(service_url: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60, "exp": now + 3600,
            **overrides}


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "idp.pem", directory / "idp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class StandInIdentity:
    directory: Path
    keys: list[SigningKey] = field(default_factory=lambda: [SigningKey()])
    token_requests: list[dict[str, str]] = field(default_factory=list)
    metadata_url: str = ""
    login_url: str = ""
    ca_file: Path | None = None
    _runners: list[web.AppRunner] = field(default_factory=list)

    @property
    def key(self) -> SigningKey:
        return self.keys[0]

    def rotate(self) -> SigningKey:
        """A new signing key first in the published set (Azure publishes before it signs with it)."""
        self.keys.insert(0, SigningKey())
        return self.keys[0]

    async def start(self) -> None:
        plain = web.Application()
        plain.router.add_get("/openid", self._openid)
        plain.router.add_get("/keys", self._keys)
        port = await self._serve(plain, None)
        self.metadata_url = f"http://127.0.0.1:{port}/openid"
        self.ca_file, key_file = _self_signed(self.directory)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, key_file)
        secure = web.Application()
        secure.router.add_get("/tenant/v2.0/.well-known/openid-configuration", self._tenant)
        secure.router.add_post("/tenant/oauth2/v2.0/token", self._token)
        tls_port = await self._serve(secure, context)
        self.login_url = f"https://127.0.0.1:{tls_port}/tenant"

    async def _serve(self, app: web.Application, context: ssl.SSLContext | None) -> int:
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self._runners.append(runner)
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()

    async def _openid(self, request: web.Request) -> web.Response:
        base = str(request.url.origin())
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{base}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [k.jwk() for k in self.keys]})

    async def _tenant(self, request: web.Request) -> web.Response:
        base = f"{request.url.origin()}/tenant"
        return web.json_response({"issuer": f"{base}/v2.0", "token_endpoint": f"{base}/oauth2/v2.0/token",
                                  "authorization_endpoint": f"{base}/oauth2/v2.0/authorize"})

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        if form.get("client_id") != APP_ID or form.get("client_secret") != "the-app-password":
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.Response(text=json.dumps({"access_token": OUTGOING_TOKEN, "token_type": "Bearer",
                                             "expires_in": 3600}), content_type="application/json")
