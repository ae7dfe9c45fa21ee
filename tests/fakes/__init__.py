"""Test doubles: loopback servers and fixtures shared by the test suites."""
