package mix_test

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// headline is a user error's headline, or "" for other errors.
func headline(err error) string {
	var ue *usererr.Error
	if errors.As(err, &ue) {
		return ue.Headline
	}
	return ""
}

// fakeMix plays elixir and mix: the introspection script writes the next
// report of reports (the last one repeats), deps.get fetches a dep into
// MIX_DEPS_PATH, release writes a start script where --path points.
type fakeMix struct {
	runs    []effect.Execution
	failOn  string
	reports []mixproject.Project
	intro   int
	// during runs for each task (deps.get, ...) while it runs
	during map[string]func(e effect.Execution)
	// overlay files the release gets (bin/server, bin/migrate)
	overlay []string
}

func (f *fakeMix) Execute(e effect.Execution) error {
	f.runs = append(f.runs, e)
	task := ""
	if len(e.Args) > 0 {
		task = e.Args[0]
	}
	if e.Command == "elixir" {
		task = "introspect"
	}
	if fn := f.during[task]; fn != nil {
		fn(e)
	}
	if task == f.failOn {
		_, _ = e.Stdout.Write([]byte("** (CompileError) lib/app.ex:3: undefined function foo/0\n"))
		return errors.New("exit status 1")
	}
	switch task {
	case "introspect":
		p := f.reports[min(f.intro, len(f.reports)-1)]
		f.intro++
		data, _ := json.Marshal(p)
		return os.WriteFile(e.Args[len(e.Args)-1], data, 0o644)
	case "deps.get":
		// Mix's default deps path, as the generated files expect it.
		return os.MkdirAll(filepath.Join(e.Dir, "deps", "dep"), 0o755)
	case "release":
		path := e.Args[len(e.Args)-1]
		_ = os.MkdirAll(filepath.Join(path, "bin"), 0o755)
		_ = os.MkdirAll(filepath.Join(path, "releases"), 0o755)
		_ = os.WriteFile(filepath.Join(path, "releases", "COOKIE"), []byte("baked"), 0o644)
		name := e.Args[1]
		if strings.HasPrefix(name, "--") { // no name: Mix builds the app's
			name = f.reports[0].App
		}
		_ = os.WriteFile(filepath.Join(path, "bin", name), []byte("#!/bin/sh\n"), 0o755)
		// What a release holds besides bin/: the app's own application and
		// its dependencies', and the consolidated protocols.
		_ = os.MkdirAll(filepath.Join(path, "lib", f.reports[0].App+"-0.1.0", "ebin"), 0o755)
		_ = os.MkdirAll(filepath.Join(path, "lib", "kernel-8.5.3", "ebin"), 0o755)
		_ = os.MkdirAll(filepath.Join(path, "releases", "0.1.0", "consolidated"), 0o755)
		for _, o := range f.overlay {
			_ = os.WriteFile(filepath.Join(path, "bin", o), []byte("#!/bin/sh\n"), 0o755)
		}
	}
	return nil
}

func (f *fakeMix) commands() []string {
	var out []string
	for _, r := range f.runs {
		if r.Command == "elixir" {
			out = append(out, "introspect")
			continue
		}
		out = append(out, r.Command+" "+strings.Join(r.Args, " "))
	}
	return out
}

// run returns the first execution of the mix task.
func (f *fakeMix) run(task string) (effect.Execution, bool) {
	for _, r := range f.runs {
		if r.Command == "mix" && len(r.Args) > 0 && r.Args[0] == task {
			return r, true
		}
	}
	return effect.Execution{}, false
}

func envOf(e effect.Execution, name string) string {
	v, _ := lookupEnv(e, name)
	return v
}

func lookupEnv(e effect.Execution, name string) (string, bool) {
	for i := len(e.Env) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(e.Env[i], "="); k == name {
			return v, true
		}
	}
	return "", false
}

// app is a one-app project report with what the real script reports.
func app(name string) mixproject.Project {
	return mixproject.Project{App: name, Version: "0.1.0", Lockfile: "mix.lock", MixEnv: "prod", MixTarget: "host"}
}

// runtimeFacts is what erlang-runtime and elixir-runtime publish: the
// build environment mix-release starts with, for Elixir 1.14 on OTP 25.
func runtimeFacts() map[string]string {
	return map[string]string{"ELIXIR_BP_OTP_VERSION": "25.2.3", "ELIXIR_BP_ELIXIR_VERSION": "1.14.0", "ELIXIR_BP_TARGET": "amd64/ubuntu-22.04"}
}

// persist writes the layers' toml files as libcnb does at the end of a
// build, so the next Build sees them as restored from the cache. Launch-only
// layers are not restored with content by the lifecycle; keep it simple and
// leave them as they are.
func persist(layersDir string, result libcnb.BuildResult) {
	for _, l := range result.Layers {
		f, err := os.Create(filepath.Join(layersDir, l.Name+".toml"))
		if err != nil {
			panic(err)
		}
		if err := toml.NewEncoder(f).Encode(l); err != nil {
			panic(err)
		}
		f.Close()
	}
}

func layerNamed(result libcnb.BuildResult, name string) (libcnb.Layer, bool) {
	for _, l := range result.Layers {
		if l.Name == name {
			return l, true
		}
	}
	return libcnb.Layer{}, false
}

func layerNames(result libcnb.BuildResult) []string {
	var names []string
	for _, l := range result.Layers {
		names = append(names, l.Name)
	}
	return names
}

// writeInstall puts an artifact into a local index's installs/ folder,
// listed in its CSV, and returns its sha512.
func writeInstall(index, artifact, version, elixir string, content []byte) string {
	sum := sha512.Sum512(content)
	digest := hex.EncodeToString(sum[:])
	name := artifact + "-" + version
	if artifact == "hex" {
		name += ".ez"
	}
	_ = os.MkdirAll(filepath.Join(index, "installs", elixir), 0o755)
	_ = os.WriteFile(filepath.Join(index, "installs", elixir, name), content, 0o644)
	f, _ := os.OpenFile(filepath.Join(index, "installs", artifact+"-1.x.csv"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	_, _ = f.WriteString(version + "," + digest + "," + elixir + "\n")
	f.Close()
	return digest
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// plain is the log without colours.
func plain(out *bytes.Buffer) string { return ansi.ReplaceAllString(out.String(), "") }
