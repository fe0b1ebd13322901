//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestProcesses runs what was built the ways a user runs it besides the
// web process: a one-off migrate (the wrong form refused with one line, the
// documented one run), eval and rpc through the launcher, a Procfile that
// calls Mix (refused at build time), a Phoenix release run without its
// endpoint, two containers forming a cluster, and a release that crashes
// at boot, which leaves its crash dump where the run user can read it. The
// cases share one image of ledger_release (the shape `mix phx.gen.release`
// leaves an app in), built once, but the Procfile and PhxServer ones, which
// build their own.
func TestProcesses(t *testing.T) {
	ledger := &sharedImage{app: "ledger_release", prefix: "elixir-bp-it-ledger"}
	t.Cleanup(ledger.remove)
	suite := spec.New("processes", spec.Report(report.Terminal{}), spec.Sequential())
	suite("OneOff", func(t *testing.T, context spec.G, it spec.S) { testOneOff(t, context, it, ledger) })
	suite("Procfile", testProcfileMix)
	suite("PhxServer", testPhxServer)
	suite("Cluster", func(t *testing.T, context spec.G, it spec.S) { testCluster(t, context, it, ledger) })
	suite("CrashDump", func(t *testing.T, context spec.G, it spec.S) { testCrashDump(t, context, it, ledger) })
	suite.Run(t)
}

// sharedImage is an app built once for several cases, and removed after
// the last of them.
type sharedImage struct {
	app, prefix string
	once        sync.Once
	image       string
	output      string
	err         error
}

// get builds the image on the first call; every case gets the same one.
func (s *sharedImage) get(t *testing.T) string {
	t.Helper()
	s.once.Do(func() {
		index := serveIndex(env("INDEX_DIR"))
		defer index.Close()
		s.image = randomName(s.prefix)
		b := &build{Image: s.image, App: s.app, Index: index.URL}
		s.err = b.Run()
		s.output = b.Output
	})
	if s.err != nil {
		t.Fatalf("building %s: %v\n%s", s.app, s.err, s.output)
	}
	return s.image
}

func (s *sharedImage) remove() {
	if s.image != "" {
		removeImage(s.image)
	}
}

// oneOff runs the image to its end, as a one-off process runs, and returns
// its output and error. The container is named, so one that does not end
// within the time is removed rather than left running.
func oneOff(t *testing.T, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := oneOffTo(t, timeout, &out, &out, args...)
	return out.String(), err
}

// oneOffStderr is oneOff with the container's stderr apart: ERTS writes
// "Crash dump is being written to: …" and "done" to stderr and the slogan
// to stdout, and the engine's CLI relays the two streams as they come, so
// in one merged output the slogan may land between them.
func oneOffStderr(t *testing.T, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := oneOffTo(t, timeout, &stdout, &stderr, args...)
	if err != nil {
		err = fmt.Errorf("%w (stdout: %s)", err, stdout.String())
	}
	return stderr.String(), err
}

// oneOffTo runs `ENGINE run --rm ARGS` with the container's output sent to
// stdout and stderr (one writer given twice keeps their order), and removes
// the container if it outlives timeout.
func oneOffTo(t *testing.T, timeout time.Duration, stdout, stderr io.Writer, args ...string) error {
	t.Helper()
	name := randomName("elixir-bp-it-oneoff")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, engineCLI(), append([]string{"run", "--rm", "--name", name}, args...)...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		_, _ = engine("rm", "-f", name)
		t.Fatalf("%s did not end within %s", strings.Join(args, " "), timeout)
	}
	return err
}

// writableDir is a host folder that the image's run user (uid 1002) can
// write, to mount into a container.
func writableDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil { // past the umask
		t.Fatal(err)
	}
	return dir
}

func testCrashDump(t *testing.T, context spec.G, it spec.S, ledger *sharedImage) {
	var (
		Expect = NewWithT(t).Expect
		image  string
	)
	it.Before(func() { image = ledger.get(t) })

	// PORT=not-a-port makes Ledger.Application.start/2 raise: the node's boot fails.
	crash := []string{"-e", "PORT=not-a-port"}

	it("writes erl_crash.dump into the release's tmp (/tmp) when the release crashes at boot", func() {
		tmp := writableDir(t)
		out, err := oneOffStderr(t, 90*time.Second, append(crash, "-v", tmp+":/tmp", image)...)
		Expect(err).To(HaveOccurred(), "the boot fails: "+out)
		Expect(out).To(ContainSubstring("Crash dump is being written to: /tmp/erl_crash.dump...done"))
		dump, err := os.ReadFile(filepath.Join(tmp, "erl_crash.dump"))
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(string(dump)).To(HavePrefix("=erl_crash_dump:"))
		Expect(string(dump)).To(ContainSubstring("application_start_failure,ledger"))
	})

	it("puts the dump where ERL_CRASH_DUMP, or else RELEASE_TMP, given at run time says", func() {
		data := writableDir(t)
		out, err := oneOffStderr(t, 90*time.Second, append(crash, "-v", data+":/data", "-e", "ERL_CRASH_DUMP=/data/boot.dump", image)...)
		Expect(err).To(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("Crash dump is being written to: /data/boot.dump...done"))
		Expect(filepath.Join(data, "boot.dump")).To(BeARegularFile())

		out, err = oneOffStderr(t, 90*time.Second, append(crash, "-v", data+":/data", "-e", "RELEASE_TMP=/data", image)...)
		Expect(err).To(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("Crash dump is being written to: /data/erl_crash.dump...done"))
		Expect(filepath.Join(data, "erl_crash.dump")).To(BeARegularFile())
	})
}

// guardLine is what the web process answers when given a process type.
func guardLine(given, process string) string {
	return "ERROR: the web process takes no arguments (given: " + given + "); to run the " + process +
		" process, make it the entrypoint: docker run --entrypoint " + process + ` IMAGE (Kubernetes: command: ["` + process + `"])`
}

func testOneOff(t *testing.T, context spec.G, it spec.S, ledger *sharedImage) {
	var (
		Expect     = NewWithT(t).Expect
		image      string
		containers []container
	)
	it.Before(func() { image = ledger.get(t) })
	it.After(func() {
		for _, c := range containers {
			c.Remove()
		}
	})
	// DATA_DIR is the stand-in database that migrate writes and web reads.
	db := func(dir string) []string { return []string{"-v", dir + ":/data", "-e", "DATA_DIR=/data"} }

	it("offers web as bin/server through the guard, and migrate", func() {
		procs, err := processes(image)
		Expect(err).NotTo(HaveOccurred())
		Expect(procs).To(HaveKeyWithValue("web", "/layers/elixir-buildpacks_mix-release/launch-env/no-arguments /layers/elixir-buildpacks_mix-release/release/bin/server"))
		Expect(procs).To(HaveKeyWithValue("migrate", "/layers/elixir-buildpacks_mix-release/release/bin/migrate"))
	})

	it("refuses IMAGE migrate and IMAGE /cnb/process/migrate with one line: no server starts, nothing migrates", func() {
		data := writableDir(t)
		for _, given := range []string{"migrate", "/cnb/process/migrate"} {
			out, err := oneOff(t, 60*time.Second, append(db(data), image, given)...)
			Expect(err).To(HaveOccurred(), out)
			Expect(strings.TrimSpace(out)).To(Equal(guardLine(given, "migrate")))
		}
		Expect(filepath.Join(data, "migrated")).NotTo(BeAnExistingFile())
	})

	it("runs migrate as the entrypoint (--entrypoint, Kubernetes' command:, a CI job's script line), and web then shows it", func() {
		data := writableDir(t)
		out, err := oneOff(t, 90*time.Second, append(append([]string{"--entrypoint", "migrate"}, db(data)...), image)...)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("ledger: migrations ran"))
		Expect(os.ReadFile(filepath.Join(data, "migrated"))).To(Equal([]byte("migrated by Ledger.Release.migrate\n")))

		// A CI job runs its script lines with a shell in the image, its entrypoint cleared.
		ci := writableDir(t)
		out, err = oneOff(t, 90*time.Second, append(append([]string{"--entrypoint", "sh"}, db(ci)...), image, "-c", "migrate")...)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(filepath.Join(ci, "migrated")).To(BeARegularFile())

		expectServes(t, &containers, image, "ledger: migrated by Ledger.Release.migrate\n", db(data)...)
	})

	it("evaluates an expression in a fresh node through the launcher with --: eval, the same form on every platform", func() {
		data := writableDir(t)
		out, err := oneOff(t, 90*time.Second, append(append([]string{"--entrypoint", "launcher"}, db(data)...),
			image, "--", "ledger", "eval", `Ledger.Release.migrate(); IO.puts("eval says " <> Ledger.Handler.body())`)...)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(ContainSubstring("eval says ledger: migrated by Ledger.Release.migrate\n"))
	})

	it("answers rpc in the running container through the launcher with --, the expression kept as one word", func() {
		port := freePort()
		c, err := start(image, port)
		Expect(err).NotTo(HaveOccurred())
		containers = append(containers, c)
		_, _, err = get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		// The documented form: the launcher (on PATH) and the release's
		// bin/ledger (on the launch PATH), the expression one word after --.
		out, err := engine("exec", c.ID, "launcher", "--",
			"ledger", "rpc", `IO.write("rpc says " <> Ledger.Handler.body())`)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(out).To(Equal("rpc says ledger: not migrated\n"))
	})
}

func testProcfileMix(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("fails the build of a release whose Procfile runs mix, Heroku's release: line, with one line naming the release's commands", func() {
		app := copyApp(t, "ledger_release")
		Expect(os.WriteFile(filepath.Join(app, "Procfile"), []byte("web: bin/server\nrelease: mix ecto.migrate\n"), 0o644)).To(Succeed())
		b := &build{Image: f.image("elixir-bp-it-procfile-mix"), App: app, Index: f.url}
		Expect(b.Run()).NotTo(Succeed(), b.Output)
		Expect(b.Output).To(ContainLines(
			"ERROR: Mix is not in a release image",
			`the Procfile's release process runs mix ("mix ecto.migrate"), and a release image has no mix, iex or elixir, `+
				`so it would fail with "mix: not found"; use the release's own commands instead: `+
				`the migrate process (bin/migrate, which mix phx.gen.release writes), or ledger eval "Ledger.Release.migrate()" as the command; `+
				`or build with BP_MIX_RELEASE=false to ship Mix and run the app with it`,
		))
		Expect(b.Output).NotTo(ContainSubstring("Running: mix deps.get"), "it fails before any work")
	})
}

func testCluster(t *testing.T, context spec.G, it spec.S, ledger *sharedImage) {
	var (
		Expect = NewWithT(t).Expect
		image  string
	)
	it.Before(func() { image = ledger.get(t) })

	it("forms a cluster of two containers of one image on a network the test makes, given DNS_CLUSTER_QUERY and one RELEASE_COOKIE", func() {
		network := randomName("elixir-bp-it-net")
		out, err := engine("network", "create", network)
		Expect(err).NotTo(HaveOccurred(), out)
		var nodes []container
		defer func() {
			for _, c := range nodes {
				c.Remove()
			}
			_, _ = engine("network", "rm", "-f", network)
		}()
		cookie := randomName("cookie")
		var ips []string
		for i := 0; i < 2; i++ {
			port := freePort()
			c, err := start(image, port, "--network", network,
				"-e", "DNS_CLUSTER_QUERY=ledger.internal", "-e", "RELEASE_COOKIE="+cookie)
			Expect(err).NotTo(HaveOccurred())
			nodes = append(nodes, c)
			_, _, err = get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
			Expect(err).NotTo(HaveOccurred(), c.Logs())
			ip, err := engine("inspect", "--format", `{{ (index .NetworkSettings.Networks "`+network+`").IPAddress }}`, c.ID)
			Expect(err).NotTo(HaveOccurred(), ip)
			ips = append(ips, strings.TrimSpace(ip))
			Expect(c.Logs()).NotTo(ContainSubstring("WARNING"), "a cookie is given and the container has an address")
		}
		rpc := func(c container, expr string) string {
			out, err := engine("exec", c.ID, "launcher", "--", "ledger", "rpc", expr)
			Expect(err).NotTo(HaveOccurred(), out)
			return out
		}
		// Long names at each container's IP, so the other one can reach it.
		Expect(rpc(nodes[0], `IO.write(node())`)).To(Equal("ledger@" + ips[0]))
		Expect(rpc(nodes[1], `IO.write(node())`)).To(Equal("ledger@" + ips[1]))
		// What dns_cluster does with the addresses its query returns.
		Expect(rpc(nodes[1], fmt.Sprintf(`IO.write(inspect(Node.connect(:"ledger@%s")))`, ips[0]))).To(Equal("true"))
		Expect(rpc(nodes[0], `IO.write(inspect(Node.list()))`)).To(Equal(fmt.Sprintf(`[:"ledger@%s"]`, ips[1])))
	})
}

func testPhxServer(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("serves with PHX_SERVER=false or PHX_SERVER= given, and not in a process started with it removed", func() {
		app := copyApp(t, "phoenix_umbrella")
		Expect(os.WriteFile(filepath.Join(app, "Procfile"), []byte("worker: env -u PHX_SERVER web start\n"), 0o644)).To(Succeed())
		image := f.image("elixir-bp-it-phx-server")
		b := &build{Image: image, App: app, Index: f.url}
		Expect(b.Run()).To(Succeed(), b.Output)

		// Neither value switches the endpoint off: false is a set value, and
		// the launcher takes an empty one for unset and gives the default.
		for given, seen := range map[string]string{"false": "false", "": "true"} {
			port := freePort()
			c, err := f.start(image, port, "-e", "PHX_SERVER="+given)
			Expect(err).NotTo(HaveOccurred())
			status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/phx_server", port), 60*time.Second)
			Expect(err).NotTo(HaveOccurred(), c.Logs())
			Expect(status).To(Equal(200))
			Expect(body).To(Equal("PHX_SERVER="+seen+"\n"), "PHX_SERVER="+given+" serves")
		}

		// The worker runs the same release with PHX_SERVER removed: the app
		// is up (rpc answers), its endpoint is not.
		port := freePort()
		w, err := f.start(image, port, "--entrypoint", "worker")
		Expect(err).NotTo(HaveOccurred())
		var out string
		NewWithT(t).Eventually(func() error {
			out, err = engine("exec", w.ID, "launcher", "--", "web", "rpc",
				`IO.write(inspect({System.get_env("PHX_SERVER"), Application.get_env(:web, :server)}))`)
			return err
		}, 60*time.Second, time.Second).Should(Succeed(), func() string { return out + w.Logs() })
		Expect(out).To(Equal("{nil, nil}"))
		_, _, err = get(fmt.Sprintf("http://127.0.0.1:%d/phx_server", port), 3*time.Second)
		Expect(err).To(HaveOccurred(), "no endpoint listens in the worker")
	})
}
