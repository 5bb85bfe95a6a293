"""WSGI entry point: `gunicorn --preload wsgi:app` loads the model once and shares it with workers."""
from hotline import create_app

app = create_app()
