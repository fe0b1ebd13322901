//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"
)

// TestPhoenix18 builds apps that the real generator, phx.new 1.8.9, makes
// at test time, locked by `mix deps.get` against a signed Hex repository of
// the real packages (phoenix 1.8.9, phoenix_live_view 1.2.10, bandit,
// tailwind 0.5.1, esbuild 0.10.0, telemetry and idna built with rebar3 …)
// and the two GitHub deps (heroicons, daisyUI) from a git daemon, all on
// 127.0.0.1 (../shared/hex-phoenix18). Nothing in the generated files is
// edited (but for the two edits a user makes to release an umbrella, in its
// last step): what a user commits is what is built. Hex is installed from the
// index as from builds.hex.pm, the asset tools (the real esbuild 0.25.4 and
// a tailwind 4.3.0 standalone) come from a phoenix-assets binding.
func TestPhoenix18(t *testing.T) {
	suite := spec.New("phoenix-1.8", spec.Report(report.Terminal{}), spec.Sequential())
	// The default app (Ecto and PostgreSQL), made ready to deploy as
	// Phoenix's deployment guide says (phx.gen.release) and with one
	// schema and its migration (phx.gen.schema), so it has a table to
	// migrate and a row to read back.
	suite("default (Ecto, PostgreSQL)", func(t *testing.T, context spec.G, it spec.S) {
		testPhoenix18Assets(t, context, it, phx18App{
			tasks:    []string{"phx.gen.release", "phx.gen.schema Blog.Post posts title:string"},
			database: true})
	})
	suite("--no-ecto", func(t *testing.T, context spec.G, it spec.S) {
		testPhoenix18Assets(t, context, it, phx18App{flags: []string{"--no-ecto"}})
	})
	suite("--no-html --no-assets", testPhoenix18API)
	suite("Air-gapped", testPhoenix18AirGapped)
	suite("--umbrella --no-ecto", testPhoenix18Umbrella)
	suite.Run(t)
}

// hexPhoenix18 is the shared test data served on 127.0.0.1: the Hex
// repository over HTTP and the GitHub deps through a git daemon, with the
// pack arguments that point a build at them.
type hexPhoenix18 struct {
	repoURL string
	gitBase string
	// env is what a build (and the generator) gets: the repository and
	// its key, and git's mapping of GitHub to the daemon.
	env  map[string]string
	stop func()
}

func sharedPhoenix18(elem ...string) string {
	return filepath.Join(append([]string{env("SHARED_DIR"), "hex-phoenix18"}, elem...)...)
}

func serveHexPhoenix18(t *testing.T) hexPhoenix18 {
	repo := httptest.NewServer(http.FileServer(http.Dir(sharedPhoenix18("repo", "public"))))
	dir := t.TempDir()
	for _, r := range []string{"tailwindlabs/heroicons", "saadeghi/daisyui"} {
		if out, err := run("git", "clone", "-q", "--bare", sharedPhoenix18("git", r+".bundle"), filepath.Join(dir, r+".git")); err != nil {
			repo.Close()
			t.Fatalf("cloning the %s bundle: %v: %s", r, err, out)
		}
	}
	base, stopGit := gitDaemon(t, dir, os.Environ(), "tailwindlabs/heroicons.git")
	key, err := os.ReadFile(sharedPhoenix18("repo", "public_key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return hexPhoenix18{repoURL: repo.URL, gitBase: base,
		env: map[string]string{
			"BP_HEX_REPO_URL":        repo.URL,
			"BP_HEX_REPO_PUBLIC_KEY": string(key),
			"GIT_CONFIG_COUNT":       "1",
			"GIT_CONFIG_KEY_0":       "url." + base + "/.insteadOf",
			"GIT_CONFIG_VALUE_0":     "https://github.com/",
		},
		stop: func() { repo.Close(); stopGit() }}
}

// packEnv is h.env as pack's -e arguments.
func (h hexPhoenix18) packEnv() []string {
	var args []string
	for k, v := range h.env {
		args = append(args, "-e", k+"="+v)
	}
	return args
}

// generatePhoenix runs `mix phx.new NAME --no-install FLAGS` and `mix
// deps.get` as a user does, with the index's Erlang/OTP and Elixir inside
// the build image (their glibc is newer than this host's), and returns the
// app folder as the user commits it: mix.lock written, deps/ and _build/
// left out (the generated .gitignore names both).
func generatePhoenix(t *testing.T, h hexPhoenix18, name string, flags []string, tasks ...string) string {
	out := t.TempDir()
	dir := name
	for _, f := range flags {
		if f == "--umbrella" {
			dir = name + "_umbrella" // phx.new's folder for an umbrella
		}
	}
	script := `set -e
mkdir -p /tmp/otp /tmp/elixir
tar -xzf /index/builds/otp/$(dpkg --print-architecture)/ubuntu-24.04/OTP-` + newOTP + `.tar.gz -C /tmp/otp --strip-components=1
(cd /tmp/otp && ./Install -minimal /tmp/otp >/dev/null)
(cd /tmp/elixir && unzip -q /index/builds/elixir/v` + newElixir + `-otp-27.zip)
export PATH=/tmp/otp/bin:/tmp/elixir/bin:$PATH LANG=C.UTF-8 MIX_HOME=/tmp/mix HEX_HOME=/tmp/hex
# escript runs the module its file is named after: rebar3, not rebar3-3.24.0.
cp /index/installs/` + newElixir + `/rebar3-* /tmp/rebar3 && export MIX_REBAR3=/tmp/rebar3
mix archive.install /shared/archives/phx_new-1.8.9.ez --force >/dev/null
mix archive.install /index/installs/` + newElixir + `/hex-2.5.1.ez --force >/dev/null
mix hex.repo set hexpm --url "$REPO" --public-key /shared/repo/public_key.pem
cd /out && mix phx.new "$@" --no-install >/dev/null
cd "$APP_DIR" && mix deps.get >/dev/null
` + generatorTasks(tasks) + `
rm -rf deps _build
`
	args := []string{"run", "--rm", "--network", "host", "--user", "root",
		"-v", env("INDEX_DIR") + ":/index:ro", "-v", sharedPhoenix18() + ":/shared:ro", "-v", out + ":/out",
		"-e", "REPO=" + h.repoURL, "-e", "APP_DIR=" + dir}
	for _, k := range []string{"GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"} {
		args = append(args, "-e", k+"="+h.env[k])
	}
	args = append(args, env("BUILD_IMAGE"), "bash", "-c", script, "generate", name)
	began := time.Now()
	if o, err := engine(append(args, flags...)...); err != nil {
		t.Fatalf("generating %s %s: %v: %s", name, strings.Join(flags, " "), err, o)
	}
	app := filepath.Join(out, dir)
	if _, err := os.Stat(filepath.Join(app, "mix.lock")); err != nil {
		t.Fatalf("phx.new %s made no locked app: %v", strings.Join(flags, " "), err)
	}
	t.Logf("generated and locked %s %s (then %s) in %s", name, strings.Join(flags, " "), strings.Join(tasks, ", "), time.Since(began).Round(100*time.Millisecond))
	return app
}

// generatorTasks are the shell lines running the Mix tasks (the phx.gen.*
// generators a user runs next) in the app.
func generatorTasks(tasks []string) string {
	var lines []string
	for _, task := range tasks {
		lines = append(lines, "mix "+task+" >/dev/null")
	}
	return strings.Join(lines, "\n")
}

// phoenix18Binding is a phoenix-assets binding with the tools a generated
// 1.8 app pins in config/config.exs: esbuild 0.25.4, tailwind 4.3.0.
func phoenix18Binding(t *testing.T) string {
	return phoenixAssetsBinding(t, map[string]string{"esbuild": env("ESBUILD18_BIN"), "tailwind": env("TAILWIND4_BIN")})
}

// timedBuild runs b and logs how long pack took.
func timedBuild(t *testing.T, what string, b *build) error {
	began := time.Now()
	err := b.Run()
	t.Logf("%s: pack build took %s", what, time.Since(began).Round(100*time.Millisecond))
	out := stripANSI(b.Output)
	if i := strings.Index(out, "Running: mix deps.compile"); i >= 0 {
		step := out[i+1:]
		if j := strings.Index(step, "Running: "); j >= 0 {
			step = step[:j]
		}
		if m := regexp.MustCompile(`Completed in ([0-9.]+m?s)`).FindAllStringSubmatch(step, -1); m != nil {
			t.Logf("%s: mix deps.compile completed in %s", what, m[len(m)-1][1])
		}
	}
	return err
}

// phx18App is one generated app: phx.new's flags, the generator tasks run
// after it, and whether it needs PostgreSQL.
type phx18App struct {
	flags    []string
	tasks    []string
	database bool
}

// appDB is a PostgreSQL database on 127.0.0.1 for a generated app with Ecto,
// whose config/runtime.exs reads DATABASE_URL.
func appDB(t *testing.T, f *fixture) *postgres {
	pg, err := startPostgres(t)
	if err != nil {
		t.Fatal(err)
	}
	f.stopLater(pg.stop)
	if out, err := pg.psql("postgres", "create database hello"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return pg
}

// startPhoenix runs a generated app's image. With a database it runs on
// the host network, where PostgreSQL listens on 127.0.0.1, with a port and
// an Erlang node name of its own.
func startPhoenix(f *fixture, image string, pg *postgres) (container, int, error) {
	port := freePort()
	secrets := []string{"-e", "SECRET_KEY_BASE=" + strings.Repeat("k", 64), "-e", "PHX_HOST=localhost"}
	if pg == nil {
		c, err := f.start(image, port, secrets...)
		return c, port, err
	}
	args := append([]string{"run", "-d", "--network", "host", "-e", fmt.Sprintf("PORT=%d", port), "-e", "DATABASE_URL=" + pg.url("hello")}, secrets...)
	args = append(append(args, uniqueNode()...), image)
	out, err := engine(args...)
	if err != nil {
		return container{}, 0, fmt.Errorf("%w: %s", err, out)
	}
	c := container{ID: strings.TrimSpace(out)}
	f.containers = append(f.containers, c)
	return c, port, nil
}

func testPhoenix18Assets(t *testing.T, context spec.G, it spec.S, shape phx18App) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("builds the generated app unedited, serves / with its digested CSS and JS, and rebuilds with no change and with one line changed", func() {
		h := serveHexPhoenix18(t)
		f.stopLater(h.stop)
		app := generatePhoenix(t, h, "hello", shape.flags, shape.tasks...)
		var pg *postgres
		if shape.database {
			pg = appDB(t, f)
		}
		image := f.image("elixir-bp-it-phx18")
		binding := phoenix18Binding(t)
		newBuild := func() *build {
			return &build{Image: image, App: app, Index: f.url,
				Volumes: []string{binding + ":/platform/bindings/assets:ro"}, Extra: h.packEnv()}
		}
		b := newBuild()
		Expect(timedBuild(t, "cold build", b)).To(Succeed(), b.Output)
		out := stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Hex 2.5.1 (built for Elixir " + newElixir + ") from " + f.url + "/installs/" + newElixir + "/hex-2.5.1.ez, sha512 verified"))
		// Mix 1.18 wants rebar3 while deps.get loads telemetry & co.
		rebar := strings.Index(out, "rebar3: installing, because idna, telemetry and telemetry_poller build with rebar3")
		Expect(rebar).To(BeNumerically(">=", 0), out)
		Expect(rebar).To(BeNumerically("<", strings.Index(out, "Running: mix deps.get")), "rebar3 is there before deps.get")
		Expect(out).NotTo(ContainSubstring("Could not install Rebar"))
		Expect(out).NotTo(ContainSubstring("Failed to check for new Hex version"), "Hex does not ask the private repository for its own updates")
		Expect(out).To(ContainSubstring("Phoenix assets: esbuild from the phoenix-assets binding assets, as _build/esbuild-linux-x64 (and MIX_ESBUILD_PATH)"))
		Expect(out).To(ContainSubstring("Phoenix assets: tailwind from the phoenix-assets binding assets, as _build/tailwind-linux-x64-4.3.0 (and MIX_TAILWIND_PATH)"))
		Expect(out).To(ContainSubstring("tailwindcss v4.3.0"), "tailwind's own banner")
		Expect(out).NotTo(MatchRegexp(`(?i)downloading (tailwind|esbuild)|releases/download`), "the binding's binaries are used, nothing downloaded")
		logSize(t, "cold build", image)

		if pg != nil {
			// The documented one-off forms (docs/migrating.md): the migrate
			// process phx.gen.release's bin/migrate gives, then eval in a
			// fresh node to write a row through the app's own schema.
			oneOff := func(entrypoint string, args ...string) (string, error) {
				return engine(append([]string{"run", "--rm", "--network", "host", "--entrypoint", entrypoint,
					"-e", "DATABASE_URL=" + pg.url("hello"), "-e", "SECRET_KEY_BASE=" + strings.Repeat("k", 64), image}, args...)...)
			}
			procs, err := processes(image)
			Expect(err).NotTo(HaveOccurred())
			Expect(procs).To(HaveKey("migrate"))
			o, err := oneOff("migrate")
			Expect(err).NotTo(HaveOccurred(), o)
			Expect(o).To(ContainSubstring("create table posts"))
			Expect(pg.psql("hello", "select count(*) from schema_migrations")).To(Equal("1"))
			o, err = oneOff("launcher", "--", "hello", "eval",
				`Ecto.Migrator.with_repo(Hello.Repo, fn repo -> repo.insert!(%Hello.Blog.Post{title: "written by the release"}) end)`)
			Expect(err).NotTo(HaveOccurred(), o)
			Expect(pg.psql("hello", "select title from posts")).To(Equal("written by the release"))
		}

		serve := func() (css, js string) {
			c, port, err := startPhoenix(f, image, pg)
			Expect(err).NotTo(HaveOccurred())
			defer c.Remove()
			return expectPhoenix18Home(t, c, port)
		}
		css, js := serve()

		firstID := imageID(t, image)

		b = newBuild()
		Expect(timedBuild(t, "no-change rebuild", b)).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("no Mix command runs"))
		Expect(out).NotTo(ContainSubstring("Running: mix"))
		Expect(imageID(t, image)).To(Equal(firstID), "a no-change rebuild gives the same image")

		before := image + "-before-change"
		Expect(engine("tag", image, before)).Error().NotTo(HaveOccurred())
		f.images = append(f.images, before)
		changeHello(t, filepath.Join(app, "lib", "hello.ex"))
		b = newBuild()
		Expect(timedBuild(t, "one-line change", b)).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Skipped mix deps.compile"))
		expectOneLayerReplaced(t, before, image, strings.Join(append([]string{"phx.new hello"}, shape.flags...), " "))
		css2, js2 := serve()
		Expect([]string{css2, js2}).To(Equal([]string{css, js}), "the same assets, the same digests")
	})
}

// expectPhoenix18Home asks a generated 1.8 app (with assets) for its home
// page and the digested stylesheet and script it links, checks what they
// hold, and returns their paths.
func expectPhoenix18Home(t *testing.T, c container, port int) (css, js string) {
	Expect := NewWithT(t).Expect
	status, page, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
	Expect(err).NotTo(HaveOccurred(), c.Logs())
	Expect(status).To(Equal(200), page)
	Expect(page).To(ContainSubstring("Phoenix Framework"), "the generated home page")
	cssPath := regexp.MustCompile(`href="(/assets/css/app-[0-9a-f]{32}\.css)\?vsn=d"`).FindStringSubmatch(page)
	Expect(cssPath).To(HaveLen(2), page)
	status, css, err = get(fmt.Sprintf("http://127.0.0.1:%d%s", port, cssPath[1]), 10*time.Second)
	Expect(err).NotTo(HaveOccurred())
	Expect(status).To(Equal(200))
	// The heroicons plugin read deps/heroicons (a git dep), daisyUI
	// came from deps/daisyui (the other), tailwind found the
	// classes of the generated components.
	Expect(css).To(MatchRegexp(`\.hero-arrow-path\{--hero-arrow-path:url\(data:image/svg\+xml;utf8,%3Csvg[^)]*d%3D%22M16\.023%209\.348h4\.992`),
		"24/outline/arrow-path.svg of heroicons v2.2.0, from deps/heroicons")
	Expect(css).To(MatchRegexp(`\.btn\{`), "daisyUI's button")
	Expect(css).To(ContainSubstring(".px-4{"), "a utility of the generated layouts.ex")
	Expect(css).To(ContainSubstring(".navbar{"), "the daisyUI component the generated layouts.ex uses")
	Expect(css).NotTo(ContainSubstring(`@import "tailwindcss"`), "built, not copied")
	jsPath := regexp.MustCompile(`src="(/assets/js/app-[0-9a-f]{32}\.js)\?vsn=d"`).FindStringSubmatch(page)
	Expect(jsPath).To(HaveLen(2), page)
	status, js, err = get(fmt.Sprintf("http://127.0.0.1:%d%s", port, jsPath[1]), 10*time.Second)
	Expect(err).NotTo(HaveOccurred())
	Expect(status).To(Equal(200))
	Expect(js).To(ContainSubstring("phx-connected"), "phoenix_live_view's JavaScript, bundled from deps/")
	Expect(js).To(HavePrefix("(()=>{"), "one minified esbuild bundle, as assets.deploy makes it")
	Expect(js).NotTo(MatchRegexp(`(?m)^import `), "bundled, not left as imports")
	return cssPath[1], jsPath[1]
}

// testPhoenix18API builds `mix phx.new hello --no-html --no-assets`: an API
// app (with Ecto) and no asset pipeline, whose priv/static (robots.txt,
// favicon.ico) phx.digest still digests.
func testPhoenix18API(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("builds the generated API app unedited, answers as its router says and serves its static files", func() {
		h := serveHexPhoenix18(t)
		f.stopLater(h.stop)
		app := generatePhoenix(t, h, "hello", []string{"--no-html", "--no-assets"})
		pg := appDB(t, f)
		image := f.image("elixir-bp-it-phx18-api")
		b := &build{Image: image, App: app, Index: f.url, Extra: h.packEnv()}
		Expect(timedBuild(t, "cold build", b)).To(Succeed(), b.Output)
		out := stripANSI(b.Output)
		Expect(out).To(ContainSubstring("rebar3: installing, because idna, telemetry and telemetry_poller build with rebar3"))
		Expect(out).To(ContainSubstring("Running: mix phx.digest"))
		logSize(t, "cold build", image)

		c, port, err := startPhoenix(f, image, pg)
		Expect(err).NotTo(HaveOccurred())
		// The generated router has an empty /api scope: / is a JSON 404
		// rendered by the generated ErrorJSON, which proves the endpoint,
		// the router and the error view run.
		status, body, err := get(fmt.Sprintf("http://127.0.0.1:%d/", port), 60*time.Second)
		Expect(err).NotTo(HaveOccurred(), c.Logs())
		Expect(status).To(Equal(404), body)
		Expect(body).To(Equal(`{"errors":{"detail":"Not Found"}}`))
		// The generated endpoint serves only the static paths it names
		// (robots.txt among them), so the file, not its digested copy.
		robots, err := os.ReadFile(filepath.Join(app, "priv", "static", "robots.txt"))
		Expect(err).NotTo(HaveOccurred())
		status, body, err = get(fmt.Sprintf("http://127.0.0.1:%d/robots.txt", port), 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(status).To(Equal(200))
		Expect(body).To(Equal(string(robots)))

		firstID := imageID(t, image)
		b = &build{Image: image, App: app, Index: f.url, Extra: h.packEnv()}
		Expect(timedBuild(t, "no-change rebuild", b)).To(Succeed(), b.Output)
		Expect(stripANSI(b.Output)).NotTo(ContainSubstring("Running: mix"))
		Expect(imageID(t, image)).To(Equal(firstID), "a no-change rebuild gives the same image")
	})
}

// postgres is a PostgreSQL cluster of Debian's server binaries, on
// 127.0.0.1 only, in a folder of its own: started for one case and stopped
// and removed after it.
type postgres struct {
	port int
	dir  string
	bin  string
}

const postgresPassword = "postgres-it"

func startPostgres(t *testing.T) (*postgres, error) {
	initdb, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(initdb) == 0 {
		return nil, fmt.Errorf("no /usr/lib/postgresql/*/bin/initdb: scripts/integration.sh installs Debian's postgresql")
	}
	p := &postgres{port: freePort(), bin: filepath.Dir(initdb[len(initdb)-1])}
	var err error
	if p.dir, err = os.MkdirTemp("", "it-postgres-"); err != nil {
		return nil, err
	}
	// The server refuses to run as root: its folder is the postgres user's.
	if out, err := run("chown", "postgres:postgres", p.dir); err != nil {
		return nil, fmt.Errorf("%v: %s", err, out)
	}
	pw := filepath.Join(p.dir, "pw")
	if err := os.WriteFile(pw, []byte(postgresPassword+"\n"), 0o644); err != nil {
		return nil, err
	}
	if out, err := p.as(filepath.Join(p.bin, "initdb"), "-D", filepath.Join(p.dir, "data"), "-U", "postgres",
		"--auth=scram-sha-256", "--pwfile="+pw); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s", p.port, p.dir)
	if out, err := p.as(filepath.Join(p.bin, "pg_ctl"), "-D", filepath.Join(p.dir, "data"), "-l", filepath.Join(p.dir, "log"),
		"-o", opts, "-w", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return p, nil
}

func (p *postgres) as(args ...string) (string, error) {
	return run("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
}

// psql runs SQL as the postgres user over TCP on 127.0.0.1.
func (p *postgres) psql(db, sql string) (string, error) {
	cmd := exec.Command(filepath.Join(p.bin, "psql"), "-h", "127.0.0.1", "-p", fmt.Sprint(p.port), "-U", "postgres",
		"-d", db, "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+postgresPassword)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (p *postgres) url(db string) string {
	return fmt.Sprintf("ecto://postgres:%s@127.0.0.1:%d/%s", postgresPassword, p.port, db)
}

func (p *postgres) stop() {
	_, _ = p.as(filepath.Join(p.bin, "pg_ctl"), "-D", filepath.Join(p.dir, "data"), "-m", "fast", "-w", "stop")
	_ = os.RemoveAll(p.dir)
}

// testPhoenix18AirGapped is the flow docs/phoenix.md gives a site that
// cannot download the asset tools: the generated --no-ecto app built with
// no binding fails in one line naming the tool, its version and its URL;
// with the binding it builds; then a one-line change builds with neither
// the binding nor any network, from the asset-tools cache.
func testPhoenix18AirGapped(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		f      *fixture
	)
	it.Before(func() { f = newFixture() })
	it.After(func() { f.cleanup() })

	it("fails the asset step in one line without the tools, builds with the binding, then from the cache with no network", func() {
		h := serveHexPhoenix18(t)
		f.stopLater(h.stop)
		app := generatePhoenix(t, h, "hello", []string{"--no-ecto"})
		image := f.image("elixir-bp-it-phx18-airgap")
		// The index mounted, as a site without any network has it.
		newBuild := func(network string, volumes ...string) *build {
			return &build{Image: image, App: app, Index: "file://" + offlineIndex, Network: network,
				Volumes: append([]string{env("INDEX_DIR") + ":" + offlineIndex + ":ro"}, volumes...), Extra: h.packEnv()}
		}
		b := newBuild("host")
		Expect(b.Run()).NotTo(Succeed(), b.Output)
		out := stripANSI(b.Output)
		line := "mix assets.setup could not download tailwind 4.3.0 from https://github.com/tailwindlabs/tailwindcss/releases/download/v4.3.0/tailwindcss-linux-x64: " +
			"give the binary in a phoenix-assets binding (a file named tailwind), or commit it to the app and name it in config :tailwind, path: ...; see docs/phoenix.md"
		Expect(out).To(ContainLines("ERROR: Asset tool download failed", line))
		Expect(strings.Index(out, "ERROR: ")).To(Equal(strings.Index(out, "ERROR: Asset tool download failed")), "ours is the first error line")
		Expect(strings.Count(out, line)).To(Equal(1), "printed once")
		_, err := engine("image", "inspect", image)
		Expect(err).To(HaveOccurred(), "a failed build leaves no image")

		b = newBuild("host", phoenix18Binding(t)+":/platform/bindings/assets:ro")
		Expect(b.Run()).To(Succeed(), b.Output)
		Expect(stripANSI(b.Output)).To(ContainSubstring("Asset tools: esbuild-linux-x64, tailwind-linux-x64-4.3.0 kept in the asset-tools cache layer for the next build (esbuild 0.25.4, tailwind 4.3.0, linux-x64)"))

		changeHello(t, filepath.Join(app, "lib", "hello.ex"))
		b = newBuild("none")
		Expect(b.Run()).To(Succeed(), b.Output)
		out = stripANSI(b.Output)
		Expect(out).To(ContainSubstring("Asset tools: reusing esbuild-linux-x64, tailwind-linux-x64-4.3.0 from the cache (esbuild 0.25.4, tailwind 4.3.0, linux-x64 unchanged): nothing is downloaded"))
		Expect(out).To(ContainSubstring("Running: mix assets.deploy"))
		Expect(out).To(ContainSubstring("tailwindcss v4.3.0"), "tailwind ran")
		Expect(out).NotTo(ContainSubstring("Couldn't fetch"))
	})
}
