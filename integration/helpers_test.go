//go:build integration

package integration

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onsi/gomega"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/enginecli"
	"github.com/onsi/gomega/types"
)

// env names the set-up that scripts/test.sh made.
func env(name string) string {
	v := os.Getenv(name)
	if v == "" {
		panic(name + " is not set: run the integration suite through scripts/test.sh")
	}
	return v
}

// engineCLI is the command line of the engine pack builds with (see
// internal/enginecli).
var engineCLI = sync.OnceValue(func() string {
	name, err := enginecli.Name(env("DOCKER_HOST"))
	if err != nil {
		panic(err.Error())
	}
	return name
})

// insecure is the flag the engine's push and pull need for a plain-HTTP
// registry on loopback: podman asks for it, docker trusts 127.0.0.0/8 and
// has no such flag.
func insecure() []string {
	if engineCLI() == "podman" {
		return []string{"--tls-verify=false"}
	}
	return nil
}

// pushRef pushes an image to a loopback registry in the v2 schema 2 format
// both engines and crane read.
func pushRef(ref string) (string, error) {
	args := append([]string{"push"}, insecure()...)
	if engineCLI() == "podman" {
		args = append(args, "--format", "v2s2")
	}
	return engine(append(args, ref)...)
}

func pullRef(ref string) (string, error) {
	return engine(append(append([]string{"pull"}, insecure()...), ref)...)
}

func run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func engine(args ...string) (string, error) { return run(engineCLI(), args...) }

func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// serveIndex serves the local builds.hex.pm-shaped index on 127.0.0.1; the
// build containers use the host network, so they reach it there.
func serveIndex(dir string) *httptest.Server {
	return httptest.NewServer(http.FileServer(http.Dir(dir)))
}

// build runs pack build on an app in testdata/ with our builder.
type build struct {
	Image string
	App   string
	Index string
	// Builder is the builder image: BUILDER (the suite's) unless a case
	// names another, such as BUILDER_TRIXIE.
	Builder string
	// Network is the build container's network: the host's (to reach the
	// index and git daemons on 127.0.0.1) unless a case says otherwise.
	Network string
	// Volumes are pack's --volume values (host:container[:options]).
	Volumes []string
	Extra   []string
	Output  string
}

func (b *build) Run() error {
	network := b.Network
	if network == "" {
		network = "host"
	}
	builder := b.Builder
	if builder == "" {
		builder = env("BUILDER")
	}
	args := []string{"build", b.Image,
		"--builder", builder,
		"--path", b.path(),
		"--pull-policy", "never", "--trust-builder",
		"--network", network, "--docker-host", "inherit",
		"-e", "HEX_BUILDS_URL=" + b.Index,
	}
	for _, v := range b.Volumes {
		args = append(args, "--volume", v)
	}
	args = append(args, b.Extra...)
	out, err := run("pack", args...)
	// podman 4.3's container wait sometimes fails to read the container's
	// state ("While waiting on condition: unexpected end of JSON input" in
	// its log), and pack reports the lifecycle's exit as -1 although the
	// lifecycle ran to its end. That is the engine's flake, not the build's:
	// run the build once more, saying so.
	if err != nil && strings.Contains(out, "executing lifecycle: failed with status code: -1") {
		fmt.Fprintf(os.Stderr, "pack build %s: the engine lost the lifecycle's exit status (-1); building again\n", b.Image)
		out, err = run("pack", args...)
	}
	b.Output = out
	return err
}

// path is the app folder: one in testdata/, or a copy elsewhere that a test
// changes between builds.
func (b *build) path() string {
	if filepath.IsAbs(b.App) {
		return b.App
	}
	return filepath.Join("testdata", b.App)
}

// removeImage removes an image and the cache volumes pack made for it (pack
// names them after the image), and no one else's: other builds may be
// running on the same engine.
func removeImage(image string) {
	_, _ = engine("rmi", "-f", image)
	name := image
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name, _, _ = strings.Cut(name, ":")
	out, _ := engine("volume", "ls", "-q")
	for _, v := range strings.Fields(out) {
		if strings.HasPrefix(v, "pack-cache-") && strings.Contains(v, name) {
			_, _ = engine("volume", "rm", "-f", v)
		}
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// container is a running image.
type container struct{ ID string }

// start runs the image with PORT set and that port published on 127.0.0.1
// only. Not the host network: every release starts Erlang distribution, and
// two nodes of one release on one host network collide in its epmd.
func start(image string, port int, extra ...string) (container, error) {
	const inside = 8081 // not the launch default 8080, to prove PORT is honoured
	args := append([]string{"run", "-d",
		"-p", fmt.Sprintf("127.0.0.1:%d:%d", port, inside),
		"-e", fmt.Sprintf("PORT=%d", inside)}, extra...)
	out, err := engine(append(args, image)...)
	if err != nil {
		return container{}, fmt.Errorf("%w: %s", err, out)
	}
	return container{ID: strings.TrimSpace(out)}, nil
}

func (c container) Logs() string { out, _ := engine("logs", c.ID); return out }
func (c container) Remove()      { _, _ = engine("rm", "-f", c.ID) }

// The index's newest generation, trixie's, which an app asking only for
// "~> 1.14" gets on the suite's Debian 13 builder (scripts/lib/make-index.sh):
// every fixture builds on it unless its case is about another. newERTSMajor
// is the ERTS major that OTP ships (ERTS 15 is OTP 27's).
const (
	newOTP       = "27.3.4.1"
	newElixir    = "1.18.3"
	newRebar3    = "3.24.0"
	newERTSMajor = "15"
)

// inetsBody is what the inets_release test app answers.
const inetsBody = "inets_release: served by a release built by Elixir Buildpacks\n"

// expectServes runs the image (adding the container to containers, for the
// case's clean-up) and checks that it answers HTTP 200 with body.
func expectServes(t *testing.T, containers *[]container, image, body string, extra ...string) {
	t.Helper()
	Expect := gomega.NewWithT(t).Expect
	port := freePort()
	c, err := start(image, port, extra...)
	Expect(err).NotTo(gomega.HaveOccurred())
	*containers = append(*containers, c)
	status, got, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
	Expect(err).NotTo(gomega.HaveOccurred(), c.Logs())
	Expect(status).To(gomega.Equal(200))
	Expect(got).To(gomega.Equal(body))
}

// get asks the app until it answers, for up to the timeout.
func get(url string, timeout time.Duration) (int, string, error) {
	deadline := time.Now().Add(timeout)
	client := http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(body), nil
		}
		if time.Now().After(deadline) {
			return 0, "", err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// stripANSI drops the colour codes libpak writes when not run by pack.
func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

// ContainLines matches output holding the given lines contiguously, each
// line matched as a substring (pack prefixes lines with the phase).
func ContainLines(lines ...string) types.GomegaMatcher {
	return gomega.WithTransform(func(out string) bool {
		all := strings.Split(out, "\n")
		for i := range all {
			if i+len(lines) > len(all) {
				return false
			}
			ok := true
			for j, want := range lines {
				if !strings.Contains(all[i+j], want) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
		return false
	}, gomega.BeTrue())
}

// uniqueNode gives a release its own node name, for runs that share a
// network (and so an epmd) with other nodes of the same release.
func uniqueNode() []string {
	return []string{"-e", "RELEASE_NODE=" + strings.ReplaceAll(randomName("it"), "-", "_")}
}

// expectOneLayerReplaced checks that image, rebuilt after a one-line change,
// differs from before (the image as it was) in exactly one layer, the app's
// own, and logs how many bytes that change replaced.
func expectOneLayerReplaced(t *testing.T, before, image, what string) {
	t.Helper()
	Expect := gomega.NewWithT(t).Expect
	was, err := layers(before)
	Expect(err).NotTo(gomega.HaveOccurred())
	now, err := layers(image)
	Expect(err).NotTo(gomega.HaveOccurred())
	Expect(now).To(gomega.HaveLen(len(was)))
	var replaced []int
	for i := range was {
		if was[i] != now[i] {
			replaced = append(replaced, i)
		}
	}
	Expect(replaced).To(gomega.HaveLen(1), "only the app's own layer (release-app) is replaced")
	n, err := run("go", "run", "../scripts/benchtool", "replaced", before, image)
	Expect(err).NotTo(gomega.HaveOccurred(), n)
	t.Logf("%s: the one-line change replaced %s bytes (one layer of %d)", what, strings.TrimSpace(n), len(was))
}
