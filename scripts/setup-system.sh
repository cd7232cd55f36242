#!/usr/bin/env bash
# setup-system.sh — install what the Docker lab tests need on a Debian 12 machine (run as root).
# 1. apt-get installs the missing bookworm packages, with a policy-rc.d that stops any daemon from starting.
# 2. Fetches Debian sid's docker.io (28.5) and docker-compose (Compose v2) with a private sources list and
#    private apt state, and unpacks them with dpkg -x into $TIERWALL_LAB_CACHE/sid/root (not installed).
# 3. Downloads bookworm's prometheus package and unpacks only its promtool into $TIERWALL_LAB_CACHE/prometheus
#    (dpkg -x, not installed: no prometheus user, no enabled or started prometheus.service).
# Idempotent: a second run only checks. Nothing here touches the machine's firewall, routes or interfaces.
set -euo pipefail

CACHE="${TIERWALL_LAB_CACHE:-/var/cache/tierwall-lab}"
SID="$CACHE/sid"
ROOT="$SID/root"
PACKAGES=(iproute2 iptables docker.io busybox-static socat shellcheck conntrack systemd kmod graphviz rsyslog logrotate curl jq pre-commit)
SID_PACKAGES=(docker.io docker-compose)
# promtool (check config/rules, test rules) ships in the prometheus package with the server and its unit.
PROMTOOL="$CACHE/prometheus/root/usr/bin/promtool"
POLICY=/usr/sbin/policy-rc.d
POLICY_BACKUP=""
POLICY_CREATED=0

log() { printf 'setup-system: %s\n' "$*"; }
die() { printf 'setup-system: error: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"
export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_SUSPEND=1 # needrestart must not restart services after an install

# Another apt/dpkg run (e.g. a background install) holds the locks: wait for it, bounded.
wait_for_apt() {
  local i
  for ((i = 0; i < 300; i++)); do
    if ! pgrep -x apt-get >/dev/null && ! pgrep -x dpkg >/dev/null && ! pgrep -x apt >/dev/null; then
      return 0
    fi
    ((i % 15 == 0)) && log "waiting for another apt-get/dpkg to finish"
    sleep 2
  done
  die "apt-get/dpkg still running after 600 s"
}

restore_policy() {
  if [[ -n $POLICY_BACKUP ]]; then
    mv -f "$POLICY_BACKUP" "$POLICY"
  elif ((POLICY_CREATED)); then
    rm -f "$POLICY"
  fi
}

# Make invoke-rc.d / deb-systemd-invoke refuse to start services while packages are installed.
deny_service_starts() {
  if [[ -f $POLICY ]] && grep -qx 'exit 101' "$POLICY"; then
    return 0
  fi
  if [[ -e $POLICY ]]; then
    POLICY_BACKUP="$(mktemp /usr/sbin/policy-rc.d.tierwall.XXXXXX)"
    cp -p "$POLICY" "$POLICY_BACKUP"
  else
    POLICY_CREATED=1
  fi
  trap restore_policy EXIT
  printf '#!/bin/sh\n# written by tierwall setup-system.sh for the duration of an install\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  log "installed a temporary $POLICY (exit 101): no daemon is started"
}

install_missing() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) != "install ok installed" ]]; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "packages present: ${PACKAGES[*]}"
    return 0
  fi
  wait_for_apt
  deny_service_starts
  local before after
  before="$(pgrep -x dockerd || true) $(pgrep -x containerd || true)"
  log "apt-get update"
  apt-get -o DPkg::Lock::Timeout=600 update
  log "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
  after="$(pgrep -x dockerd || true) $(pgrep -x containerd || true)"
  [[ $before == "$after" ]] || die "a dockerd/containerd started during the install (pids: $after); stop it"
}

# The machine's main Debian mirror (not -security), from deb822 or one-line sources; default deb.debian.org.
debian_uri() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri="$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")"
    [[ -n $uri ]] && { printf '%s\n' "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) print $i; break } }' "$f" | head -n1)"
    [[ -n $uri ]] && { printf '%s\n' "$uri"; return 0; }
  done
  printf '%s\n' http://deb.debian.org/debian
}

fetch_sid() {
  local dockerd="$ROOT/usr/sbin/dockerd" compose="$ROOT/usr/libexec/docker/cli-plugins/docker-compose"
  if [[ -f $SID/stamp && -x $dockerd && -x $compose ]]; then
    log "sid engine present: $("$dockerd" --version), $("$compose" version --short 2>/dev/null || echo '?') ($ROOT)"
    return 0
  fi
  local uri debs="$SID/debs" sources="$SID/apt/sources"
  uri="$(debian_uri)"
  mkdir -p "$sources" "$SID/apt/lists/partial" "$SID/apt/cache/archives/partial" "$debs"
  cat >"$sources/sid.sources" <<EOF
Types: deb
URIs: $uri
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Private sources, lists and cache: the machine's own apt state is neither read nor changed.
  local opts=(-o "Dir::Etc::sourcelist=$sources/sid.sources" -o "Dir::Etc::sourceparts=$SID/apt/none"
    -o "Dir::State::Lists=$SID/apt/lists" -o "Dir::Cache=$SID/apt/cache" -o "Acquire::Languages=none")
  mkdir -p "$SID/apt/none"
  # apt downloads as user _apt where it can write; without this it warns and downloads as root.
  if id _apt >/dev/null 2>&1; then chown _apt "$debs" "$SID/apt/cache/archives/partial"; fi
  wait_for_apt
  log "apt-get update (sid, private lists in $SID/apt, mirror $uri)"
  apt-get "${opts[@]}" update
  log "apt-get download ${SID_PACKAGES[*]} (sid)"
  rm -f "$debs"/*.deb
  (cd "$debs" && apt-get "${opts[@]}" download "${SID_PACKAGES[@]}")
  rm -rf "$ROOT.tmp"
  mkdir -p "$ROOT.tmp"
  local deb
  for deb in "$debs"/*.deb; do
    log "dpkg -x $(basename "$deb")"
    dpkg -x "$deb" "$ROOT.tmp"
  done
  rm -rf "$ROOT"
  mv "$ROOT.tmp" "$ROOT"
  [[ -x $dockerd && -x $compose ]] || die "sid packages did not provide $dockerd and $compose"
  (cd "$debs" && ls ./*.deb) >"$SID/stamp"
  log "sid engine unpacked: $("$dockerd" --version), compose $("$compose" version --short 2>/dev/null || echo '?')"
}

# Installing the prometheus package would create a user, enable prometheus.service for the next boot
# (policy-rc.d stops only the start now) and pull in a web UI's JavaScript: the tests need promtool
# alone, a static binary, so it is unpacked next to the sid engine and nothing else is kept.
fetch_promtool() {
  if [[ -x $PROMTOOL ]]; then
    log "promtool present: $("$PROMTOOL" --version 2>&1 | head -n1) ($PROMTOOL)"
    return 0
  fi
  local dir="$CACHE/prometheus" deb
  rm -rf "$dir/debs" "$dir/root.tmp"
  mkdir -p "$dir/debs" "$dir/root.tmp"
  if id _apt >/dev/null 2>&1; then chown _apt "$dir/debs"; fi
  wait_for_apt
  if ! (cd "$dir/debs" && apt-get download prometheus); then
    log "apt-get update (the machine's lists do not offer prometheus yet)"
    apt-get -o DPkg::Lock::Timeout=600 update
    (cd "$dir/debs" && apt-get download prometheus)
  fi
  for deb in "$dir/debs"/prometheus_*.deb; do
    log "dpkg -x $(basename "$deb") (promtool only)"
    dpkg -x "$deb" "$dir/root.tmp"
  done
  [[ -x $dir/root.tmp/usr/bin/promtool ]] || die "the prometheus package did not provide usr/bin/promtool"
  mkdir -p "$dir/root/usr/bin"
  mv -f "$dir/root.tmp/usr/bin/promtool" "$PROMTOOL"
  rm -rf "$dir/root.tmp" "$dir/debs"
  log "promtool unpacked: $("$PROMTOOL" --version 2>&1 | head -n1) ($PROMTOOL)"
}

install_missing
fetch_sid
fetch_promtool
log "done"
