# Shared helpers for start.sh and test.sh. Sourced, not executed.
# A fresh machine has Node 20 and npm only: bootstrap pnpm with npm (corepack's signature
# check fails on these machines), pinned to the version in package.json "packageManager".

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"

log() { printf '\033[1m» %s\033[0m\n' "$*"; }

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    PNPM=(pnpm)
    return
  fi
  log "installing pnpm@$PNPM_VERSION with npm"
  if npm install --global --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    hash -r
    PNPM=(pnpm)
  else
    # No permission for a global install: run it through npm exec instead.
    PNPM=(npm exec --yes "pnpm@$PNPM_VERSION" --)
  fi
}

install_deps() {
  log "installing dependencies (pnpm install --frozen-lockfile)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "${PNPM[@]}" install --frozen-lockfile --reporter=append-only | grep -vE '^(Progress|Packages:)' || true
  test -d node_modules/.pnpm || { echo "pnpm install failed" >&2; exit 1; }
}

APT_UPDATED=0
# apt_ensure <command> <debian package>: installs the package when the command is missing.
apt_ensure() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != "0" ]; then
    echo "error: '$cmd' is missing; install Debian's '$pkg' package (sudo apt-get install -y $pkg)" >&2
    return 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing $pkg (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
}
