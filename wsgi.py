"""WSGI entry point: `gunicorn --preload wsgi:app` loads the model once and shares it with workers."""
import sys

from hotline import create_app
from hotline.heap import freeze_start_up
from hotline.routing_setup import warm_up

app = create_app()

# Imported by gunicorn (not by the flask CLI, which also reads this file): load the model before the fork.
if "gunicorn" in sys.modules:
    warm_up(app)
    freeze_start_up()  # start-up's objects out of the full collections (hotline/heap.py)
