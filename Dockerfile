# Campaign Schedule Planner: gunicorn by default; the same image runs workers with `python manage.py qcluster`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=planner.settings

WORKDIR /app

RUN groupadd --system --gid 10001 planner && useradd --system --uid 10001 --gid planner --home-dir /app --shell /usr/sbin/nologin planner

# Dependencies in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python - <<'PY' > /tmp/requirements.txt && pip install --requirement /tmp/requirements.txt && rm /tmp/requirements.txt
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PY

COPY . .

# The secret key and the integrations come from the environment at run time; collectstatic needs none of them.
RUN python manage.py collectstatic --noinput \
    && chown -R planner:planner /app

USER 10001
EXPOSE 8000

CMD ["gunicorn", "planner.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
