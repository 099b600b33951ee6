#!/usr/bin/env bash
# Print the path of a Python >= 3.12 to build .venv with, or explain what to install.
# Order: $PYTHON if set, python3.13, python3.12, python3, then pyenv's versions (newest first).
set -u

ok() {  # ok CMD -> true if CMD runs and is Python >= 3.12
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.14 python3.13 python3.12 python3; do
  path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
pyenv_root=""
if command -v pyenv >/dev/null 2>&1; then
  pyenv_root=$(pyenv root 2>/dev/null)
elif [ -d "${PYENV_ROOT:-$HOME/.pyenv}/versions" ]; then
  pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
fi
if [ -n "$pyenv_root" ] && [ -d "$pyenv_root/versions" ]; then
  for dir in $(ls -1 "$pyenv_root/versions" | grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -t. -k1,1nr -k2,2nr -k3,3nr); do
    [ -x "$pyenv_root/versions/$dir/bin/python" ] && candidates+=("$pyenv_root/versions/$dir/bin/python")
  done
fi

for candidate in "${candidates[@]}"; do
  if ok "$candidate"; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

cat >&2 <<'MSG'
Dân Vận needs Python 3.12 or newer (Django 6.1 requires it), and none was found.
Looked for: $PYTHON, python3.14, python3.13, python3.12, python3 and pyenv's versions.
Install one, for example:
  - pyenv:   pyenv install 3.12   (then run this command again)
  - Debian/Ubuntu: apt-get install python3.12 python3.12-venv   (where the distribution has it)
  - or set PYTHON=/path/to/python3.12
MSG
exit 1
