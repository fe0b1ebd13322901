# Debian's mirror as this machine's apt already uses it: never hard-coded.
# Source it; it only defines apt_mirror, which calls the sourcing script's
# die when there is none.
# shellcheck shell=bash

apt_mirror() {
  local m
  m=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
  [ -n "$m" ] || m=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
  [ -n "$m" ] || die "no Debian mirror found in the apt sources: configure apt first"
  echo "$m"
}
