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
