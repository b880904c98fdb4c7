"""The REST API for automation: a second entry point over `core` (FastAPI, served by uvicorn)."""
