# Marstek Automation — the bot in a small image.
# UDP discovery and the batteries' replies need the host's network: run with --network host
# (see docker-compose.yml). The SQLite database lives in /app/data: mount it as a volume.
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MARSTEK_DATA_DIR=/app/data

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN pip install . \
    && useradd --create-home --uid 10001 marstek \
    && mkdir -p /app/data \
    && chown -R marstek:marstek /app/data

USER marstek
VOLUME ["/app/data"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
