"""The reliability suite's deploy faults, fast versions (one seeded trial each, a few seconds):
bench/soak_deploy.py runs the same scenarios (tests/reliability/scenarios.py) for many trials
and docs/reliability.md lists its figures."""

from __future__ import annotations

import random

import pytest

import scenarios

ALL = ["sqlite", "postgresql", "mysql"]
SERVERS = ["postgresql", "mysql"]


@pytest.mark.parametrize("provider", ALL)
def test_sigkill_at_random_points_of_a_50_migration_deploy(provider, make):
    figures = scenarios.sigkill_deploy(make(provider), random.Random(15), n=50, kills=3)
    assert figures["mid_deploy"] >= 1, figures  # the kills did land mid-deploy
    if provider != "mysql":
        assert figures["manual_steps"] == 0


@pytest.mark.parametrize("absent", [False, True], ids=["present", "absent"])
@pytest.mark.parametrize("provider", ALL)
def test_eight_concurrent_deploys(provider, absent, make):
    scenarios.concurrent_deploys(make(provider), random.Random(15), procs=8, n=6, absent=absent)


@pytest.mark.parametrize("provider", ALL)
def test_table_locked_by_another_session(provider, make):
    scenarios.table_locked(make(provider), random.Random(15))


@pytest.mark.parametrize("provider", SERVERS)
def test_deploy_killed_while_waiting_for_a_table(provider, make):
    scenarios.killed_while_waiting(make(provider), random.Random(15))


@pytest.mark.parametrize("provider", SERVERS)
def test_connection_killed_mid_migration(provider, make):
    scenarios.connection_killed(make(provider), random.Random(15))
