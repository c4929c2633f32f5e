"""The small PostgreSQL client behind `migrate status`: its SCRAM maths against RFC 7677's
published exchange, and its refusal to serve remote servers (those get psycopg and TLS)."""

from __future__ import annotations

import pytest

from lamina.db.pgwire import WireError, _Scram, connect_light
from lamina.db.url import parse_url

# RFC 7677, section 3: user "user", password "pencil".
CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO"
SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="


def test_scram_exchange_matches_rfc_7677():
    scram = _Scram("pencil", user="user", nonce=CLIENT_NONCE)
    assert scram.client_first() == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    assert scram.client_final(SERVER_FIRST) == CLIENT_FINAL
    scram.verify_server_final(SERVER_FINAL)  # does not raise


def test_scram_rejects_a_server_that_does_not_know_the_password():
    scram = _Scram("pencil", user="user", nonce=CLIENT_NONCE)
    scram.client_final(SERVER_FIRST)
    with pytest.raises(WireError):
        scram.verify_server_final("v=" + "A" * 43 + "=")


def test_scram_rejects_a_nonce_the_server_did_not_extend():
    scram = _Scram("pencil", user="user", nonce="somethingelse")
    with pytest.raises(WireError):
        scram.client_final(SERVER_FIRST)


def test_remote_servers_are_left_to_psycopg():
    assert connect_light(parse_url("postgresql://u:p@db.example.com:5432/app")) is None
    assert connect_light(parse_url("postgresql://u:p@127.0.0.1:5432/app?sslmode=require")) is None
