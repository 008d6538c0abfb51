"""Qingzhai (清债): compliance-first debt recovery platform."""

from qingzhai.config.celery import app as celery_app

__all__ = ["celery_app"]
__version__ = "0.1.0"
