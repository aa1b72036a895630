#!/usr/bin/env bash
# Install what building and testing mcast needs, from Debian packages, only when missing.
# Idempotent and quiet when everything is already there. Usage: scripts/deps.sh [--build-only]
set -eu

build_pkgs="gcc make pkg-config libpcap-dev libmnl-dev libcap-ng-dev libcmocka-dev zlib1g-dev libisal-dev libsodium-dev libssl-dev"
test_pkgs="clang clang-format iproute2 nftables tcpdump tshark iperf socat smcroute igmpproxy python3 valgrind procps kmod ffmpeg vlc-bin vlc-plugin-base uftp time faketime"

pkgs="$build_pkgs"
[ "${1:-}" = "--build-only" ] || pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt_opts="-y -q -o Dpkg::Use-Pty=0 --no-install-recommends"
if ! apt-get install $apt_opts $missing >/tmp/mcast-deps.log 2>&1; then
	apt-get update -q >>/tmp/mcast-deps.log 2>&1
	apt-get install $apt_opts $missing >>/tmp/mcast-deps.log 2>&1 || {
		echo "deps: apt-get install failed; see /tmp/mcast-deps.log" >&2
		tail -20 /tmp/mcast-deps.log >&2
		exit 1
	}
fi
