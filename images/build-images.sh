#!/usr/bin/env bash
# Builds every image in images/images.json as an OCI archive under artifacts/images/<name>.tar, without a registry or a
# container runtime: root filesystems come from Debian packages (apt-get download + dpkg-deb -x, from the machine's
# apt sources), the .NET shared runtime of the SDK doing the build (Allocator, beaconctl) or the NativeAOT executables
# (NodeAgent, Announcer: "nativeAot" in images.json); umoci writes the OCI layout. Needs root (file ownership in layers),
# apt-get, dpkg-deb, dotnet, and for NativeAOT clang, ld.lld and zlib1g-dev (./build.sh --target=Images installs them);
# installs umoci and jq when missing.
#
# Reproducible: every file time is set to SOURCE_DATE_EPOCH (default: the last commit's time), layers are written in
# name order by umoci, history and config dates are fixed, .NET builds are deterministic (ContinuousIntegrationBuild,
# no PDBs; the NativeAOT executables are reused from artifacts/publish until their sources change). Same commit + same
# Debian package versions + same .NET SDK = same image digests.
# Base layers are cached under artifacts/images/cache, keyed by the exact package and runtime versions.
set -euo pipefail
shopt -s inherit_errexit

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
definitions="$repo/images/images.json"
configuration="${CONFIGURATION:-Release}"
out="${IMAGES_OUTPUT:-$repo/artifacts/images}"
only="${IMAGES_ONLY:-}"   # optional space-separated image names
work="$out/work"
cache="$out/cache"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)}"
created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
[ "$(id -u)" = 0 ] || { echo "build-images: run as root (layers record root-owned files)" >&2; exit 2; }
# The Debian tools this script needs beyond a .NET build machine (also why ./build.sh --target=Images needs no setup).
missing=""; for tool in umoci jq; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "build-images: installing$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2; }
fi

for tool in jq umoci apt-get apt-cache dpkg-deb dotnet tar; do
  command -v "$tool" >/dev/null || { echo "build-images: $tool is missing" >&2; exit 2; }
done
registry="$(jq -r .registry "$definitions")"
tag="$(jq -r .tag "$definitions")"

mkdir -p "$work" "$cache/debs"
rm -f "$work"/pins-* "$work"/published-*
touch "$work/started"

# Same times everywhere, so layer tarballs depend on content only.
normalize_times() { find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }

runtime_version() { # highest installed shared runtime of the SDK's major version
  local major; major="$(dotnet --version | cut -d. -f1)"
  ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep "^$major\." | sort -V | tail -1
}
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"

# "pkg=version" for each package of a Debian layer: the cache key and what gets downloaded. One apt-cache call per
# layer and run (it takes seconds on a loaded machine).
debian_pins() {
  local memo="$work/pins-$1" packages
  if [ ! -f "$memo" ]; then
    packages="$(jq -r --arg l "$1" '.layers[$l][]' "$definitions")"
    # shellcheck disable=SC2086
    apt-cache show --no-all-versions $packages 2>/dev/null | awk '/^Package:/{p=$2} /^Version:/{print p "=" $2}' > "$memo.new"
    for p in $packages; do
      grep -q "^$p=" "$memo.new" || { echo "build-images: Debian package $p is unknown to apt (run apt-get update)" >&2; exit 1; }
    done
    mv "$memo.new" "$memo"
  fi
  cat "$memo"
}

layer_key() { # what a layer's content depends on
  case "$1" in
    dotnet) echo "dotnet $(runtime_version) $(ls "$dotnet_root/host/fxr" | sort -V | tail -1)";;
    *) debian_pins "$1";;
  esac
}

fill_debian_layer() { # $1 layer, $2 rootfs
  local root="$2" pins deb
  pins="$(debian_pins "$1")"
  for pin in $pins; do
    # apt names the file <package>_<version with ":" as %3a>_<arch>.deb
    deb="$cache/debs/${pin%%=*}_${pin#*=}"; deb="${deb//:/%3a}_$(dpkg --print-architecture).deb"
    [ -f "$deb" ] || [ -f "${deb%_*}_all.deb" ] || (cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$pin")
    [ -f "$deb" ] || deb="${deb%_*}_all.deb"
    dpkg-deb -x "$deb" "$root"
  done
  # Maintainer scripts do not run: do by hand what the base needs from them.
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/lintian" "$root/usr/share/bug"
  case "$1" in
    debian)
      mkdir -p "$root/etc/ssl/certs" "$root/usr/lib/ssl" "$root/tmp" "$root/home/nonroot" "$root/root"
      chmod 1777 "$root/tmp"; chown 65532:65532 "$root/home/nonroot"; chmod 700 "$root/root"
      find "$root/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat > "$root/etc/ssl/certs/ca-certificates.crt"
      ln -sfn /etc/ssl/certs "$root/usr/lib/ssl/certs"
      ln -sfn /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
      printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
      printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
      printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
      ;;
    bird)
      # The bgp-bird overlay starts BIRD through "sh -c 'touch ... && exec bird ...'": busybox provides both.
      mkdir -p "$root/bin" "$root/etc/bird" "$root/run/bird"
      for applet in sh touch; do ln -sfn /bin/busybox "$root/bin/$applet"; done
      ;;
    frr)
      # The bgp-frr overlay starts zebra and bgpd through "sh -c". FRR's privilege code looks up its user and the
      # vty group (the daemon's user must be in it) even when told to stay root (-u root -g root: a container without
      # CAP_SETUID cannot switch users); Debian's frr.postinst would have created them. /var/run/frr is where vtysh
      # looks for the daemons' sockets.
      mkdir -p "$root/bin" "$root/run/frr" "$root/var" "$root/var/tmp/frr"
      ln -sfn /run "$root/var/run"
      for applet in sh touch; do ln -sfn /bin/busybox "$root/bin/$applet"; done
      printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\nfrr:x:100:101:frr:/nonexistent:/sbin/nologin\n' > "$root/etc/passwd"
      printf 'root:x:0:\nnonroot:x:65532:\nfrr:x:101:\nfrrvty:x:102:frr,root\n' > "$root/etc/group"
      # vtysh authenticates through PAM unless the user is "nopassword"; the image has no PAM modules.
      printf 'service integrated-vtysh-config\nusername root nopassword\n' > "$root/etc/frr/vtysh.conf"
      ;;
    gobgp)
      # busybox cp: the bgp-gobgp overlay's init container copies the gobgp CLI (needs only libc) for the announcer.
      mkdir -p "$root/bin"
      for applet in sh cp; do ln -sfn /bin/busybox "$root/bin/$applet"; done
      ;;
  esac
}

fill_dotnet_layer() { # $1 rootfs: the shared runtime only (apps are framework-dependent; 49 MB compressed, one layer for all)
  local root="$1" version fxr
  version="$(runtime_version)"; fxr="$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)"
  mkdir -p "$root/usr/share/dotnet/shared" "$root/usr/share/dotnet/host/fxr" "$root/usr/bin"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$root/usr/share/dotnet/"
  cp -a "$dotnet_root/host/fxr/$fxr" "$root/usr/share/dotnet/host/fxr/"
  for framework in $(jq -r '.layers.dotnet[]' "$definitions"); do
    mkdir -p "$root/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$version" "$root/usr/share/dotnet/shared/$framework/"
  done
  ln -sfn /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
}

# A base image (config + the layers an image lists), cached by the versions of everything in it.
base_layout() { # $1 = space-separated layer names; prints the layout path
  local layers="$1" key layout tmp layer root
  # Also keyed by this script, which decides how the layers are filled.
  key="$( (sha256sum < "${BASH_SOURCE[0]}"; for layer in $layers; do echo "[$layer]"; layer_key "$layer"; done) | sha256sum | cut -c1-16)"
  layout="$cache/base-${layers// /-}-$key"
  if [ ! -f "$layout/index.json" ]; then
    tmp="$layout.tmp"; rm -rf "$tmp"
    umoci init --layout "$tmp" >&2
    umoci new --image "$tmp:base" >&2
    for layer in $layers; do
      root="$work/rootfs-$layer"; rm -rf "$root"; mkdir -p "$root"
      case "$layer" in dotnet) fill_dotnet_layer "$root";; *) fill_debian_layer "$layer" "$root";; esac
      normalize_times "$root"
      umoci insert --image "$tmp:base" --history.created "$created" --history.created_by "beacon images: $layer layer" \
        --history.comment "$(layer_key "$layer" | tr '\n' ' ')" "$root" / >&2
      rm -rf "$root"
    done
    mv "$tmp" "$layout"
  fi
  touch "$layout/used"
  echo "$layout"
}

publish() { # $1 name, $2 project, $3 "true" for a NativeAOT build; prints the directory whose files go to /app
  local dir="$work/publish/$1" native
  rm -rf "$dir"
  if [ "$3" = true ]; then
    # The node components ship as what the footprint benchmark measures: the NativeAOT executables of
    # ./build.sh --target=Publish, by the same command into the same artifacts/publish/<component> (the AOT smoke tests
    # publish with it too). They share the project's obj/, so MSBuild skips the NativeAOT compile and link whenever
    # one of them already ran for these sources: ILC runs once per change of the code, not once per image or caller.
    native="$repo/artifacts/publish/$(basename "$2" .csproj | sed 's/^Beacon\.//' | tr '[:upper:]' '[:lower:]')"
    # Once per run (announcer and announcer-frr share one; this runs in a subshell, hence a file as the mark).
    if [ ! -f "$work/published-$(basename "$native")" ]; then
      dotnet publish "$repo/$2" -c "$configuration" -r linux-x64 -o "$native" -p:TreatWarningsAsErrors=true -nologo -v:q >&2
      touch "$work/published-$(basename "$native")"
    fi
    # The executable and its settings, without symbols (*.dbg, the stripped native ones: 50 MB; *.pdb of the
    # referenced projects), which only a debugger reads.
    mkdir -p "$dir"
    find "$native" -maxdepth 1 -type f ! -name '*.dbg' ! -name '*.pdb' -exec cp -p {} "$dir/" \;
  else
    # Own artifacts path: never rewrites the bin/obj of the repository's normal build (tests run those binaries).
    # Framework-dependent (the Allocator and beaconctl), on the shared .NET layer.
    dotnet publish "$repo/$2" -c "$configuration" -r linux-x64 --self-contained false --artifacts-path "$work/dotnet" -o "$dir" \
      -p:PublishAot=false -p:UseAppHost=true -p:DebugType=none -p:ContinuousIntegrationBuild=true -p:SatelliteResourceLanguages=en \
      -p:TreatWarningsAsErrors=true -nologo -v:q >&2
  fi
  echo "$dir"
}
build_image() { # $1 index in images.json
  local spec name layers project user native ref layout base dir entry
  spec="$(jq -c ".images[$1]" "$definitions")"
  name="$(jq -r .name <<<"$spec")"; layers="$(jq -r '.layers | join(" ")' <<<"$spec")"
  project="$(jq -r '.project // empty' <<<"$spec")"; user="$(jq -r .user <<<"$spec")"; native="$(jq -r '.nativeAot // false' <<<"$spec")"
  ref="$registry/$name:$tag"
  echo "== $ref" >&2
  base="$(base_layout "$layers")"
  layout="$work/layout-$name"; rm -rf "$layout"; cp -a "$base" "$layout"
  umoci tag --image "$layout:base" "$tag"
  umoci rm --image "$layout:base"
  if [ -n "$project" ]; then
    dir="$(publish "$name" "$project" "$native")"
    normalize_times "$dir"
    umoci insert --image "$layout:$tag" --history.created "$created" --history.created_by "beacon images: dotnet publish $project" "$dir" /app
  fi
  local args=(--image "$layout:$tag" --created "$created" --history.created "$created" --history.created_by "beacon images: config"
    --author "Beacon" --architecture amd64 --os linux --config.user "$user" --config.workingdir "$( [ -n "$project" ] && echo /app || echo / )"
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    --config.label "org.opencontainers.image.title=beacon-$name" --config.label "org.opencontainers.image.version=$tag"
    --config.label "org.opencontainers.image.created=$created"
    --config.label "org.opencontainers.image.revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)")
  [ -n "$project" ] && [ "$native" != true ] && args+=(--config.env "DOTNET_ROOT=/usr/share/dotnet")
  while read -r entry; do args+=(--config.entrypoint "$entry"); done < <(jq -r '.entrypoint[]' <<<"$spec")
  while read -r entry; do args+=(--config.cmd "$entry"); done < <(jq -r '.cmd // [] | .[]' <<<"$spec")
  umoci config "${args[@]}"
  umoci gc --layout "$layout"
  # Docker (25+) and containerd name an imported image after io.containerd.image.name; ref.name stays the bare tag.
  jq --arg ref "$ref" '.manifests |= map(.annotations["io.containerd.image.name"] = $ref)' "$layout/index.json" > "$layout/index.json.new"
  mv "$layout/index.json.new" "$layout/index.json"
  normalize_times "$layout"
  tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner -C "$layout" \
    -cf "$out/$name.tar.new" oci-layout index.json blobs
  mv "$out/$name.tar.new" "$out/$name.tar"
  rm -rf "$layout"
  echo "$ref $(jq -r '.manifests[0].digest' <(tar -xOf "$out/$name.tar" index.json)) $(du -k "$out/$name.tar" | cut -f1) KiB" >&2
}

main() {
  local count i name base
  count="$(jq '.images | length' "$definitions")"
  for i in $(seq 0 $((count - 1))); do
    name="$(jq -r ".images[$i].name" "$definitions")"
    if [ -z "$only" ] || [[ " $only " == *" $name "* ]]; then build_image "$i"; fi
  done
  # Drop cached bases no image used in a full build (older package or runtime versions).
  if [ -z "$only" ]; then
    for base in "$cache"/base-*; do
      [ -d "$base" ] && [ "$base/used" -nt "$work/started" ] || rm -rf "$base"
    done
  fi
}

# Called last and followed by exit, so editing this file while a build runs cannot change what that build executes.
main "$@"; exit
