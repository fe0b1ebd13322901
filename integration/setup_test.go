//go:build integration

package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// TestSetup: scripts/setup.sh, which scripts/pack-build.sh runs before every
// build, makes nothing when nothing changed (and so costs well under a
// second), and when one input changes remakes exactly what depends on it.
func TestSetup(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a second run with nothing changed makes nothing and keeps the builder", func(t *testing.T) {
		Expect := NewWithT(t).Expect
		builder := env("BUILDER")
		first, _ := setup(t, root, builder)
		Expect(made(first)).To(BeEmpty(), "scripts/integration.sh set up just before")
		before := imageID(t, builder)

		second, took := setup(t, root, builder)
		t.Logf("the no-op set-up took %v", took)
		Expect(made(second)).To(BeEmpty(), second)
		Expect(imageID(t, builder)).To(Equal(before), "the very same builder image")
		// The bound is loose for a loaded machine; the figure itself is in
		// the log above (well under a second on a quiet one).
		Expect(took).To(BeNumerically("<", 3*time.Second))
	})

	t.Run("a changed input remakes only what depends on it", func(t *testing.T) {
		Expect := NewWithT(t).Expect
		copyRoot := copyCheckout(t, root)
		builder := env("BUILDER") + "-setuptest"
		// Not removeImage: a builder has no cache volumes, and their names
		// would be matched on "builder", which others' may hold.
		t.Cleanup(func() {
			if out, err := engine("rmi", "-f", builder); err != nil {
				t.Logf("removing %s: %v: %s", builder, err, out)
			}
		})

		// A fresh out/: every buildpack and the builder, but the tools,
		// stack images, lifecycle image and index are keyed on content, not
		// on the checkout's path, so the copy shares them.
		out, _ := setup(t, copyRoot, builder)
		Expect(made(out)).To(ConsistOf(
			"building the buildpack erlang-runtime", "building the buildpack elixir-runtime",
			"building the buildpack mix-release", "building the buildpack elixir-meta",
			"creating the builder "+builder), out)
		key := imageLabel(t, builder, "org.elixir-buildpacks.builder.key")
		Expect(key).NotTo(BeEmpty())
		erlang := filepath.Join(copyRoot, "out/buildpacks/erlang-runtime/bin/main")
		erlangBefore, err := os.Stat(erlang)
		Expect(err).NotTo(HaveOccurred())

		// One source file of one buildpack: that buildpack and the builder.
		appendLine(t, firstGoSource(t, filepath.Join(copyRoot, "buildpacks/mix-release")), "// changed by TestSetup")
		out, _ = setup(t, copyRoot, builder)
		Expect(made(out)).To(Equal([]string{"building the buildpack mix-release", "creating the builder " + builder}), out)
		erlangAfter, err := os.Stat(erlang)
		Expect(err).NotTo(HaveOccurred())
		Expect(erlangAfter.ModTime()).To(Equal(erlangBefore.ModTime()), "erlang-runtime's binary is left as it was")
		Expect(imageLabel(t, builder, "org.elixir-buildpacks.builder.key")).NotTo(Equal(key))

		// builder.toml alone: the builder only.
		appendLine(t, filepath.Join(copyRoot, "builder/builder.toml"), "# changed by TestSetup")
		out, _ = setup(t, copyRoot, builder)
		Expect(made(out)).To(Equal([]string{"creating the builder " + builder}), out)

		// A test file is no input of a binary.
		appendLine(t, firstGoTest(t, filepath.Join(copyRoot, "buildpacks/erlang-runtime")), "// changed by TestSetup")
		out, _ = setup(t, copyRoot, builder)
		Expect(made(out)).To(BeEmpty(), out)
	})
}

// setup runs a checkout's scripts/setup.sh for a builder name and returns
// its output and how long it took.
func setup(t *testing.T, root, builder string) (string, time.Duration) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(root, "scripts/setup.sh"))
	cmd.Env = append(os.Environ(), "ELIXIR_BP_BUILDER="+builder)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("scripts/setup.sh in %s: %v\n%s", root, err, out)
	}
	return string(out), took
}

// made lists what a set-up log says it made: every "==> " line but the
// closing "set-up done" one.
func made(log string) []string {
	var steps []string
	for _, line := range strings.Split(log, "\n") {
		step, ok := strings.CutPrefix(line, "==> ")
		if ok && !strings.HasPrefix(step, "set-up done") {
			steps = append(steps, step)
		}
	}
	return steps
}

func imageID(t *testing.T, image string) string {
	t.Helper()
	out, err := engine("image", "inspect", "--format", "{{.Id}}", image)
	if err != nil {
		t.Fatalf("inspecting %s: %v: %s", image, err, out)
	}
	return strings.TrimSpace(out)
}

func imageLabel(t *testing.T, image, label string) string {
	t.Helper()
	out, err := engine("image", "inspect", "--format", `{{ index .Config.Labels "`+label+`" }}`, image)
	if err != nil {
		t.Fatalf("inspecting %s: %v: %s", image, err, out)
	}
	return strings.TrimSpace(out)
}

// copyCheckout copies the checkout's files, without its git data and out/,
// into a temp folder that the test may change.
func copyCheckout(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	cmd := exec.Command("bash", "-c", `tar -C "$1" --exclude=./.git --exclude=./out -c . | tar -C "$2" -x`, "copy", root, dst)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("copying the checkout: %v: %s", err, out)
	}
	return dst
}

func appendLine(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n" + line + "\n"); err != nil {
		t.Fatal(err)
	}
}

// firstGoSource and firstGoTest find a non-test and a test .go file of a
// buildpack, whatever its files are called today.
func firstGoSource(t *testing.T, dir string) string {
	return firstFile(t, dir, func(name string) bool {
		return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
	})
}

func firstGoTest(t *testing.T, dir string) string {
	return firstFile(t, dir, func(name string) bool { return strings.HasSuffix(name, "_test.go") })
}

func firstFile(t *testing.T, dir string, match func(string) bool) string {
	t.Helper()
	var found string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && found == "" && !d.IsDir() && match(d.Name()) {
			found = path
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no matching file under %s", dir)
	}
	return found
}
