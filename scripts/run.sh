#!/usr/bin/env bash
# Start the web server (gunicorn) and a task worker; stop both on Ctrl-C.
set -euo pipefail
host=$1 port=$2 workers=$3
venv=.venv

echo
echo "Demo accounts (password in the second column; also in README.md):"
$venv/bin/python manage.py demo_accounts --table
echo

$venv/bin/python manage.py db_worker --interval 2 &
worker=$!
# The daily jobs, checked every hour: each is safe to run again the same day
# (docs/decisions/0008-daily-jobs.md). On a server, cron or a systemd timer
# running the same two commands replaces this loop.
(
  while true; do
    $venv/bin/python manage.py send_due_digests --verbosity 0 || true
    $venv/bin/python manage.py purge_idempotency_records --verbosity 0 || true
    $venv/bin/python manage.py purge_orphan_attachments --verbosity 0 || true
    sleep 3600
  done
) &
daily=$!
# Every minute: article views waiting in the cache go into the database
# (docs/decisions/0012-article-view-counting.md), and pages whose scheduled
# publication time has come are published (Wagtail's `publish_scheduled`).
(
  while true; do
    sleep 60
    $venv/bin/python manage.py flush_article_views --verbosity 0 || true
    $venv/bin/python manage.py publish_scheduled --verbosity 0 || true
  done
) &
views=$!
trap 'kill $worker $daily $views 2>/dev/null || true' EXIT INT TERM

# The access log shows the path without the query string: a citizen's lookup
# key (GET /api/v1/petitions/{code}?key=…) must not end up in the logs.
access_format='%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'

echo "Dân Vận: http://$host:$port/  (back-office: /admin/, API: /api/v1/docs, health: /healthz)"
$venv/bin/gunicorn config.wsgi:application \
  --bind "$host:$port" --workers "$workers" --threads 4 \
  --access-logfile - --error-logfile - --log-level warning \
  --access-logformat "$access_format"
