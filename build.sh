#!/usr/bin/env bash
# Bootstrap: check the tools, build the build project when its sources changed, run it with all arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dll="$root/build/bin/Release/net10.0/_build.dll"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is missing -> install it: https://dot.net (Debian/Ubuntu: apt-get install dotnet-sdk-10.0 from packages.microsoft.com)" >&2
  exit 1
fi
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: ffmpeg/ffprobe missing; installing Debian's ffmpeg with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
  else
    echo "build.sh: ffmpeg and ffprobe (5.1 or newer) are missing -> sudo apt-get install ffmpeg (Debian/Ubuntu), brew install ffmpeg (macOS)" >&2
    exit 1
  fi
fi

# Rebuild only when a source is newer than the built entry point, so a no-op run costs no MSBuild start-up.
# The lock keeps concurrent invocations (e.g. array jobs on one checkout) from building over each other.
stale() {
  [ ! -f "$dll" ] && return 0
  [ -n "$(find "$root/src" "$root/build" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' -newer "$dll" -print -quit)" ]
}
if stale; then
  exec 9>"$root/build/.build.lock"
  flock 9
  if stale; then
    if ! out="$(dotnet build "$root/build/_build.csproj" -c Release -nologo -v quiet -clp:NoSummary 2>&1)"; then
      echo "$out" >&2
      echo "build.sh: building the build project failed (above)" >&2
      exit 1
    fi
    touch "$dll"
  fi
  flock -u 9
fi
# LightGBM's OpenMP workers spin while waiting by default; beside ffmpeg and other runs on few cores that
# spinning starves everyone, so they sleep instead unless the caller chose otherwise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec dotnet "$dll" "$@"
