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
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo "Dân Vận: http://$host:$port/  (back-office: /admin/, API: /api/v1/docs, health: /healthz)"
$venv/bin/gunicorn config.wsgi:application \
  --bind "$host:$port" --workers "$workers" --threads 4 \
  --access-logfile - --error-logfile - --log-level warning
