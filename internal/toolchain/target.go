package toolchain

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// OSDirVar overrides the index's OS folder (ubuntu-22.04, ubuntu-24.04).
const OSDirVar = "BP_ERLANG_OS_DIR"

// Target is where in the index the OTP builds for this image live.
type Target struct {
	Arch  string // amd64 or arm64
	OSDir string // ubuntu-20.04, ubuntu-22.04 or ubuntu-24.04
	// From says how OSDir was chosen, for the log.
	From string
	// Distro is the stack's, which Check holds the folder against.
	Distro libcnb.TargetDistro
}

func (t Target) String() string { return t.Arch + "/" + t.OSDir }

// NewTarget maps the CNB target to the index's folders. The index builds
// OTP on Ubuntu LTS releases, and a build runs wherever glibc and OpenSSL
// are at least as new as the ones it was built against:
//
//	Debian 11, Ubuntu 20.04          → ubuntu-20.04 (glibc 2.31, OpenSSL 1.1)
//	Debian 12, Ubuntu 22.04          → ubuntu-22.04 (glibc 2.35, OpenSSL 3.0)
//	Debian 13+, Ubuntu 24.04 and on  → ubuntu-24.04 (glibc 2.39, OpenSSL 3.0)
//
// Any other distro gets ubuntu-22.04, which the log says; override sets
// the folder outright (BP_ERLANG_OS_DIR).
func NewTarget(info libcnb.TargetInfo, distro libcnb.TargetDistro, override string) Target {
	arch := strings.ToLower(info.Arch)
	if arch == "" {
		arch = runtime.GOARCH
	}
	switch arch {
	case "x86_64", "x86-64":
		arch = "amd64"
	case "aarch64":
		arch = "arm64"
	}
	if o := strings.TrimSpace(override); o != "" {
		return Target{Arch: arch, OSDir: strings.Trim(o, "/"), From: OSDirVar, Distro: distro}
	}
	dir, known := osDir(distro)
	from := fmt.Sprintf("from the target %s %s", distro.Name, distro.Version)
	switch {
	case distro.Name == "":
		from = "the target names no distro; " + OSDirVar + " sets another"
	case !known:
		from += ", which is not one the index is built for; " + OSDirVar + " sets another"
	default:
		if g, ok := stackGlibc(distro); ok {
			from += fmt.Sprintf(": builds made on Ubuntu %s (glibc %s) run on its glibc %s", strings.TrimPrefix(dir, "ubuntu-"), folderGlibc[dir], g)
		}
	}
	return Target{Arch: arch, OSDir: dir, From: from, Distro: distro}
}

// folderGlibc is the glibc of each Ubuntu release the index builds OTP on:
// a build needs at least that glibc to start.
var folderGlibc = map[string]string{"ubuntu-20.04": "2.31", "ubuntu-22.04": "2.35", "ubuntu-24.04": "2.39"}

// stackGlibc is the glibc of the Debian releases the stack is made from.
func stackGlibc(distro libcnb.TargetDistro) (string, bool) {
	if !strings.EqualFold(distro.Name, "debian") {
		return "", false
	}
	g, ok := map[string]string{"11": "2.31", "12": "2.36", "13": "2.41"}[strings.SplitN(distro.Version, ".", 2)[0]]
	return g, ok
}

// Check refuses an OS folder whose builds need a newer glibc than the
// stack has (BP_ERLANG_OS_DIR=ubuntu-26.04 on Debian 13): their erl would
// not start, and only at run time. The folders the distro maps to pass, as
// do folders and distros the mapping does not know.
func (t Target) Check() error {
	newest, known := osDir(t.Distro)
	if !known || t.Distro.Name == "" {
		return nil
	}
	if strings.EqualFold(t.Distro.Name, "ubuntu") {
		newest = "ubuntu-" + t.Distro.Version
	}
	folder, ok := ubuntuVersion(t.OSDir)
	limit, ok2 := ubuntuVersion(newest)
	if !ok || !ok2 || folder <= limit {
		return nil
	}
	stack := t.Distro.Name + " " + t.Distro.Version
	if g, ok := stackGlibc(t.Distro); ok {
		stack += " (glibc " + g + ")"
	}
	return usererr.New("Erlang/OTP builds too new for this stack",
		fmt.Sprintf("%s=%s picks Erlang/OTP built on Ubuntu %s, whose glibc is newer than this %s stack's: erl would not start",
			OSDirVar, t.OSDir, strings.TrimPrefix(t.OSDir, "ubuntu-"), stack),
		fmt.Sprintf("set %s to %s or an older folder, or unset it", OSDirVar, newest))
}

// ubuntuVersion reads ubuntu-24.04 as 2404, for ordering.
func ubuntuVersion(dir string) (int, bool) {
	v, ok := strings.CutPrefix(dir, "ubuntu-")
	if !ok {
		return 0, false
	}
	y, m, ok := strings.Cut(v, ".")
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil {
		return 0, false
	}
	return yi*100 + mi, true
}

func osDir(distro libcnb.TargetDistro) (string, bool) {
	major, err := strconv.Atoi(strings.SplitN(distro.Version, ".", 2)[0])
	if err != nil {
		return "ubuntu-22.04", false
	}
	switch strings.ToLower(distro.Name) {
	case "ubuntu":
		switch {
		case major >= 24:
			return "ubuntu-24.04", true
		case major >= 22:
			return "ubuntu-22.04", true
		case major >= 20:
			return "ubuntu-20.04", true
		}
	case "debian":
		switch {
		case major >= 13:
			return "ubuntu-24.04", true
		case major == 12:
			return "ubuntu-22.04", true
		case major == 11:
			return "ubuntu-20.04", true
		}
	}
	return "ubuntu-22.04", false
}
