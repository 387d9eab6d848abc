"""The authenticated Teams path, end to end and offline: tokens signed by a stand-in identity provider on
loopback are checked by the real SDK, and the bot's outgoing token comes from the stand-in's token endpoint."""
from __future__ import annotations

import json
import time

import jwt
import pytest

from conftest import slack_env, start_service, stop_service
from identity_fakes import APP_ID, ISSUER, OUTGOING_TOKEN, SigningKey, StandInIdentity, channel_claims
from teams_fakes import activity


@pytest.fixture
async def identity(tmp_path, monkeypatch):
    stand_in = StandInIdentity(tmp_path)
    await stand_in.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stand_in.ca_file))  # msal and the SDK trust the stand-in
    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    JwtTokenExtractor.metadataCache.clear()  # each test has its own stand-in keys
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def signed_in(identity, fake_slack, fake_connector, sqlite_url):
    env = {**slack_env(fake_slack), "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "the-app-password",
           "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": identity.metadata_url,
           "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER, "TO_CHANNEL_FROM_BOT_LOGIN_URL": identity.login_url,
           "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.com"}
    service = await start_service(env, db_url=sqlite_url)
    yield service
    await stop_service(service)


async def post(service, body: dict, token: str) -> int:
    response = await service.post("/api/messages", json.dumps(body),
                                  {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    return response.status


async def test_a_token_signed_by_the_channel_is_accepted_and_answered_with_the_bots_own_token(
        signed_in, identity, fake_connector):
    body = activity(fake_connector.url, text="kan jeg legge ut bilde av barn?")
    assert await post(signed_in, body, identity.key.sign(channel_claims(fake_connector.url))) == 201
    [reply] = await fake_connector.wait_for(1)
    assert "skriftlig tillatelse fra foreldre" in json.dumps(reply.activity, ensure_ascii=False)
    assert reply.authorization == f"Bearer {OUTGOING_TOKEN}"
    assert identity.token_requests and identity.token_requests[0]["grant_type"] == "client_credentials"


@pytest.mark.parametrize("case", ["wrong audience", "expired", "wrong key", "alg none", "wrong service url"])
async def test_tokens_azure_would_refuse_are_refused_with_401(signed_in, identity, fake_connector, case):
    claims = channel_claims(fake_connector.url)
    if case == "wrong audience":
        token = identity.key.sign({**claims, "aud": "another-bot"})
    elif case == "expired":
        token = identity.key.sign({**claims, "exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200})
    elif case == "wrong key":
        impostor = SigningKey(kid=identity.key.kid)  # same key id, a key the channel never published
        token = impostor.sign(claims)
    elif case == "alg none":
        token = jwt.encode(claims, None, algorithm="none", headers={"kid": identity.key.kid})
    else:
        token = identity.key.sign({**claims, "serviceurl": "https://elsewhere.example/"})
    assert await post(signed_in, activity(fake_connector.url, text="hei"), token) == 401
    assert fake_connector.posted == []


async def test_a_signing_key_rotated_mid_run_is_fetched_and_accepted(signed_in, identity, fake_connector):
    first = activity(fake_connector.url, text="kan jeg legge ut bilde av barn?")
    assert await post(signed_in, first, identity.key.sign(channel_claims(fake_connector.url))) == 201
    await fake_connector.wait_for(1)
    new_key = identity.rotate()
    second = activity(fake_connector.url, text="hvem skal være ansvarlig redaktør?")
    assert await post(signed_in, second, new_key.sign(channel_claims(fake_connector.url))) == 201
    await fake_connector.wait_for(2)
