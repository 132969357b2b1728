# Shared set-up steps for scripts/start and scripts/test (sourced, not run).
# Each step is skipped when what it installs from has not changed since it last ran (a stamp of
# the inputs' SHA-256), so a second run starts at once and never rewrites what a running test
# reads; a changed pyproject.toml, package-lock.json or stylesheet runs the step again.

_stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv..."
    python3 -m venv .venv
  fi
  local extras="${1:-}" stamp=".venv/.yjs-installed${1:-}" want
  want="$(_stamp_of pyproject.toml)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "Python packages are up to date."
    return
  fi
  echo "Installing Python packages..."
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$want" > "$stamp"
}

setup_frontend() {
  local stamp="node_modules/.yjs-installed" want
  want="$(_stamp_of package.json package-lock.json frontend/*.scss)"
  if [ -f "$stamp" ] && [ -f yjs/static/yjs/yjs.css ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "Front-end packages are up to date."
    return
  fi
  echo "Installing front-end packages (GOV.UK Frontend, MoJ Frontend, HTMX)..."
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build:css
  echo "$want" > "$stamp"
}
