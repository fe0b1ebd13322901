//go:build integration

package integration

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestMix covers mix-release in full: an umbrella with two releases, Mix
// runtime mode with a Procfile, and an app with path, git and rebar3 deps
// rebuilt after a source-only change, built with a secret that must not
// reach the image or the log.
func TestMix(t *testing.T) {
	suite := spec.New("mix", spec.Report(report.Terminal{}), spec.Sequential())
	suite("Umbrella", testUmbrella)
	suite("Runtime", testMixRuntime)
	suite("Deps", testMixDeps)
	suite.Run(t)
}

// fixture is what one case made and must remove: images, containers, cache
// volumes, and the local index server.
type fixture struct {
	images     []string
	containers []container
	// stops end what a case started besides (git daemons), at clean-up.
	stops []func()
	index interface{ Close() }
	url   string
}

func newFixture() *fixture {
	s := serveIndex(env("INDEX_DIR"))
	return &fixture{index: s, url: s.URL}
}

func (f *fixture) image(prefix string) string {
	name := randomName(prefix)
	f.images = append(f.images, name)
	return name
}

func (f *fixture) start(image string, port int, extra ...string) (container, error) {
	c, err := start(image, port, extra...)
	if err == nil {
		f.containers = append(f.containers, c)
	}
	return c, err
}

// stopLater has cleanup call stop.
func (f *fixture) stopLater(stop func()) { f.stops = append(f.stops, stop) }

func (f *fixture) cleanup() {
	for _, stop := range f.stops {
		stop()
	}
	for _, c := range f.containers {
		c.Remove()
	}
	for _, image := range f.images {
		removeImage(image)
	}
	f.index.Close()
}

// processes reads the process types of an image from its CNB label.
func processes(image string) (map[string]string, error) {
	out, err := engine("image", "inspect", "--format", `{{ index .Config.Labels "io.buildpacks.build.metadata" }}`, image)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, out)
	}
	var md struct {
		Processes []struct {
			Type    string   `json:"type"`
			Command []string `json:"command"`
			Args    []string `json:"args"`
		} `json:"processes"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &md); err != nil {
		return nil, err
	}
	procs := map[string]string{}
	for _, p := range md.Processes {
		procs[p.Type] = strings.Join(append(p.Command, p.Args...), " ")
	}
	return procs, nil
}

func testUmbrella(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("builds the release RELEASE picks, with migrate, and fails naming both without RELEASE", func() {
		image := f.image("elixir-bp-it-umbrella")
		b := &build{Image: image, App: "umbrella_releases", Index: f.url, Extra: []string{"-e", "RELEASE=web"}}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("umbrella with apps web, worker; releases web, worker"))
		Expect(b.Output).To(ContainSubstring("Release to build: web (from RELEASE)"))
		Expect(b.Output).To(ContainSubstring("Running: mix release web --overwrite --path"))

		procs, err := processes(image)
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(HaveKeyWithValue("web", "/layers/elixir-buildpacks_mix-release/launch-env/no-arguments /layers/elixir-buildpacks_mix-release/release/bin/web start"))
		Expect(procs).To(HaveKeyWithValue("migrate", "/layers/elixir-buildpacks_mix-release/release/bin/migrate"))

		port := freePort()
		c, err := f.start(image, port, uniqueNode()...)
		Expect(err).NotTo(HaveOccurred())
		status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal("umbrella_releases: the web release\n"))

		out, err := engine("run", "--rm", "--entrypoint", "migrate", image)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("umbrella_releases: nothing to migrate"))

		// The release's bin/ is on the launch PATH, for Procfile commands.
		out, err = engine("run", "--rm", "--entrypoint", "/cnb/lifecycle/launcher", image, "sh", "-c", "command -v web")
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(strings.TrimSpace(out)).To(Equal("/layers/elixir-buildpacks_mix-release/release/bin/web"))

		none := &build{Image: image, App: "umbrella_releases", Index: f.url}
		Expect(none.Run()).NotTo(Succeed(), none.Output)
		Expect(none.Output).To(ContainSubstring("ERROR: Several releases"))
		Expect(none.Output).To(ContainSubstring("mix.exs declares several releases (web, worker) and none was chosen: " +
			"set RELEASE (or BP_MIX_RELEASE_NAME) to one of them, for example pack build -e RELEASE=web"))
		Expect(none.Output).NotTo(ContainSubstring("Running: mix deps.get"), "it fails before any work")
	})
}

func testMixRuntime(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("runs an app without releases with mix, compiling nothing at boot, with the Procfile's processes", func() {
		image := f.image("elixir-bp-it-runtime")
		app, stopGit := mixRuntimeApp(t)
		f.stopLater(stopGit)
		b := &build{Image: image, App: app, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(b.Output).To(ContainSubstring("Mix runtime mode: mix.exs declares no releases and there is no config/runtime.exs"))
		Expect(b.Output).To(ContainSubstring("Procfile: worker, shout, console"))

		procs, err := processes(image)
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(Equal(map[string]string{
			"web":     "/layers/elixir-buildpacks_mix-release/launch-env/no-arguments mix run --no-halt --no-compile --no-deps-check",
			"console": "sh -c iex -S mix run --no-compile --no-deps-check --no-start",
			"worker":  `sh -c mix run --no-compile --no-deps-check --no-start -e 'IO.puts("worker says: " <> Greeter.Handler.body())'`,
			"shout":   "sh -c mix shout served by a task of a git dep",
		}))

		port := freePort()
		c, err := f.start(image, port)
		Expect(err).NotTo(HaveOccurred())
		status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal("mix_runtime: served by mix run, MIX_ENV=prod\n"))
		Expect(c.Logs()).NotTo(ContainSubstring("Compiling"))

		out, err := engine("run", "--rm", "--entrypoint", "/cnb/process/worker", image)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("worker says: mix_runtime: served by mix run, MIX_ENV=prod"))
		Expect(out).NotTo(ContainSubstring("Compiling"))

		// Mix finds a task of a dep only once the deps are on the code
		// path, and loading them its own way checks each git dep's lock
		// with git, which the run image does not have.
		out, err = engine("run", "--rm", "--entrypoint", "/cnb/process/shout", image)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(Equal("SERVED BY A TASK OF A GIT DEP!\n"))

		// The launch defaults, each overridable, and a writable HOME.
		out, err = engine("run", "--rm", "-e", "PORT=4000", "--entrypoint", "/cnb/lifecycle/launcher", image,
			"sh", "-c", `echo "$PORT $LANG $MIX_ENV"; touch "$HOME/.w" && echo home-writable; id -u`)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(strings.Fields(out)).To(Equal([]string{"4000", "C.UTF-8", "prod", "home-writable", "1002"}))
	})
}

// gitRepos serves testdata/git_<name> folders as git repositories with
// `git daemon` on 127.0.0.1, and returns the base URL and each commit.
func gitRepos(t *testing.T, names ...string) (string, map[string]string, func()) {
	dir := t.TempDir()
	commits := map[string]string{}
	gitEnv := append(os.Environ(), "GIT_AUTHOR_NAME=it", "GIT_AUTHOR_EMAIL=it@127.0.0.1",
		"GIT_COMMITTER_NAME=it", "GIT_COMMITTER_EMAIL=it@127.0.0.1", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	git := func(wd string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = wd, gitEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, name := range names {
		work := filepath.Join(dir, "work", name)
		copyDir(t, filepath.Join("testdata", "git_"+name), work)
		git(work, "init", "-q")
		git(work, "add", "-A")
		git(work, "commit", "-q", "-m", name)
		commits[name] = git(work, "rev-parse", "HEAD")
		git(dir, "clone", "-q", "--bare", work, filepath.Join(dir, "repos", name+".git"))
	}
	base, stop := gitDaemon(t, filepath.Join(dir, "repos"), gitEnv, names[0]+".git")
	return base, commits, stop
}

// gitDaemon serves the bare repositories under dir on 127.0.0.1 and waits
// until probe (one of them) answers. git runs git-daemon as its child, and
// killing git alone would leave git-daemon running, holding every file the
// test run inherited (the engine lock's among them): so its own process
// group, killed whole by stop.
func gitDaemon(t *testing.T, dir string, env []string, probe string) (string, func()) {
	port := freePort()
	daemon := exec.Command("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
		fmt.Sprintf("--port=%d", port), "--base-path="+dir, dir)
	daemon.Env = env
	daemon.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := daemon.Start(); err != nil {
		t.Fatalf("starting git daemon: %v", err)
	}
	stop := func() { _ = syscall.Kill(-daemon.Process.Pid, syscall.SIGKILL); _ = daemon.Wait() }
	base := fmt.Sprintf("git://127.0.0.1:%d", port)
	for i := 0; exec.Command("git", "ls-remote", base+"/"+probe).Run() != nil; i++ {
		if i == 50 {
			stop()
			t.Fatalf("git daemon does not answer on %s", base)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return base, stop
}

func copyDir(t *testing.T, src, dst string) {
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatalf("copying %s: %v", src, err)
	}
}

// savedImageHolds reports whether any file of the saved image (every layer,
// the config with its labels and env, the manifest) holds the value,
// looking inside gzip'd blobs too.
func savedImageHolds(t *testing.T, image, value string) bool {
	archive := filepath.Join(t.TempDir(), "image.tar")
	if out, err := engine("save", "-o", archive, image); err != nil {
		t.Fatalf("saving %s: %v: %s", image, err, out)
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	needle := []byte(value)
	tr := tar.NewReader(f)
	files := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading the saved image: %v", err)
		}
		files++
		var r io.Reader = bufio.NewReader(tr)
		if peek, _ := r.(*bufio.Reader).Peek(2); bytes.Equal(peek, []byte{0x1f, 0x8b}) {
			gz, err := gzip.NewReader(r)
			if err != nil {
				t.Fatalf("%s: %v", h.Name, err)
			}
			r = gz
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if bytes.Contains(data, needle) {
			t.Logf("found in %s", h.Name)
			return true
		}
	}
	if files < 3 {
		t.Fatalf("the saved image has only %d files", files)
	}
	return false
}

// mixDepsApp copies testdata/mix_deps, whose git deps a git daemon on
// 127.0.0.1 serves (base is its URL), and pins them in its mix.lock. stop
// ends the daemon.
func mixDepsApp(t *testing.T) (app, base string, commits map[string]string, stop func()) {
	base, commits, stop = gitRepos(t, "shouty", "erlcount")
	app = filepath.Join(t.TempDir(), "mix_deps")
	copyDir(t, filepath.Join("testdata", "mix_deps"), app)
	writeGitLock(t, app, base, commits)
	return app, base, commits, stop
}

// writeGitLock writes the mix.lock that `mix deps.get` would write for git
// deps served at base, pinning each to its commit, in Mix's name order.
func writeGitLock(t *testing.T, app, base string, commits map[string]string) {
	names := make([]string, 0, len(commits))
	for name := range commits {
		names = append(names, name)
	}
	sort.Strings(names)
	lock := "%{\n"
	for _, name := range names {
		lock += fmt.Sprintf("  %q: {:git, %q, %q, []},\n", name, base+"/"+name+".git", commits[name])
	}
	if err := os.WriteFile(filepath.Join(app, "mix.lock"), []byte(lock+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mixRuntimeApp copies testdata/mix_runtime, whose git dep (shouty) a git
// daemon on 127.0.0.1 serves, puts the daemon's address in its mix.exs and
// pins the dep in its mix.lock; stop ends the daemon. The URL is written
// into mix.exs rather than read from the environment, since Mix compares
// it with the lock at boot too, where the build's environment is gone.
func mixRuntimeApp(t *testing.T) (app string, stop func()) {
	base, commits, stop := gitRepos(t, "shouty")
	app = filepath.Join(t.TempDir(), "mix_runtime")
	copyDir(t, filepath.Join("testdata", "mix_runtime"), app)
	mixExs := filepath.Join(app, "mix.exs")
	src, err := os.ReadFile(mixExs)
	if err != nil {
		t.Fatal(err)
	}
	pointed := strings.Replace(string(src), "git://127.0.0.1:9418", base, 1)
	if pointed == string(src) {
		t.Fatalf("%s names no git://127.0.0.1:9418 to point at the daemon", mixExs)
	}
	if err := os.WriteFile(mixExs, []byte(pointed), 0o644); err != nil {
		t.Fatal(err)
	}
	writeGitLock(t, app, base, commits)
	return app, stop
}

// vendorGitDeps commits git deps into the app's deps/ as `mix deps.get`
// leaves them: a checkout of the locked commit whose origin is the dep's URL.
func vendorGitDeps(t *testing.T, app, base string, commits map[string]string, names ...string) {
	for _, name := range names {
		dest := filepath.Join(app, "deps", name)
		for _, args := range [][]string{
			{"clone", "-q", base + "/" + name + ".git", dest},
			{"-C", dest, "checkout", "-q", commits[name]},
		} {
			if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
				t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
	}
}

func testMixDeps(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("builds path, git and rebar3 deps once, keeps a secret out of image and log, and reuses the deps after a source-only change", func() {
		app, base, _, stopGit := mixDepsApp(t)
		f.stopLater(stopGit)

		raw := make([]byte, 24)
		_, _ = rand.Read(raw)
		secret := "skb-" + hex.EncodeToString(raw)
		digest := sha256.Sum256([]byte(secret))

		image := f.image("elixir-bp-it-deps")
		first := &build{Image: image, App: app, Index: f.url,
			Extra: []string{"-e", "GIT_DEPS_BASE=" + base, "-e", "SECRET_KEY_BASE=" + secret, "-e", "DEBUG=1"}}
		began := time.Now()
		Expect(first.Run()).To(Succeed(), first.Output)
		firstTime := time.Since(began)
		Expect(first.Output).To(ContainSubstring("git deps erlcount (rebar3), shouty; path deps greeting"))
		Expect(first.Output).To(ContainSubstring("rebar3 " + newRebar3 + " (built for Elixir " + newElixir + ") from " + f.url + "/installs/" + newElixir + "/rebar3-" + newRebar3 + ", sha512 verified"))
		Expect(first.Output).To(ContainSubstring("Hex: not installed, no dependency comes from a Hex repository"))
		Expect(first.Output).To(ContainSubstring("Running: mix deps.get --only prod"))
		Expect(first.Output).To(ContainSubstring("Running: mix deps.compile"))
		Expect(first.Output).To(ContainSubstring("===> Compiling erlcount"))
		Expect(first.Output).To(ContainSubstring("working directory: /workspace"), "DEBUG prints each command's folder")
		Expect(first.Output).To(ContainSubstring("adds MIX_REBAR3=/layers/elixir-buildpacks_mix-release/rebar3/bin/rebar3"))

		port := freePort()
		c, err := f.start(image, port, uniqueNode()...)
		Expect(err).NotTo(HaveOccurred())
		status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(200))
		// The digest compiled in proves SECRET_KEY_BASE reached Mix.
		Expect(body).To(Equal("mix_deps v1: hello from a path dep | FROM A GIT DEP! | built by rebar3 | secret sha256 " +
			hex.EncodeToString(digest[:]) + "\n"))
		c.Remove()

		Expect(first.Output).NotTo(ContainSubstring(secret), "the build log")
		inspect, err := engine("image", "inspect", image)
		Expect(err).NotTo(HaveOccurred(), inspect)
		Expect(inspect).NotTo(ContainSubstring(secret), "the config, its env and labels")
		Expect(savedImageHolds(t, image, secret)).To(BeFalse(), "a layer of the saved image")
		Expect(savedImageHolds(t, image, "mix_deps v1: ")).To(BeTrue(), "the scan finds what is there")

		handler := filepath.Join(app, "lib", "mix_deps", "handler.ex")
		src, err := os.ReadFile(handler)
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(handler, bytes.Replace(src, []byte("mix_deps v1"), []byte("mix_deps v2"), 1), 0o644)).To(Succeed())
		second := &build{Image: image, App: app, Index: f.url, Extra: []string{"-e", "GIT_DEPS_BASE=" + base}}
		began = time.Now()
		Expect(second.Run()).To(Succeed(), second.Output)
		secondTime := time.Since(began)
		t.Logf("mix_deps: first build %s, source-only rebuild %s", firstTime.Round(100*time.Millisecond), secondTime.Round(100*time.Millisecond))
		Expect(second.Output).To(ContainSubstring("Mix dependencies: mix.lock, every mix.exs, the compile-time config, MIX_ENV, Erlang/OTP, Elixir and the target are unchanged"))
		Expect(second.Output).To(ContainSubstring("Mix dependencies: Reusing cached layer"))
		Expect(second.Output).To(ContainSubstring("Skipped mix deps.get"))
		Expect(second.Output).To(ContainSubstring("Skipped mix deps.compile"))
		Expect(second.Output).NotTo(ContainSubstring("Running: mix deps.get"))
		Expect(second.Output).NotTo(ContainSubstring("Running: mix deps.compile"))
		Expect(second.Output).NotTo(ContainSubstring("Compiling erlcount"), "deps are not recompiled")
		Expect(second.Output).To(ContainSubstring("Compiling 1 file (.ex)"), "only the changed file is")

		port = freePort()
		c, err = f.start(image, port, uniqueNode()...)
		Expect(err).NotTo(HaveOccurred())
		_, body, err = get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(body).To(HavePrefix("mix_deps v2: hello from a path dep | FROM A GIT DEP! | built by rebar3 |"))
	})
}
