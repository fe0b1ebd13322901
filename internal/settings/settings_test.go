package settings_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
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
	t.Setenv("HEX_BUILDS_URL", "https://me:s3cr3t@mirror.example")
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
	lookup, err := settings.Start(ctx, log.NewPaketoLogger(&out), func(string) (string, bool) { return "", false })
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
