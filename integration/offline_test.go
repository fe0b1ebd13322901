//go:build integration

package integration

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestOffline runs whole builds with no network at all (pack's --network
// none): the index is a folder mounted into the build, as an air-gapped
// platform would give it, and nothing else can be reached.
func TestOffline(t *testing.T) {
	suite := spec.New("offline", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Offline", testOffline)
	suite.Run(t)
}

// offlineIndex is where the cases mount the local index, and the
// HEX_BUILDS_URL that names it.
const offlineIndex = "/index"

func testOffline(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	mount := []string{env("INDEX_DIR") + ":" + offlineIndex + ":ro"}

	it("rebuilds a changed app from a warm cache with no network", func() {
		app := filepath.Join(t.TempDir(), "inets_release")
		copyDir(t, filepath.Join("testdata", "inets_release"), app)
		image := f.image("elixir-bp-it-offline-cached")
		first := &build{Image: image, App: app, Index: "file://" + offlineIndex, Volumes: mount}
		Expect(first.Run()).To(Succeed(), first.Output)
		Expect(first.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Contributing to layer"))

		rtAppend(t, filepath.Join(app, "lib", "hello", "handler.ex"), "\n# changed\n")
		second := &build{Image: image, App: app, Index: "file://" + offlineIndex, Volumes: mount, Network: "none"}
		Expect(second.Run()).To(Succeed(), second.Output)
		Expect(second.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Reusing cached layer"))
		Expect(second.Output).To(ContainSubstring("Elixir " + newElixir + ": Reusing cached layer"))
		Expect(second.Output).To(ContainSubstring("Running: mix compile"), "the changed source is compiled")
		expectServes(t, &f.containers, image, inetsBody)
	})

	it("builds an app with a committed deps/ from cold with no network, fetching nothing", func() {
		app, base, commits, stopGit := mixDepsApp(t)
		f.stopLater(stopGit)
		vendorGitDeps(t, app, base, commits, "shouty", "erlcount")
		// Nothing serves the git deps during the build.
		stopGit()

		image := f.image("elixir-bp-it-offline-vendored")
		b := &build{Image: image, App: app, Index: "file://" + offlineIndex, Volumes: mount, Network: "none",
			Extra: []string{"-e", "GIT_DEPS_BASE=" + base}}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("Mix dependencies: using the committed deps/ folder; mix deps.get does not run, nothing is fetched"))
		Expect(b.Output).NotTo(ContainSubstring("Running: mix deps.get"))
		Expect(b.Output).To(ContainSubstring("rebar3 " + newRebar3 + " (built for Elixir " + newElixir + ") from file://" + offlineIndex + "/installs/" + newElixir + "/rebar3-" + newRebar3 + ", sha512 verified"))
		Expect(b.Output).To(ContainSubstring("===> Compiling erlcount"))

		port := freePort()
		c, err := f.start(image, port, uniqueNode()...)
		Expect(err).NotTo(HaveOccurred())
		status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
		Expect(body).To(HavePrefix("mix_deps v1: hello from a path dep | FROM A GIT DEP! | built by rebar3 |"))
	})

	it("fails with one line naming the index when it is neither mounted nor reachable", func() {
		image := f.image("elixir-bp-it-offline-noindex")
		b := &build{Image: image, App: "inets_release", Index: f.url, Network: "none"}
		Expect(b.Run()).NotTo(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("cannot reach the build index at " + f.url))
		Expect(strings.Count(b.Output, "ERROR: Build index unreachable")).To(Equal(1), "the headline is printed once")
		Expect(strings.Count(b.Output, "cannot reach the build index at "+f.url)).To(Equal(1), "and so is its line")
		Expect(strings.Index(b.Output, "ERROR: ")).To(Equal(strings.Index(b.Output, "ERROR: Build index unreachable")),
			"ours is the first error line, before the lifecycle's")
		_, err := engine("image", "inspect", image)
		Expect(err).To(HaveOccurred(), "a failed build leaves no image")
	})

}
