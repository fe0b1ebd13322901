//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestSecurity proves issue 6's promises about the image itself:
// reproducible layers, no baked cookie, least privilege.
func TestSecurity(t *testing.T) {
	suite := spec.New("security", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Security", testSecurity)
	suite.Run(t)
}

const (
	secApp     = "runtimes_mix_requirement"
	secRelease = "/layers/elixir-buildpacks_mix-release/release"
)

// launch runs a shell command in the image through the launcher, so that
// exec.d and the launch environment apply, as the image's user. After "--"
// the launcher runs it as it is; without, it would re-evaluate the
// arguments in a shell and break their quoting.
func launch(image string, script string, extra ...string) (string, error) {
	args := append([]string{"run", "--rm"}, extra...)
	args = append(args, "--entrypoint", "/cnb/lifecycle/launcher", image, "--", "sh", "-c", script)
	return engine(args...)
}

func layers(image string) ([]string, error) {
	out, err := engine("image", "inspect", "--format", "{{json .RootFS.Layers}}", image)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, out)
	}
	var ls []string
	return ls, json.Unmarshal([]byte(strings.TrimSpace(out)), &ls)
}

func testSecurity(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("gives identical layers for two builds of the same source from cleared caches", func() {
		// Two image names: pack names the cache volumes after the image, so
		// the second build starts from an empty cache. Two copies of the
		// source at different paths with different mtimes.
		var images []string
		for i := 0; i < 2; i++ {
			app := filepath.Join(t.TempDir(), fmt.Sprintf("copy%d", i), secApp)
			copyDir(t, filepath.Join("testdata", secApp), app)
			image := f.image("elixir-bp-it-repro")
			b := &build{Image: image, App: app, Index: f.url}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).NotTo(ContainSubstring("Reusing cached layer"))
			images = append(images, image)
			if i == 0 {
				time.Sleep(1100 * time.Millisecond) // a later clock second for the second build
			}
		}
		first, err := layers(images[0])
		Expect(err).NotTo(HaveOccurred())
		second, err := layers(images[1])
		Expect(err).NotTo(HaveOccurred())
		Expect(len(first)).To(BeNumerically(">", 3))
		Expect(second).To(Equal(first), "every layer, the release's and the app's included")
	})

	it("bakes no cookie: each container makes its own, RELEASE_COOKIE wins, and two nodes with one cookie connect", func() {
		image := f.image("elixir-bp-it-cookie")
		b := &build{Image: image, App: secApp, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("no cookie baked in"))

		out, err := launch(image, "find / -xdev -name COOKIE 2>/dev/null; ls "+secRelease+"/releases")
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).NotTo(ContainSubstring("COOKIE"))
		Expect(out).To(ContainSubstring("start_erl.data"), "the listing saw the release")

		hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
		one, err := launch(image, `echo "$RELEASE_COOKIE"`)
		Expect(err).NotTo(HaveOccurred(), one)
		two, err := launch(image, `echo "$RELEASE_COOKIE"`)
		Expect(err).NotTo(HaveOccurred(), two)
		one, two = strings.TrimSpace(one), strings.TrimSpace(two)
		Expect(one).To(MatchRegexp(hex64.String()))
		Expect(two).To(MatchRegexp(hex64.String()))
		Expect(two).NotTo(Equal(one), "each container makes its own cookie")

		given, err := launch(image, `echo "$RELEASE_COOKIE"`, "-e", "RELEASE_COOKIE=given-cookie-123")
		Expect(err).NotTo(HaveOccurred(), given)
		Expect(strings.TrimSpace(given)).To(Equal("given-cookie-123"))

		// Two containers on the host network, on loopback only: a running
		// node, and a second container whose `rpc` connects to it with the
		// same cookie (and fails with another).
		node := strings.ReplaceAll(randomName("sec"), "-", "_") + "@127.0.0.1"
		dist := []string{"--network", "host", "-e", "RELEASE_DISTRIBUTION=name", "-e", "RELEASE_NODE=" + node,
			"-e", "ERL_EPMD_ADDRESS=127.0.0.1", "-e", "ELIXIR_ERL_OPTIONS=-kernel inet_dist_use_interface {127,0,0,1}"}
		port := freePort()
		out, err = engine(append(append([]string{"run", "-d", "-e", fmt.Sprintf("PORT=%d", port), "-e", "RELEASE_COOKIE=shared-cookie"}, dist...), image)...)
		Expect(err).NotTo(HaveOccurred(), out)
		c := container{ID: strings.TrimSpace(out)}
		f.containers = append(f.containers, c)
		status, _, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))

		rpc := secApp + ` rpc 'IO.puts("connected to #{node()}")'`
		out, err = launch(image, rpc, append([]string{"-e", "RELEASE_COOKIE=shared-cookie"}, dist...)...)
		Expect(err).NotTo(HaveOccurred(), out+c.Logs())
		Expect(out).To(ContainSubstring("connected to " + node))

		out, err = launch(image, rpc, append([]string{"-e", "RELEASE_COOKIE=another-cookie"}, dist...)...)
		Expect(err).To(HaveOccurred(), out)
		Expect(out).NotTo(ContainSubstring("connected to"))
	})

	it("builds as the CNB user and runs as another that cannot write the release, on a full and on a no-change build", func() {
		image := f.image("elixir-bp-it-priv")
		b := &build{Image: image, App: secApp, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		expectLocked(t, image)
		full, err := layers(image)
		Expect(err).NotTo(HaveOccurred())

		// The no-change shortcut exports the image too: it must leave it
		// exactly as the full build did.
		b = &build{Image: image, App: secApp, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("no Mix command runs"))
		expectLocked(t, image)
		Expect(layers(image)).To(Equal(full), "every layer, the app folder's included")
	})

	it("in Mix runtime mode too, the run user cannot write the app it runs", func() {
		image := f.image("elixir-bp-it-priv-rt")
		app, stopGit := mixRuntimeApp(t)
		f.stopLater(stopGit)
		b := &build{Image: image, App: app, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		// deps and _build are links into the launch layers, where Mix's
		// defaults (and generated files) look; the trailing slash has find
		// walk what they point at.
		out, err := launch(image, "id -u; readlink /workspace/deps; readlink /workspace/_build; "+writable("/workspace", "/workspace/_build/", "/workspace/deps/"))
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(HavePrefix("1002\n/layers/elixir-buildpacks_mix-release/deps/deps\n/layers/elixir-buildpacks_mix-release/mix-build/_build\n"))
		Expect(out).To(ContainSubstring("/workspace/_build/prod/lib/"), "the compiled app was checked")
		Expect(out).NotTo(ContainSubstring("writable"))
		Expect(out).To(MatchRegexp(`checked [1-9][0-9]* folders`))
		Expect(out).To(ContainSubstring("/workspace/mix.exs"), "the app's files were checked")

		port := freePort()
		c, err := f.start(image, port)
		Expect(err).NotTo(HaveOccurred())
		status, _, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
	})
}

// writable is a shell script that tries, as the user it runs as, to create a
// file in every folder under the given roots and to append to every file,
// printing "writable ..." for each that succeeds and each file checked.
func writable(roots ...string) string {
	return `n=0
for root in ` + strings.Join(roots, " ") + `; do
  [ -n "$root" ] && [ -d "$root" ] || continue
  for d in $(find "$root" -type d); do
    if touch "$d/.w" 2>/dev/null; then echo "writable folder: $d"; fi
    n=$((n+1))
  done
  for f in $(find "$root" -type f); do
    echo "file $f"
    if sh -c ': >> "$1"' _ "$f" 2>/dev/null; then echo "writable file: $f"; fi
  done
done
echo "checked $n folders"`
}

// expectLocked checks that the image runs as a user other than the one that
// built it, and that this user can write nothing in the release or the app
// folder.
func expectLocked(t *testing.T, image string) {
	t.Helper()
	Expect := NewWithT(t).Expect
	user, err := engine("image", "inspect", "--format", "{{.Config.User}}", image)
	Expect(err).NotTo(HaveOccurred(), user)
	Expect(strings.TrimSpace(user)).To(HavePrefix("1002"))

	out, err := launch(image, "id -u; id -g")
	Expect(err).NotTo(HaveOccurred(), out)
	Expect(strings.Fields(out)).NotTo(ContainElement("0"))
	Expect(strings.Fields(out)[0]).To(Equal("1002"))

	// Every file and folder the build wrote is owned by the build user
	// (1001, not root): the lifecycle exports layers with the owner the
	// build gave them.
	out, err = launch(image, "find "+secRelease+" /workspace ! -user 1001 | head -5; echo owners:; stat -c %u "+secRelease+"/bin/"+secApp+" /workspace")
	Expect(err).NotTo(HaveOccurred(), out)
	Expect(out).To(HavePrefix("owners:"), "files not owned by the build user")
	Expect(strings.Fields(strings.TrimPrefix(out, "owners:"))).To(Equal([]string{"1001", "1001"}))

	// The run user can write nothing in the release nor in the app
	// folder: no new file in any of their folders, no change to any of
	// their files.
	out, err = launch(image, writable(secRelease, "/workspace"))
	Expect(err).NotTo(HaveOccurred(), out)
	Expect(out).NotTo(ContainSubstring("writable"))
	Expect(out).To(MatchRegexp(`checked [1-9][0-9]* folders`))
}
