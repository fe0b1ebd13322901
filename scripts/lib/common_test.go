// Package lib_test runs the set-up's shell functions (scripts/lib/common.sh)
// against stand-ins this test controls: a lock file it holds with fcntl as
// apt and dpkg do, and an engine socket answering the version endpoint.
package lib_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// shell runs a snippet with common.sh sourced and env added.
func shell(t *testing.T, env []string, snippet string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", "-c", "source ./common.sh && "+snippet)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// holdLock takes a write lock on path the way dpkg does (fcntl, not flock).
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk); err != nil {
		t.Fatal(err)
	}
	return func() { _ = f.Close() } // closing drops the lock
}

func TestWaitForAptLocks(t *testing.T) {
	if _, err := exec.LookPath("lslocks"); err != nil {
		t.Fatal("lslocks (util-linux, essential on Debian) is missing: ", err)
	}
	dir := t.TempDir()
	lock := filepath.Join(dir, "lock-frontend")
	env := []string{"APT_LOCKS=" + filepath.Join(dir, "lists-lock") + " " + lock}
	pid := os.Getpid()

	t.Run("returns at once when no lock is held", func(t *testing.T) {
		out, err := shell(t, append(env, "APT_LOCK_TIMEOUT=5"), "wait_for_apt_locks && echo done")
		if err != nil || out != "done\n" {
			t.Fatalf("got %q, %v", out, err)
		}
	})

	t.Run("waits for a held lock and says so", func(t *testing.T) {
		release := holdLock(t, lock)
		timer := time.AfterFunc(2*time.Second, release)
		defer timer.Stop()
		out, err := shell(t, append(env, "APT_LOCK_TIMEOUT=30"), "wait_for_apt_locks && echo done")
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		want := fmt.Sprintf("==> waiting up to 30s for another apt/dpkg run (pid %d ", pid)
		if len(lines) != 3 || !strings.HasPrefix(lines[0], want) || !strings.HasPrefix(lines[1], "==> the apt lock was released after ") || lines[2] != "done" {
			t.Fatalf("log:\n%s", out)
		}
	})

	t.Run("gives up after the timeout with the cause and the fix", func(t *testing.T) {
		release := holdLock(t, lock)
		defer release()
		out, err := shell(t, append(env, "APT_LOCK_TIMEOUT=1"), "wait_for_apt_locks && echo done")
		if err == nil {
			t.Fatalf("succeeded with the lock held: %s", out)
		}
		last := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		want := fmt.Sprintf("error: another apt/dpkg run (pid %d) still holds its lock after 1s: let it finish (or stop it) and run this again; APT_LOCK_TIMEOUT=SECONDS waits longer", pid)
		if last[len(last)-1] != want {
			t.Fatalf("last line %q, want %q", last[len(last)-1], want)
		}
	})
}

// serveEngine answers GET /version on a unix socket as an engine would.
func serveEngine(t *testing.T, component string) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"Components":[{"Name":%q,"Version":"1"}]}`, component)
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "unix://" + sock
}

func TestEngine(t *testing.T) {
	// Both CLIs on PATH, each saying its name: only the socket decides.
	bin := t.TempDir()
	for _, name := range []string{"podman", "docker"} {
		script := "#!/bin/sh\necho " + name + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := "PATH=" + bin + ":" + os.Getenv("PATH")
	for component, want := range map[string]string{"Podman Engine": "podman images", "Engine": "docker images"} {
		host := serveEngine(t, component)
		out, err := shell(t, []string{path, "DOCKER_HOST=" + host}, `PATH="`+bin+`:$PATH" engine images`)
		if err != nil || out != want+"\n" {
			t.Errorf("with %q answering: got %q, %v; want %q", component, out, err, want)
		}
	}
}

func TestEnginePush(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"podman", "docker"} {
		script := "#!/bin/sh\necho " + name + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ component, image, want string }{
		// podman: plain HTTP only on loopback, v2s2 always.
		{"Podman Engine", "127.0.0.1:5000/eb/run:trixie", "podman push --tls-verify=false --format v2s2 127.0.0.1:5000/eb/run:trixie"},
		{"Podman Engine", "10.1.2.3:5000/eb/run:trixie", "podman push --tls-verify=true --format v2s2 10.1.2.3:5000/eb/run:trixie"},
		// Docker has neither flag ("unknown flag: --tls-verify").
		{"Engine", "127.0.0.1:5000/eb/run:trixie", "docker push 127.0.0.1:5000/eb/run:trixie"},
	} {
		host := serveEngine(t, c.component)
		out, err := shell(t, []string{"DOCKER_HOST=" + host}, `PATH="`+bin+`:$PATH" engine_push `+c.image)
		if err != nil || out != c.want+"\n" {
			t.Errorf("%s, %s: got %q, %v; want %q", c.component, c.image, out, err, c.want)
		}
	}
}

func TestEnsureEngineChoice(t *testing.T) {
	out, err := shell(t, []string{"ELIXIR_BP_ENGINE=rocket"}, "ensure_engine")
	want := "error: ELIXIR_BP_ENGINE=rocket names no engine set-up knows: unset it (Docker) or set it to docker or podman\n"
	if err == nil || out != want {
		t.Fatalf("got %q, %v; want %q and a failure", out, err, want)
	}
}

func TestDetachedKeepsNoDescriptor(t *testing.T) {
	dir := t.TempDir()
	// A lock the caller holds on fd 9, as a CI job's flock is held: the
	// service must not keep it, or the lock is held while it runs.
	out, err := shell(t, []string{"CACHE_DIR=" + dir, "SERVICE_LOG=service.log"}, `exec 9>"$CACHE_DIR/held.lock"
detached sleep 31.7
for _ in $(seq 50); do pid=$(pgrep -f "^sleep 31.7$") && break; sleep 0.1; done
echo "fds with the lock: $(ls -l /proc/$pid/fd | grep -c held.lock) cwd: $(readlink /proc/$pid/cwd)"
kill "$pid"`)
	if err != nil || out != "fds with the lock: 0 cwd: /\n" {
		t.Fatalf("got %q, %v", out, err)
	}
}

// serveImages answers the Docker API's image inspect endpoint for the given
// images (name to the JSON body) and 404 for any other, as podman does.
func serveImages(t *testing.T, images map[string]string) (host string, calls *atomic.Int32) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	calls = new(atomic.Int32)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/images/"), "/json")
		body, found := images[name]
		if !ok || !found {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintln(w, `{"cause":"image not known","message":"failed to find image `+name+`","response":404}`)
			return
		}
		fmt.Fprint(w, body)
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "unix://" + sock, calls
}

func TestImageLookups(t *testing.T) {
	// The shape of podman's answer: the label in ContainerConfig first, the
	// image's own in Config; one body ends in a newline, the other not.
	build := `{"Id":"sha256:377601f5","Parent":"ef8f","ContainerConfig":{"Labels":{"org.elixir-buildpacks.stack.key":"stale"}},` +
		`"Config":{"Labels":{"io.buildpacks.builder.metadata":"{\"org.elixir-buildpacks.stack.key\":\"escaped\"}","org.elixir-buildpacks.stack.key":"aa5a-f6ce"}}}` + "\n"
	builder := `{"Id":"sha256:a265b36e","Config":{"Labels":{"org.elixir-buildpacks.builder.key":"k1"}}}`
	host, calls := serveImages(t, map[string]string{
		"elixir-buildpacks/build:bookworm": build,
		"localhost/x/builder:t":            builder,
	})
	env := []string{"DOCKER_HOST=" + host}

	t.Run("one call for several images, then answers from what it kept", func(t *testing.T) {
		calls.Store(0)
		out, err := shell(t, env, `set -euo pipefail
inspect_images elixir-buildpacks/build:bookworm localhost/x/builder:t nope/missing:1
echo "id=$(image_id elixir-buildpacks/build:bookworm)"
echo "label=$(image_label elixir-buildpacks/build:bookworm org.elixir-buildpacks.stack.key)"
echo "builder=$(image_id localhost/x/builder:t) $(image_label localhost/x/builder:t org.elixir-buildpacks.builder.key)"
missing=$(image_id nope/missing:1); echo "missing=[$missing] [$(image_label nope/missing:1 a.b)]"
image_exists nope/missing:1 || echo "absent"
image_exists localhost/x/builder:t && echo "present"`)
		want := "id=sha256:377601f5\nlabel=aa5a-f6ce\nbuilder=sha256:a265b36e k1\nmissing=[] []\nabsent\npresent\n"
		if err != nil || out != want {
			t.Fatalf("got %q, %v; want %q", out, err, want)
		}
		if n := calls.Load(); n != 3 {
			t.Fatalf("%d requests, want the 3 of the one curl", n)
		}
	})

	t.Run("an image not asked about before is asked about then; a forgotten one again", func(t *testing.T) {
		calls.Store(0)
		out, err := shell(t, env, `set -euo pipefail
echo "$(image_label localhost/x/builder:t org.elixir-buildpacks.builder.key)"
inspect_images localhost/x/builder:t; forget_image localhost/x/builder:t
echo "$(image_id localhost/x/builder:t)"`)
		if n := calls.Load(); err != nil || out != "k1\nsha256:a265b36e\n" || n != 3 {
			t.Fatalf("got %q, %v after %d requests", out, err, n)
		}
	})
}

func TestFileSums(t *testing.T) {
	// Two checkouts with the same files in different places: the same sums.
	var sums [2]string
	for i := range sums {
		root := t.TempDir()
		for name, body := range map[string]string{
			"bp/run/main.go": "package main", "bp/run/main_test.go": "package main // " + fmt.Sprint(i),
			"bp/testdata/x": fmt.Sprint(i), "bp/buildpack.toml": "api", "VERSION": "0.1.0",
		} {
			path := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := shell(t, nil, `REPO_ROOT=`+root+` file_sums bp VERSION | awk '{ print $2 }' | tr '\n' ' '; REPO_ROOT=`+root+` file_sums bp VERSION | sha256sum`)
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		sums[i] = out
	}
	if !strings.HasPrefix(sums[0], "VERSION bp/buildpack.toml bp/run/main.go ") {
		t.Fatalf("the files hashed, test files and testdata/ left out: %q", sums[0])
	}
	if sums[0] != sums[1] {
		t.Fatalf("checkouts differing only in test files and place: %q and %q", sums[0], sums[1])
	}
}
