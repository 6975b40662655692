# kompetanse: the server (the LRS, the catalog and the pages) in a slim, non-root image.
#   docker build -t kompetanse .
#   docker run -p 8000:8000 -e KOMPETANSE_BOOTSTRAP_KEY=... -e KOMPETANSE_BOOTSTRAP_SECRET=... kompetanse
# compose.yaml runs it on a three-member MongoDB replica set.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/kompetanse
WORKDIR /src
COPY pyproject.toml README.md ./
COPY lrs lrs
COPY catalog catalog
COPY adapters adapters
COPY src src
# The server extra only: no test or development tools in the image.
RUN /opt/kompetanse/bin/pip install ".[server]"

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/kompetanse kompetanse \
    && install -d -o kompetanse -g kompetanse -m 0700 /var/lib/kompetanse
COPY --from=build /opt/kompetanse /opt/kompetanse
ENV PATH=/opt/kompetanse/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KOMPETANSE_HOST=0.0.0.0 \
    KOMPETANSE_PORT=8000 \
    KOMPETANSE_DATA_DIR=/var/lib/kompetanse \
    KOMPETANSE_LOG_FORMAT=json
USER kompetanse
WORKDIR /var/lib/kompetanse
VOLUME /var/lib/kompetanse
EXPOSE 8000
# Liveness: the process answers. (/readyz says whether it can serve: for a load balancer.)
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('KOMPETANSE_PORT', '8000')}/healthz\", timeout=2)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["kompetanse"]
CMD ["serve"]
