"""`python -m api`: serve the REST API on API_HOST:API_PORT (default 127.0.0.1:8000)."""

import uvicorn

from core.config import get_settings

if __name__ == "__main__":
    settings = get_settings()
    uvicorn.run("api.app:app", host=settings.api_host, port=settings.api_port, log_level="info")
