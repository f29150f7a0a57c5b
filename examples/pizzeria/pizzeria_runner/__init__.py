"""Run the pizzeria: its API and client as real processes on 127.0.0.1 (demo, serve, e2e)."""

from __future__ import annotations

from pizzeria_runner.processes import ServerProcess, StartupError, free_port
from pizzeria_runner.projects import ApiProject, ClientProject

__all__ = ["ApiProject", "ClientProject", "ServerProcess", "StartupError", "free_port"]
