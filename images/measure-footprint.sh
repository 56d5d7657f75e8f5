#!/usr/bin/env bash
# Measures what docs/benchmarks.md "Container footprint" reports: the compressed size of each built image
# (artifacts/images/<name>.tar, from ./build.sh --target=Images) and the resident memory of the Allocator, NodeAgent
# and l2 Announcer run from their unpacked images the way tests/Beacon.Images.Tests runs them (umoci unpack; chroot as
# the image's user in a private mount and PID namespace), all inside one network namespace this script creates
# (nothing reaches the host's network) with a nats-server: the Allocator in standalone mode gives one Service an
# address, the NodeAgent plumbs it on eth0, the Announcer answers ARP/NDP for it. RSS and peak RSS (VmHWM) from
# /proc/<pid>/status after SETTLE seconds (default 60). Prints a Markdown table. Needs root, umoci, jq, nats-server.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="$repo/artifacts/images"
settle="${SETTLE:-60}"
ns="bcn$$-footprint"
work="$(mktemp -d /tmp/beacon-footprint-XXXXXX)"
pids=()
cleanup() {
  # SIGKILL: unshare --fork ignores SIGTERM while it waits; --kill-child then takes the component with it.
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

unpack() { # $1 image name; prints the root filesystem
  mkdir -p "$work/$1/layout"
  tar -xf "$images/$1.tar" -C "$work/$1/layout"
  umoci unpack --image "$work/$1/layout:$(jq -r .tag "$repo/images/images.json")" "$work/$1/bundle" >/dev/null
  mkdir -p "$work/$1/bundle/rootfs/proc" "$work/$1/bundle/rootfs/dev"
  echo "$work/$1/bundle/rootfs"
}

run_image() { # $1 image name, $2 log file, rest: arguments to the entrypoint; runs in the namespace in the background
  local name="$1" log="$2" root user
  shift 2
  root="$work/$name/bundle/rootfs"
  user="$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$work/$name/bundle/config.json")"
  mapfile -t env < <(jq -r '.process.env[]' "$work/$name/bundle/config.json")
  mapfile -t entry < <(jq -r '.process.args[0]' "$work/$name/bundle/config.json")
  ip netns exec "$ns" unshare --mount --pid --fork --kill-child --mount-proc="$root/proc" \
    sh -c 'mount --rbind /dev "$0/dev" && exec "$@"' "$root" \
    env -i "${env[@]}" /usr/sbin/chroot --userspec="$user" "$root" "${entry[@]}" "$@" >"$log" 2>&1 &
  pids+=($!)
}

rss_of() { # $1 process name (comm, 15 characters) of a process in the namespace; prints "RSS / peak" in MiB
  local pid
  for pid in $(ip netns pids "$ns"); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && break; done
  awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{printf "%d MiB / %d MiB", r/1024+0.5, h/1024+0.5}' "/proc/$pid/status"
}

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name uplink0
ip -n "$ns" link set eth0 up; ip -n "$ns" link set uplink0 up
ip -n "$ns" addr add 192.0.2.2/24 dev eth0
ip -n "$ns" route add default via 192.0.2.1 dev eth0

for name in allocator nodeagent announcer; do unpack "$name" >/dev/null; done
mkdir -p "$work/allocator/bundle/rootfs/etc/beacon/manifests"
cat > "$work/allocator/bundle/rootfs/etc/beacon/manifests/sample.yaml" <<'EOF'
apiVersion: purelb.io/v1
kind: ServiceGroup
metadata:
  name: lan
  namespace: beacon-system
spec:
  local:
    v4pool:
      subnet: 192.0.2.0/24
      pool: 192.0.2.200-192.0.2.209
      aggregation: default
---
apiVersion: v1
kind: Node
metadata:
  name: image-node
status:
  addresses:
    - { type: InternalIP, address: 192.0.2.2 }
  conditions:
    - { type: Ready, status: "True" }
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  annotations:
    purelb.io/service-group: lan
spec:
  type: LoadBalancer
  ports:
    - { name: http, port: 80, protocol: TCP }
EOF

ip netns exec "$ns" nats-server -a 127.0.0.1 -p 4222 -js -sd "$work/js" >"$work/nats.log" 2>&1 &
pids+=($!)
until grep -q "Server is ready" "$work/nats.log"; do sleep 0.2; done
nats=(--nats-url nats://127.0.0.1:4222 --http-address 127.0.0.1 --log-format text)
run_image allocator "$work/allocator.log" --source standalone --manifests-directory /etc/beacon/manifests \
  --state-file /tmp/assignments.json --http-port 9470 "${nats[@]}"
run_image nodeagent "$work/nodeagent.log" --node-name image-node --interface eth0 --http-port 9471 "${nats[@]}"
run_image announcer "$work/announcer.log" --mode l2 --node-name image-node --interfaces eth0 --http-port 9472 "${nats[@]}"
for _ in $(seq 300); do ip -n "$ns" -4 -o addr show dev eth0 | grep -q "192.0.2.200/" && break; sleep 0.2; done
ip -n "$ns" -4 -o addr show dev eth0 | grep -q "192.0.2.200/" || { echo "the address was not plumbed" >&2; tail -20 "$work"/*.log >&2; exit 1; }
grep -q "now answers for 1 addresses" "$work/announcer.log" || sleep 5
sleep "$settle"

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), ${settle} s after the address was plumbed; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| Component (image) | RSS / peak RSS (VmHWM) |"
echo "|---|---|"
echo "| Allocator (JIT), 1 Service | $(rss_of Beacon.Allocato) |"
echo "| NodeAgent (NativeAOT), 1 address plumbed | $(rss_of Beacon.NodeAgen) |"
echo "| Announcer (NativeAOT), l2, answering for 1 address | $(rss_of Beacon.Announce) |"
echo
echo "| Image | Archive (compressed layers) |"
echo "|---|---|"
for tar in "$images"/*.tar; do
  echo "| $(basename "$tar" .tar) | $(du -k "$tar" | awk '{printf "%.1f MB", $1*1024/1e6}') |"
done
