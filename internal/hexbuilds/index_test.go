package hexbuilds_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

const otpList = `master 1a2b3c 2025-05-01T00:00:00Z 0f0f
maint-27 4d5e6f 2025-05-01T00:00:00Z 1e1e
OTP-27.3.4 aaaa01 2025-05-02T00:00:00Z 2d2d
OTP-27.0-rc1 aaaa02 2024-02-14T00:00:00Z 3c3c
OTP-26.2.5.1 aaaa03 2024-06-10T00:00:00Z
OTP-27.0 aaaa04 2024-05-20T00:00:00Z 4b4b
OTP-garbage aaaa05 2024-05-20T00:00:00Z 5a5a
`

const elixirList = "v1.18.4-otp-27 e1 2025-05-21T00:00:00Z 6969\r\n" +
	"v1.18.4-otp-26 e2 2025-05-21T00:00:00Z 7878\r\n" +
	"v1.18.4 e3 2025-05-21T00:00:00Z 8787\r\n" +
	"\r\n" +
	"main-otp-27 e4 2025-06-01T00:00:00Z 9696\r\n" +
	"v1.18.0-rc.1-otp-27 e5 2024-12-01T00:00:00Z a5a5\r\n" +
	"v1.17.3-otp-27 e6 2024-09-18T00:00:00Z\r\n" +
	"v1.18-otp-27 e7 2024-12-01T00:00:00Z b4b4\r\n" +
	"1.18.3-otp-27 e8 2024-12-01T00:00:00Z c3c3\r\n"

func parseList(s string) []hexbuilds.Build {
	builds, err := hexbuilds.ParseBuildsTxt(strings.NewReader(s))
	if err != nil {
		panic(err)
	}
	return builds
}

func testIndex(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	context("ParseBuildsTxt", func() {
		it("reads lines with and without a checksum", func() {
			builds := parseList(otpList)
			Expect(builds).To(HaveLen(7))
			Expect(builds[2]).To(Equal(hexbuilds.Build{Name: "OTP-27.3.4", GitSHA: "aaaa01", Date: "2025-05-02T00:00:00Z", SHA256: "2d2d"}))
			Expect(builds[4]).To(Equal(hexbuilds.Build{Name: "OTP-26.2.5.1", GitSHA: "aaaa03", Date: "2024-06-10T00:00:00Z"}))
		})

		it("skips blank lines and tolerates CRLF and extra spacing", func() {
			builds := parseList(elixirList + "  \t \r\n  v1.16.3-otp-26\t e9   2024-05-01T00:00:00Z  d2d2  \r\n")
			Expect(builds).To(HaveLen(9))
			Expect(builds[0].SHA256).To(Equal("6969"))
			Expect(builds[8]).To(Equal(hexbuilds.Build{Name: "v1.16.3-otp-26", GitSHA: "e9", Date: "2024-05-01T00:00:00Z", SHA256: "d2d2"}))
		})

		it("reads an empty listing", func() {
			Expect(parseList("")).To(BeEmpty())
			Expect(parseList("\n\r\n")).To(BeEmpty())
		})

		it("names the line with too few fields", func() {
			_, err := hexbuilds.ParseBuildsTxt(strings.NewReader("OTP-27.0 a b c\n\nOTP-27.1 a\n"))
			Expect(err).To(MatchError("builds.txt line 3: want NAME GITSHA DATE [SHA256], got 2 fields"))
		})

		it("names the line with too many fields", func() {
			_, err := hexbuilds.ParseBuildsTxt(strings.NewReader("OTP-27.0 a b c d\n"))
			Expect(err).To(MatchError("builds.txt line 1: want NAME GITSHA DATE [SHA256], got 5 fields"))
		})

		it("reports an over-long line instead of truncating", func() {
			_, err := hexbuilds.ParseBuildsTxt(strings.NewReader(strings.Repeat("x", 128*1024)))
			Expect(err).To(MatchError(ContainSubstring("builds.txt: ")))
		})
	})

	context("paths", func() {
		it("lays out the index like builds.hex.pm", func() {
			Expect(hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04")).To(Equal("builds/otp/amd64/ubuntu-22.04"))
			Expect(hexbuilds.OTPArchivePath("arm64", "ubuntu-24.04", "OTP-27.3.4")).To(Equal("builds/otp/arm64/ubuntu-24.04/OTP-27.3.4.tar.gz"))
			Expect(hexbuilds.ElixirArchivePath("v1.18.4-otp-27")).To(Equal("builds/elixir/v1.18.4-otp-27.zip"))
			Expect(hexbuilds.ElixirBuildsPath).To(Equal("builds/elixir"))
		})
	})

	context("OTPReleases", func() {
		it("keeps parseable OTP- releases, oldest first", func() {
			var names, vs []string
			for _, b := range hexbuilds.OTPReleases(parseList(otpList)) {
				names = append(names, b.Name)
				vs = append(vs, b.Version.String())
			}
			Expect(names).To(Equal([]string{"OTP-26.2.5.1", "OTP-27.0-rc1", "OTP-27.0", "OTP-27.3.4"}))
			Expect(vs).To(Equal([]string{"26.2.5.1", "27.0-rc1", "27.0", "27.3.4"}))
		})

		it("resolves and finds a release", func() {
			rel := hexbuilds.OTPReleases(parseList(otpList))
			v, ok := versions.ResolveOTP(versions.Version{Segments: []int{27}}, hexbuilds.OTPVersions(rel))
			Expect(ok).To(BeTrue())
			b, ok := hexbuilds.FindOTP(rel, v)
			Expect(ok).To(BeTrue())
			Expect(b.Build).To(Equal(hexbuilds.Build{Name: "OTP-27.3.4", GitSHA: "aaaa01", Date: "2025-05-02T00:00:00Z", SHA256: "2d2d"}))

			_, ok = hexbuilds.FindOTP(rel, versions.Version{Segments: []int{27, 0}, Pre: "rc2"})
			Expect(ok).To(BeFalse())
		})

		it("gives nothing for nothing", func() {
			Expect(hexbuilds.OTPReleases(nil)).To(BeEmpty())
			Expect(hexbuilds.OTPVersions(nil)).To(BeEmpty())
		})
	})

	context("ElixirReleases", func() {
		it("keeps full vX.Y.Z-otp-N releases, oldest first", func() {
			var got []string
			for _, b := range hexbuilds.ElixirReleases(parseList(elixirList)) {
				got = append(got, fmt.Sprintf("%s %s %d", b.Name, b.Version, b.OTPMajor))
			}
			Expect(got).To(Equal([]string{
				"v1.17.3-otp-27 1.17.3 27",
				"v1.18.0-rc.1-otp-27 1.18.0-rc.1 27",
				"v1.18.4-otp-26 1.18.4 26",
				"v1.18.4-otp-27 1.18.4 27",
			}))
		})

		it("lists versions per OTP major and finds a build", func() {
			rel := hexbuilds.ElixirReleases(parseList(elixirList))
			Expect(hexbuilds.ElixirVersions(rel, 26)).To(HaveLen(1))
			Expect(hexbuilds.ElixirVersions(rel, 27)).To(HaveLen(3))
			Expect(hexbuilds.ElixirVersions(rel, 0)).To(HaveLen(4))
			Expect(hexbuilds.ElixirVersions(rel, 28)).To(BeEmpty())

			req, err := versions.ParseElixir("~> 1.17")
			Expect(err).NotTo(HaveOccurred())
			v, ok := versions.Resolve(req, hexbuilds.ElixirVersions(rel, 27))
			Expect(ok).To(BeTrue())
			b, ok := hexbuilds.FindElixir(rel, v, 27)
			Expect(ok).To(BeTrue())
			Expect(b.Name).To(Equal("v1.18.4-otp-27"))
			Expect(b.SHA256).To(Equal("6969"))

			_, ok = hexbuilds.FindElixir(rel, v, 25)
			Expect(ok).To(BeFalse())
		})

		it("names the OTP majors a version was built for, in number order", func() {
			v := versions.Version{Segments: []int{1, 18, 4}}
			rel := []hexbuilds.ElixirBuild{{Version: v, OTPMajor: 27}, {Version: v, OTPMajor: 9}, {Version: v, OTPMajor: 27},
				{Version: versions.Version{Segments: []int{1, 18, 4}, Pre: "rc.1"}, OTPMajor: 28}}
			Expect(hexbuilds.OTPMajors(rel, v)).To(Equal([]int{9, 27}))
		})
	})
}
