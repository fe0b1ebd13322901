package toolchain

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/buildpacks/libcnb/v2"
)

// OSDirVar overrides the index's OS folder (ubuntu-22.04, ubuntu-24.04).
const OSDirVar = "BP_ERLANG_OS_DIR"

// Target is where in the index the OTP builds for this image live.
type Target struct {
	Arch  string // amd64 or arm64
	OSDir string // ubuntu-20.04, ubuntu-22.04 or ubuntu-24.04
	// From says how OSDir was chosen, for the log.
	From string
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
		return Target{Arch: arch, OSDir: strings.Trim(o, "/"), From: OSDirVar}
	}
	dir, known := osDir(distro)
	from := fmt.Sprintf("from the target %s %s", distro.Name, distro.Version)
	switch {
	case distro.Name == "":
		from = "the target names no distro; " + OSDirVar + " sets another"
	case !known:
		from += ", which is not one the index is built for; " + OSDirVar + " sets another"
	}
	return Target{Arch: arch, OSDir: dir, From: from}
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
