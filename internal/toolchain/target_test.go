package toolchain_test

import (
	"runtime"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func testTarget(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	target := func(arch, distro, version, override string) toolchain.Target {
		return toolchain.NewTarget(libcnb.TargetInfo{OS: "linux", Arch: arch}, libcnb.TargetDistro{Name: distro, Version: version}, override)
	}

	it("maps distros to the index's OS folders", func() {
		for _, c := range []struct{ distro, version, dir string }{
			{"debian", "12", "ubuntu-22.04"},
			{"debian", "12.7", "ubuntu-22.04"},
			{"debian", "11", "ubuntu-20.04"},
			{"debian", "13", "ubuntu-24.04"},
			{"ubuntu", "22.04", "ubuntu-22.04"},
			{"ubuntu", "24.04", "ubuntu-24.04"},
			{"Ubuntu", "25.10", "ubuntu-24.04"},
			{"ubuntu", "20.04", "ubuntu-20.04"},
		} {
			got := target("amd64", c.distro, c.version, "")
			Expect(got.OSDir).To(Equal(c.dir), c.distro+" "+c.version)
			Expect(got.From).To(HavePrefix("from the target " + c.distro + " " + c.version))
			Expect(got.Check()).To(Succeed())
		}
	})

	it("says which folder a Debian target gets and why", func() {
		Expect(target("amd64", "debian", "13", "").From).To(Equal("from the target debian 13: builds made on Ubuntu 24.04 (glibc 2.39) run on its glibc 2.41"))
		Expect(target("amd64", "debian", "12", "").From).To(Equal("from the target debian 12: builds made on Ubuntu 22.04 (glibc 2.35) run on its glibc 2.36"))
		Expect(target("amd64", "ubuntu", "24.04", "").From).To(Equal("from the target ubuntu 24.04"))
	})

	it("refuses a folder whose builds need a newer glibc than the stack's", func() {
		err := target("amd64", "debian", "13", "ubuntu-26.04").Check()
		Expect(err.(*usererr.Error).Headline).To(Equal("Erlang/OTP builds too new for this stack"))
		Expect(err).To(MatchError("BP_ERLANG_OS_DIR=ubuntu-26.04 picks Erlang/OTP built on Ubuntu 26.04, " +
			"whose glibc is newer than this debian 13 (glibc 2.41) stack's: erl would not start; set BP_ERLANG_OS_DIR to ubuntu-24.04 or an older folder, or unset it"))
		Expect(target("amd64", "debian", "12", "ubuntu-24.04").Check()).To(MatchError(ContainSubstring("set BP_ERLANG_OS_DIR to ubuntu-22.04 or an older folder")))
		Expect(target("amd64", "ubuntu", "22.04", "ubuntu-24.04").Check()).To(HaveOccurred())
		// Older folders, the stack's own, and what the mapping cannot judge pass.
		Expect(target("amd64", "debian", "13", "ubuntu-22.04").Check()).To(Succeed())
		Expect(target("amd64", "debian", "13", "ubuntu-24.04").Check()).To(Succeed())
		Expect(target("amd64", "ubuntu", "26.04", "ubuntu-26.04").Check()).To(Succeed())
		Expect(target("amd64", "alpine", "3.20", "ubuntu-26.04").Check()).To(Succeed())
		Expect(target("amd64", "debian", "13", "my-folder").Check()).To(Succeed())
	})

	it("falls back to ubuntu-22.04 and says so", func() {
		got := target("arm64", "alpine", "3.20", "")
		Expect(got).To(Equal(toolchain.Target{Arch: "arm64", OSDir: "ubuntu-22.04",
			From:   "from the target alpine 3.20, which is not one the index is built for; BP_ERLANG_OS_DIR sets another",
			Distro: libcnb.TargetDistro{Name: "alpine", Version: "3.20"}}))
		got = target("amd64", "", "", "")
		Expect(got.OSDir).To(Equal("ubuntu-22.04"))
		Expect(got.From).To(Equal("the target names no distro; BP_ERLANG_OS_DIR sets another"))
		Expect(target("amd64", "debian", "sid", "").OSDir).To(Equal("ubuntu-22.04"))
		Expect(target("amd64", "ubuntu", "18.04", "").OSDir).To(Equal("ubuntu-22.04"))
	})

	it("takes the override as it is", func() {
		got := target("amd64", "debian", "13", " ubuntu-22.04/ ")
		Expect(got).To(Equal(toolchain.Target{Arch: "amd64", OSDir: "ubuntu-22.04", From: "BP_ERLANG_OS_DIR",
			Distro: libcnb.TargetDistro{Name: "debian", Version: "13"}}))
		Expect(got.String()).To(Equal("amd64/ubuntu-22.04"))
	})

	it("normalises the architecture", func() {
		Expect(target("x86_64", "debian", "12", "").Arch).To(Equal("amd64"))
		Expect(target("aarch64", "debian", "12", "").Arch).To(Equal("arm64"))
		Expect(target("ARM64", "debian", "12", "").Arch).To(Equal("arm64"))
		Expect(target("", "debian", "12", "").Arch).To(Equal(runtime.GOARCH))
	})
}
