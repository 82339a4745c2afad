# Bootstrap for PowerShell: build the build project when its sources changed, then run it with all arguments.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$dll = Join-Path $root 'build/bin/Release/net10.0/_build.dll'
if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { throw 'build.ps1: the .NET 10 SDK is missing -> install it from https://dot.net' }
if (-not (Get-Command ffmpeg -ErrorAction SilentlyContinue) -or -not (Get-Command ffprobe -ErrorAction SilentlyContinue)) {
  throw 'build.ps1: ffmpeg and ffprobe (5.1 or newer) are missing -> winget install ffmpeg, or apt-get install ffmpeg'
}
$built = if (Test-Path $dll) { (Get-Item $dll).LastWriteTimeUtc } else { [datetime]::MinValue }
$newer = Get-ChildItem -Recurse -File (Join-Path $root 'src'), (Join-Path $root 'build') -Include *.cs, *.csproj, *.props |
  Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1
if (-not (Test-Path $dll) -or $newer) {
  $out = dotnet build (Join-Path $root 'build/_build.csproj') -c Release -nologo -v quiet -clp:NoSummary 2>&1
  if ($LASTEXITCODE -ne 0) { $out; throw 'build.ps1: building the build project failed (above)' }
}
& dotnet $dll @args
exit $LASTEXITCODE
