package settings_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{
		"https://me:s3cr3t@mirror.example/hex":         "https://me:xxxxx@mirror.example/hex",
		"a http://u:p@h, then file:///x and https://h": "a http://u:xxxxx@h, then file:///x and https://h",
		"https://token@h/x":                            "https://token@h/x",
		"no url: here@there":                           "no url: here@there",
	} {
		if got := settings.RedactURLs(in); got != want {
			t.Errorf("RedactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStart(t *testing.T) {
	env := map[string]string{"HEX_BUILDS_URL": "https://me:s3cr3t@mirror.example"}
	var out bytes.Buffer
	ctx := libcnb.BuildContext{
		Buildpack: libcnb.Buildpack{
			Info: libcnb.BuildpackInfo{Name: "Test", Version: "0.1.0"},
			Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
				{"name": "HEX_BUILDS_URL", "build": true, "description": "the index"},
				{"name": "MIX_ENV", "build": true, "default": "prod"},
				{"name": "BP_ELIXIR_VERSION", "build": true, "default": "1.20"},
			}},
		},
		Platform: libcnb.Platform{Environment: map[string]string{"MIX_ENV": "dev"}},
	}
	lookup, err := settings.Start(ctx, log.NewPaketoLogger(&out), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "s3cr3t") || !strings.Contains(out.String(), "https://me:xxxxx@mirror.example") {
		t.Fatalf("the settings table shows the password or no URL:\n%s", out.String())
	}
	if v := lookup.Get("MIX_ENV"); v != "dev" {
		t.Fatalf("MIX_ENV = %q, want the platform's dev", v)
	}
	// A default is the value, but not a setting anyone made.
	if v, ok := lookup("BP_ELIXIR_VERSION"); ok || v != "1.20" {
		t.Fatalf("BP_ELIXIR_VERSION = %q, %v; want the default 1.20, not set", v, ok)
	}
	if v, ok := lookup("UNSET"); ok || v != "" {
		t.Fatalf("UNSET = %q, %v", v, ok)
	}
}

// Detection reads a setting as the build does: the platform's, then the
// environment's, then buildpack.toml's default (which no one set).
func TestForDetect(t *testing.T) {
	ctx := libcnb.DetectContext{
		Buildpack: libcnb.Buildpack{Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
			{"name": "MIX_ENV", "build": true, "default": "prod"},
		}}},
		Platform: libcnb.Platform{Environment: map[string]string{"BP_MIX_PROJECT_PATH": "apps/web"}},
	}
	env := map[string]string{"BP_MIX_PROJECT_PATH": "elsewhere", "BP_MIX_RELEASE": "false"}
	lookup, err := settings.ForDetect(ctx, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if v := lookup.Get("BP_MIX_PROJECT_PATH"); v != "apps/web" {
		t.Fatalf("BP_MIX_PROJECT_PATH = %q, want the platform's apps/web", v)
	}
	if v, ok := lookup("BP_MIX_RELEASE"); !ok || v != "false" {
		t.Fatalf("BP_MIX_RELEASE = %q, %v; want the environment's false", v, ok)
	}
	if v, ok := lookup("MIX_ENV"); ok || v != "prod" {
		t.Fatalf("MIX_ENV = %q, %v; want the default prod, not set", v, ok)
	}
}

// The settings table is how a user checks what the build read: it must
// show the platform's value (pack build -e, /platform/env) and the
// environment's, as the lookup the build uses returns them.
func TestStartTableShowsWhatTheBuildReads(t *testing.T) {
	var out bytes.Buffer
	ctx := libcnb.BuildContext{
		Buildpack: libcnb.Buildpack{
			Info: libcnb.BuildpackInfo{Name: "Test", Version: "0.1.0"},
			Metadata: map[string]interface{}{"configurations": []map[string]interface{}{
				{"name": "MIX_ENV", "build": true, "default": "prod", "description": "the Mix env"},
				{"name": "HEX_MIRROR", "build": true, "description": "the mirror"},
				{"name": "BP_PHOENIX_ASSETS", "build": true, "default": "true", "description": "assets"},
				{"name": "PORT", "launch": true, "default": "8080", "description": "the port"},
			}},
		},
		Platform: libcnb.Platform{Environment: map[string]string{"MIX_ENV": "staging"}},
	}
	env := map[string]string{"MIX_ENV": "dev", "HEX_MIRROR": "https://me:s3cr3t@hex.example"}
	lookup, err := settings.Start(ctx, log.NewPaketoLogger(&out), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows(out.String())
	for name, want := range map[string]string{
		"MIX_ENV":           "staging",                      // the platform's, over the environment's
		"HEX_MIRROR":        "https://me:xxxxx@hex.example", // the environment's, redacted
		"BP_PHOENIX_ASSETS": "true",                         // the default
		"PORT":              "8080",
	} {
		if rows[name] != want {
			t.Errorf("the table shows %s=%q, want %q:\n%s", name, rows[name], want, out.String())
		}
		if got := settings.RedactURLs(lookup.Get(name)); got != rows[name] {
			t.Errorf("the table shows %s=%q, the build reads %q", name, rows[name], got)
		}
	}
}

// The table keeps libpak's layout: with every value from the environment,
// ours and libpak's print the same lines.
func TestStartTableLayoutIsLibpaks(t *testing.T) {
	t.Setenv("MIX_ENV", "dev")
	configs := []map[string]interface{}{
		{"name": "MIX_ENV", "build": true, "default": "prod", "description": "the Mix env"},
		{"name": "BP_LONGER_NAME_HERE", "build": true, "description": "unset, no default"},
		{"name": "PORT", "launch": true, "default": "8080", "description": "the port"},
		{"name": "LANG", "build": true, "launch": true, "default": "C.UTF-8", "description": "the locale"},
		{"name": "ODD", "description": "neither build nor launch"},
	}
	md, err := libpak.NewBuildModuleMetadata(map[string]interface{}{"configurations": configs})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := libpak.NewConfigurationResolver(md)
	if err != nil {
		t.Fatal(err)
	}
	var want, got bytes.Buffer
	wantLog := log.NewPaketoLogger(&want)
	wantLog.Title("Test", "0.1.0", "")
	cr.LogConfiguration(wantLog)
	ctx := libcnb.BuildContext{Buildpack: libcnb.Buildpack{
		Info:     libcnb.BuildpackInfo{Name: "Test", Version: "0.1.0"},
		Metadata: map[string]interface{}{"configurations": configs},
	}}
	if _, err := settings.Start(ctx, log.NewPaketoLogger(&got), nil); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("the table is\n%s\nlibpak's is\n%s", got.String(), want.String())
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// tableRows reads the settings table: $NAME, then the value, then the
// description.
func tableRows(out string) map[string]string {
	rows := map[string]string{}
	for _, line := range strings.Split(ansi.ReplaceAllString(out, ""), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && strings.HasPrefix(fields[0], "$") {
			rows[strings.TrimPrefix(fields[0], "$")] = fields[1]
		}
	}
	return rows
}

func TestBool(t *testing.T) {
	lookup := func(v string) settings.Lookup {
		return func(string) (string, bool) { return v, true }
	}
	for in, want := range map[string]bool{
		"1": true, "true": true, "yes": true, " TRUE ": true, "Yes\n": true,
		"0": false, "false": false, "no": false, "FALSE": false, " No ": false,
	} {
		v, ok, err := lookup(in).Bool("BP_X")
		if err != nil || !ok || v != want {
			t.Errorf("Bool(%q) = %v, %v, %v; want %v, true, nil", in, v, ok, err, want)
		}
	}
	for _, in := range []string{"", "  "} {
		if v, ok, err := lookup(in).Bool("BP_X"); err != nil || ok || v {
			t.Errorf("Bool(%q) = %v, %v, %v; want no value", in, v, ok, err)
		}
	}
	// Unset, a default (not set by anyone) still counts as the value.
	defaulted := settings.Lookup(func(string) (string, bool) { return "true", false })
	if v, ok, err := defaulted.Bool("BP_X"); err != nil || !ok || !v {
		t.Errorf("Bool of the default true = %v, %v, %v", v, ok, err)
	}
}

func TestBoolInvalid(t *testing.T) {
	for in, want := range map[string]string{
		"maybe":    "BP_PHOENIX_ASSETS=maybe is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it",
		" t ":      "BP_PHOENIX_ASSETS=t is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it",
		"2":        "BP_PHOENIX_ASSETS=2 is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it",
		"on":       "BP_PHOENIX_ASSETS=on is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it",
		"true\nno": `BP_PHOENIX_ASSETS="true\nno" is neither true nor false: set it to true, false, 1, 0, yes or no (in any case), or unset it`,
	} {
		_, _, err := settings.Lookup(func(string) (string, bool) { return in, true }).Bool("BP_PHOENIX_ASSETS")
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.Headline != "Invalid setting" || err.Error() != want {
			t.Errorf("Bool(%q) = %v (%T), want the user error %q", in, err, err, want)
		}
	}
}
