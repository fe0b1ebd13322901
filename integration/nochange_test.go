//go:build integration

package integration

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestNoChange: a rebuild with nothing changed runs no Mix command and
// exports the very same image, also when the platform passes secrets and
// other variables at build time, as seed platforms and CI do every time.
func TestNoChange(t *testing.T) {
	suite := spec.New("nochange", spec.Report(report.Terminal{}), spec.Sequential())
	suite("NoChange", testNoChange)
	suite.Run(t)
}

func testNoChange(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("reuses the release with SECRET_KEY_BASE and GIT_CONFIG_* given: same image id, no trace of the secret, and a new secret builds again", func() {
		raw := make([]byte, 24)
		_, _ = rand.Read(raw)
		secret := "skb-" + hex.EncodeToString(raw)
		digest := sha256.Sum256([]byte(secret))
		image := f.image("elixir-bp-it-nochange")
		pass := func(secret string) []string {
			return []string{"-e", "SECRET_KEY_BASE=" + secret,
				"-e", "GIT_CONFIG_COUNT=1", "-e", "GIT_CONFIG_KEY_0=advice.detachedHead", "-e", "GIT_CONFIG_VALUE_0=false"}
		}

		first := &build{Image: image, App: secApp, Index: f.url, Extra: pass(secret)}
		Expect(first.Run()).To(Succeed(), first.Output)
		Expect(first.Output).To(ContainSubstring("Running: mix release"))
		before := imageState(t, image)

		second := &build{Image: image, App: secApp, Index: f.url, Extra: pass(secret)}
		Expect(second.Run()).To(Succeed(), second.Output)
		Expect(second.Output).To(ContainSubstring("no Mix command runs"))
		Expect(second.Output).NotTo(ContainSubstring("Running: mix"))
		Expect(second.Output).NotTo(ContainSubstring("Building the release in full"))
		after := imageState(t, image)
		Expect(after.id).To(Equal(before.id), "the very same image")
		Expect(after.layers).To(Equal(before.layers))

		for _, b := range []*build{first, second} {
			Expect(b.Output).NotTo(ContainSubstring(secret), "the build log")
		}
		inspect, err := engine("image", "inspect", image)
		Expect(err).NotTo(HaveOccurred(), inspect)
		Expect(inspect).NotTo(ContainSubstring(secret), "the config, its env and labels")
		Expect(strings.ToLower(inspect)).NotTo(ContainSubstring(hex.EncodeToString(digest[:])), "nor its plain sha256")
		Expect(savedImageHolds(t, image, secret)).To(BeFalse(), "a layer of the saved image")
		Expect(savedImageHolds(t, image, hex.EncodeToString(digest[:]))).To(BeFalse(), "its sha256 in a layer")
		expectServes(t, &f.containers, image, "runtimes_mix_requirement: Elixir "+newElixir+" on Erlang/OTP 27\n", "-e", "RELEASE_DISTRIBUTION=none")

		third := &build{Image: image, App: secApp, Index: f.url, Extra: pass("another-" + secret)}
		Expect(third.Run()).To(Succeed(), third.Output)
		Expect(third.Output).NotTo(ContainSubstring("no Mix command runs"), "a new secret may change what Mix compiles")
		Expect(third.Output).To(ContainSubstring("Running: mix compile"))
	})
}
