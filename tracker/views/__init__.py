"""Blueprints, one per area. Views read a form, call one service, flash and redirect."""
