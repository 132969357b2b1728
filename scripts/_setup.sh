# Shared set-up steps for scripts/start and scripts/test (sourced, not run).
setup_python() {
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv..."
    python3 -m venv .venv
  fi
  echo "Installing Python packages..."
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${1:-}"
}

setup_frontend() {
  echo "Installing front-end packages (GOV.UK Frontend, MoJ Frontend, HTMX)..."
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build:css
}
