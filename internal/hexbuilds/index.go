// Package hexbuilds reads a builds.hex.pm-shaped index of prebuilt
// Erlang/OTP and Elixir releases and downloads from it.
package hexbuilds

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

const (
	// DefaultBase is the index used when HEX_BUILDS_URL is unset.
	DefaultBase = "https://builds.hex.pm"
	// BaseEnv names the variable that points the buildpack at a mirror.
	BaseEnv = "HEX_BUILDS_URL"
	// ElixirBuildsPath is the index folder holding Elixir builds.
	ElixirBuildsPath = "builds/elixir"
)

// Build is one line of a builds.txt listing.
type Build struct {
	Name, GitSHA, Date string
	// SHA256 is empty for older builds, which were listed without one.
	SHA256 string
}

// ParseBuildsTxt reads a builds.txt listing: "NAME GITSHA DATE [SHA256]".
func ParseBuildsTxt(r io.Reader) ([]Build, error) {
	sc := bufio.NewScanner(r)
	var builds []Build
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		switch len(f) {
		case 0:
			continue
		case 3, 4:
		default:
			return nil, fmt.Errorf("builds.txt line %d: want NAME GITSHA DATE [SHA256], got %d fields", n, len(f))
		}
		b := Build{Name: f[0], GitSHA: f[1], Date: f[2]}
		if len(f) == 4 {
			b.SHA256 = f[3]
		}
		builds = append(builds, b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("builds.txt: %w", err)
	}
	return builds, nil
}

// OTPBuildsPath is the index folder holding OTP builds for an architecture
// (amd64, arm64) and OS image (ubuntu-22.04, ubuntu-24.04).
func OTPBuildsPath(arch, osDir string) string {
	return path.Join("builds/otp", arch, osDir)
}

// OTPArchivePath is where the index keeps the tarball of the named build.
func OTPArchivePath(arch, osDir, name string) string {
	return path.Join(OTPBuildsPath(arch, osDir), name+".tar.gz")
}

// ElixirArchivePath is where the index keeps the zip of the named build.
func ElixirArchivePath(name string) string {
	return path.Join(ElixirBuildsPath, name+".zip")
}

// OTPBuild is an OTP release build, as opposed to a branch build such as
// master or maint-27.
type OTPBuild struct {
	Build
	Version versions.Version
}

// ElixirBuild is an Elixir release compiled against one OTP major.
type ElixirBuild struct {
	Build
	Version  versions.Version
	OTPMajor int
}

// OTPReleases keeps the OTP-x.y.z builds, oldest first, dropping branch
// builds whose contents change under the same name.
func OTPReleases(builds []Build) []OTPBuild {
	var out []OTPBuild
	for _, b := range builds {
		if !strings.HasPrefix(b.Name, "OTP-") {
			continue
		}
		if v, err := versions.ParseOTP(b.Name); err == nil {
			out = append(out, OTPBuild{Build: b, Version: v})
		}
	}
	slices.SortStableFunc(out, func(a, b OTPBuild) int { return versions.Compare(a.Version, b.Version) })
	return out
}

// ElixirReleases keeps the vX.Y.Z[-pre]-otp-N builds, oldest first. Builds
// without an OTP suffix are dropped: which OTP compiled them is unknown,
// and loading code compiled by a newer OTP fails at run time.
func ElixirReleases(builds []Build) []ElixirBuild {
	var out []ElixirBuild
	for _, b := range builds {
		if !strings.HasPrefix(b.Name, "v") {
			continue
		}
		r, err := versions.ParseElixir(b.Name)
		if err != nil || r.Exact == nil || len(r.Exact.Segments) != 3 || r.OTPMajor == 0 {
			continue
		}
		out = append(out, ElixirBuild{Build: b, Version: *r.Exact, OTPMajor: r.OTPMajor})
	}
	slices.SortStableFunc(out, func(a, b ElixirBuild) int {
		if c := versions.Compare(a.Version, b.Version); c != 0 {
			return c
		}
		return a.OTPMajor - b.OTPMajor
	})
	return out
}

// OTPVersions lists the versions of builds, for versions.ResolveOTP.
func OTPVersions(builds []OTPBuild) []versions.Version {
	out := make([]versions.Version, len(builds))
	for i, b := range builds {
		out[i] = b.Version
	}
	return out
}

// ElixirVersions lists the versions built against otpMajor, or all of them
// when otpMajor is zero, for versions.Resolve.
func ElixirVersions(builds []ElixirBuild, otpMajor int) []versions.Version {
	var out []versions.Version
	for _, b := range builds {
		if otpMajor == 0 || b.OTPMajor == otpMajor {
			out = append(out, b.Version)
		}
	}
	return out
}

// FindOTP returns the build of exactly version v.
func FindOTP(builds []OTPBuild, v versions.Version) (OTPBuild, bool) {
	for _, b := range builds {
		if sameVersion(b.Version, v) {
			return b, true
		}
	}
	return OTPBuild{}, false
}

// FindElixir returns the build of exactly version v against otpMajor.
func FindElixir(builds []ElixirBuild, v versions.Version, otpMajor int) (ElixirBuild, bool) {
	for _, b := range builds {
		if b.OTPMajor == otpMajor && sameVersion(b.Version, v) {
			return b, true
		}
	}
	return ElixirBuild{}, false
}

// OTPMajors are the OTP majors the index built exactly version v of
// Elixir against, ascending.
func OTPMajors(builds []ElixirBuild, v versions.Version) []int {
	var majors []int
	for _, b := range builds {
		if sameVersion(b.Version, v) {
			majors = append(majors, b.OTPMajor)
		}
	}
	slices.Sort(majors)
	return slices.Compact(majors)
}

func sameVersion(a, b versions.Version) bool {
	return versions.Compare(a, b) == 0 && a.Pre == b.Pre
}
