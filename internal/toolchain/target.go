package toolchain

import (
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
	OSDir string // ubuntu-22.04 or ubuntu-24.04
}

func (t Target) String() string { return t.Arch + "/" + t.OSDir }

// NewTarget maps the CNB target to the index's folders. The index builds OTP
// on Ubuntu; Debian 12 satisfies the ubuntu-22.04 builds (glibc 2.35,
// OpenSSL 3) and Debian 13 the ubuntu-24.04 ones.
func NewTarget(info libcnb.TargetInfo, distro libcnb.TargetDistro, override string) Target {
	arch := info.Arch
	if arch == "" {
		arch = runtime.GOARCH
	}
	switch arch {
	case "x86_64":
		arch = "amd64"
	case "aarch64":
		arch = "arm64"
	}
	if override != "" {
		return Target{Arch: arch, OSDir: override}
	}
	return Target{Arch: arch, OSDir: osDir(distro)}
}

func osDir(distro libcnb.TargetDistro) string {
	major, _ := strconv.Atoi(strings.SplitN(distro.Version, ".", 2)[0])
	switch strings.ToLower(distro.Name) {
	case "ubuntu":
		if major >= 24 {
			return "ubuntu-24.04"
		}
	case "debian":
		if major >= 13 {
			return "ubuntu-24.04"
		}
	}
	return "ubuntu-22.04"
}
