package mix_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

// execD runs an exec.d script as the launcher does, with env as its whole
// environment, and returns what it wrote on fd 3.
func execD(t *testing.T, script string, env ...string) string {
	t.Helper()
	out, _ := execDStderr(t, script, env...)
	return out
}

// execDStderr is execD that also returns what the script wrote on stderr
// (the container's log).
func execDStderr(t *testing.T, script string, env ...string) (string, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(script)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	cmd.ExtraFiles = []*os.File{w} // fd 3
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(r)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: %v: %s", script, err, stderr.String())
	}
	return out.String(), stderr.String()
}

func testLaunchEnv(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		layer  libcnb.Layer
	)

	it.Before(func() {
		var err error
		layers := libcnb.Layers{Path: t.TempDir()}
		layer, err = layers.Layer("launch-env")
		Expect(err).NotTo(HaveOccurred())
		Expect(mix.LaunchEnv{MixEnv: "prod"}.Contribute(&layer)).To(Succeed())
	})

	context("the crash-dump exec.d script", func() {
		var script string
		it.Before(func() { script = filepath.Join(layer.Path, "exec.d", "crash-dump") })

		it("puts erl_crash.dump in the release's tmp, /tmp by default", func() {
			Expect(execD(t, script)).To(Equal("ERL_CRASH_DUMP = \"/tmp/erl_crash.dump\"\n"))
		})

		it("follows a RELEASE_TMP given at run time", func() {
			Expect(execD(t, script, "RELEASE_TMP=/data/tmp")).To(Equal("ERL_CRASH_DUMP = \"/data/tmp/erl_crash.dump\"\n"))
		})

		it("leaves an ERL_CRASH_DUMP given at run time alone", func() {
			Expect(execD(t, script, "ERL_CRASH_DUMP=/data/boot.dump", "RELEASE_TMP=/data/tmp")).To(BeEmpty())
		})
	})
}
