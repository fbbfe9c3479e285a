#!/usr/bin/env bash
# Install the Debian packages vtopo needs to build and test, if missing.
# Usage: scripts/deps.sh [build|test|all]   (default: all)
# Only installs when run as root; otherwise lists what is missing and fails.
set -euo pipefail

build_pkgs=(gcc make meson ninja-build pkg-config libjson-c-dev libpcap-dev libcmocka-dev
	libyang2-dev libevent-dev clang llvm libclang-rt-14-dev)
test_pkgs=(tshark python3 python3-scapy iproute2 nftables iputils-ping socat tcpdump
	gobgpd bird2 frr openbgpd exabgp iperf3 ethtool jq)

case "${1:-all}" in
build) want=("${build_pkgs[@]}") ;;
test) want=("${test_pkgs[@]}") ;;
all) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
*) echo "deps.sh: unknown set '$1' (build|test|all)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
