# guidebot as a container: slim, non-root, with a health check. Build and run:
#   docker build -t guidebot . && docker run -p 3000:3000 --env-file .env guidebot
# or with PostgreSQL beside it: docker compose up
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000 GUIDEBOT_LOG_FORMAT=json XDG_CACHE_HOME=/tmp/cache

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY knowledge ./knowledge
RUN pip install . && rm -rf /app/bot /app/adapters /app/knowledge \
    && useradd --system --uid 10001 --no-create-home --home-dir /nonexistent guidebot

# the working directory holds nothing the service writes: state is in DATABASE_URL (PostgreSQL here)
WORKDIR /tmp
USER 10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"]
CMD ["guidebot", "serve"]
