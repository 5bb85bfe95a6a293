"""Tests for the classifier package."""
