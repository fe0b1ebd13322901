//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestFaults: each fault ends in a clear error or a correct rebuild, never a
// broken image or a poisoned cache.
func TestFaults(t *testing.T) {
	suite := spec.New("faults", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Faults", testFaults)
	suite.Run(t)
}

// truncatingIndex serves the local index but cuts the OTP tarball short,
// promising its full length, while cut is true.
func truncatingIndex(dir string, cut *atomic.Bool) *httptest.Server {
	files := http.FileServer(http.Dir(dir))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cut.Load() || !strings.HasSuffix(r.URL.Path, ".tar.gz") {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		_, _ = w.Write(data[:len(data)/2])
		// Returning with the body short makes the server drop the connection.
	}))
}

// cacheDir is the folder of the build cache volume pack made for an image.
func cacheDir(image string) (string, error) {
	out, err := engine("volume", "ls", "-q")
	if err != nil {
		return "", err
	}
	for _, v := range strings.Fields(out) {
		if strings.HasPrefix(v, "pack-cache-") && strings.Contains(v, image) && strings.HasSuffix(v, ".build") {
			mp, err := engine("volume", "inspect", "--format", "{{.Mountpoint}}", v)
			return filepath.Join(strings.TrimSpace(mp), "committed"), err
		}
	}
	return "", fmt.Errorf("no build cache volume for %s", image)
}

func testFaults(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect     = NewWithT(t).Expect
		index      = serveIndex(env("INDEX_DIR"))
		image      string
		containers []container
	)

	it.Before(func() {
		image = randomName("elixir-bp-it-faults")
	})

	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
		removeImage(image)
		index.Close()
	})

	serves := func() { expectServes(t, &containers, image, inetsBody) }

	context("the index is unreachable", func() {
		it("fails with one line naming the index and the fix, and makes no image", func() {
			dead := fmt.Sprintf("http://127.0.0.1:%d", freePort())
			b := &build{Image: image, App: "inets_release", Index: dead}
			Expect(b.Run()).NotTo(Succeed())
			Expect(b.Output).To(ContainSubstring("cannot reach the build index at " + dead))
			Expect(b.Output).To(ContainSubstring("HEX_BUILDS_URL"))
			_, err := engine("image", "inspect", image)
			Expect(err).To(HaveOccurred(), "a failed build leaves no image")
		})
	})

	context("the OTP tarball is truncated mid-download", func() {
		it("fails without caching anything, and the next build with a whole download succeeds", func() {
			var cut atomic.Bool
			cut.Store(true)
			bad := truncatingIndex(env("INDEX_DIR"), &cut)
			defer bad.Close()

			b := &build{Image: image, App: "inets_release", Index: bad.URL}
			Expect(b.Run()).NotTo(Succeed())
			Expect(b.Output).To(ContainSubstring("Downloading builds/otp/" + rtArch + "/ubuntu-24.04/OTP-" + newOTP + ".tar.gz"))
			Expect(b.Output).NotTo(MatchRegexp(regexp.QuoteMeta("OTP-"+newOTP+".tar.gz") + `, sha256 [0-9a-f]{64} verified`))
			// pack makes the cache volume before the build; only a finished
			// build writes into it.
			dir, err := cacheDir(image)
			Expect(err).NotTo(HaveOccurred(), "pack made the build cache volume")
			Expect(filepath.Join(dir, "io.buildpacks.lifecycle.cache.metadata")).NotTo(BeAnExistingFile(),
				"a failed build exports no cache")

			cut.Store(false)
			b = &build{Image: image, App: "inets_release", Index: bad.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Contributing to layer"))
			serves()
		})
	})

	context("the build cache is damaged", func() {
		it("rebuilds what a removed layer or corrupt metadata held, and the image serves", func() {
			b := &build{Image: image, App: "inets_release", Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			dir, err := cacheDir(image)
			Expect(err).NotTo(HaveOccurred())
			metaPath := filepath.Join(dir, "io.buildpacks.lifecycle.cache.metadata")

			// The Erlang layer's files are gone from the cache.
			raw, err := os.ReadFile(metaPath)
			Expect(err).NotTo(HaveOccurred())
			var meta struct {
				Buildpacks []struct {
					Key    string
					Layers map[string]struct{ SHA string }
				}
			}
			Expect(json.Unmarshal(raw, &meta)).To(Succeed())
			var erlangSHA string
			for _, bp := range meta.Buildpacks {
				if bp.Key == "elixir-buildpacks/erlang-runtime" {
					erlangSHA = bp.Layers["erlang"].SHA
				}
			}
			Expect(erlangSHA).NotTo(BeEmpty())
			Expect(os.Remove(filepath.Join(dir, erlangSHA+".tar"))).To(Succeed())

			b = &build{Image: image, App: "inets_release", Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Reloading cached layer"))
			Expect(b.Output).To(ContainSubstring("Elixir " + newElixir + ": Reusing cached layer"))
			serves()

			// The cache metadata is not even JSON.
			Expect(os.WriteFile(metaPath, []byte(`{"buildpacks": [ not json`), 0o644)).To(Succeed())
			b = &build{Image: image, App: "inets_release", Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Contributing to layer"))
			Expect(b.Output).To(ContainSubstring("Elixir " + newElixir + ": Contributing to layer"))
			serves()
		})
	})

	context("a build is killed mid-way", func() {
		it("leaves the previous image and cache intact, and the next build succeeds", func() {
			app := filepath.Join(t.TempDir(), "inets_release")
			copyDir(t, filepath.Join("testdata", "inets_release"), app)
			b := &build{Image: image, App: app, Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			before := imageState(t, image)
			Expect(before.cacheMeta).NotTo(BeEmpty(), "the first build exported a cache")

			// A source change, so that the next build runs Mix rather than
			// reusing the release as it is.
			rtAppend(t, filepath.Join(app, "lib", "hello", "handler.ex"), "\n# changed\n")
			// Every container there is before the build, so that all pack
			// starts can be removed after it: its lifecycle container runs
			// from the builder or from an ephemeral builder it makes
			// (pack.local/builder/…), so no one image filter finds it.
			existing := containerIDs(t)
			cmd := exec.Command("pack", "build", image, "--builder", env("BUILDER"),
				"--path", app,
				"--pull-policy", "never", "--trust-builder", "--network", "host", "--docker-host", "inherit",
				"-e", "HEX_BUILDS_URL="+index.URL)
			log := &syncBuffer{}
			cmd.Stdout, cmd.Stderr = log, log
			Expect(cmd.Start()).To(Succeed())
			deadline := time.Now().Add(3 * time.Minute)
			for !strings.Contains(log.String(), "Running: mix") && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			Expect(log.String()).To(ContainSubstring("Running: mix"))
			// Kill pack and the lifecycle container it runs, as a CI timeout would.
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			for id := range containerIDs(t) {
				if !existing[id] {
					_, _ = engine("rm", "-f", id)
				}
			}
			Expect(containerIDs(t)).To(Equal(existing), "no container of the killed build is left")
			Expect(imageState(t, image)).To(Equal(before), "the image and the cache are as the previous build left them")
			serves()

			b = &build{Image: image, App: app, Index: index.URL}
			Expect(b.Run()).To(Succeed(), b.Output)
			Expect(b.Output).To(ContainSubstring("Erlang/OTP " + newOTP + ": Reusing cached layer"))
			after := imageState(t, image)
			Expect(after.id).NotTo(Equal(before.id), "the changed source made a new image")
			serves()
		})
	})
}

// state is what a build leaves behind for an image: the image's id and
// layer digests, and the build cache's metadata and layer files.
type state struct {
	id, cacheMeta string
	layers        []string
	cacheFiles    []string
}

func imageState(t *testing.T, image string) state {
	t.Helper()
	Expect := NewWithT(t).Expect
	id, err := engine("image", "inspect", "--format", "{{.Id}}", image)
	Expect(err).NotTo(HaveOccurred(), id)
	ls, err := layers(image)
	Expect(err).NotTo(HaveOccurred())
	dir, err := cacheDir(image)
	Expect(err).NotTo(HaveOccurred())
	meta, err := os.ReadFile(filepath.Join(dir, "io.buildpacks.lifecycle.cache.metadata"))
	Expect(err).NotTo(HaveOccurred())
	entries, err := os.ReadDir(dir)
	Expect(err).NotTo(HaveOccurred())
	var files []string
	for _, e := range entries {
		info, err := e.Info()
		Expect(err).NotTo(HaveOccurred())
		files = append(files, fmt.Sprintf("%s %d", e.Name(), info.Size()))
	}
	return state{id: strings.TrimSpace(id), cacheMeta: string(meta), layers: ls, cacheFiles: files}
}

// syncBuffer is a log that exec's copier writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// containerIDs are the engine's containers, running or not.
func containerIDs(t *testing.T) map[string]bool {
	out, err := engine("ps", "-a", "-q", "--no-trunc")
	if err != nil {
		t.Fatalf("listing containers: %v: %s", err, out)
	}
	ids := map[string]bool{}
	for _, id := range strings.Fields(out) {
		ids[id] = true
	}
	return ids
}
