package hexbuilds_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

func FuzzParseBuildsTxt(f *testing.F) {
	f.Add([]byte(otpList))
	f.Add([]byte(elixirList))
	f.Add([]byte(""))
	f.Add([]byte("a b\n"))
	f.Add([]byte("OTP-27.0 a b c d\n"))
	f.Add([]byte("v1.18.0-rc.1-otp-27 a b\r\n\r\nOTP-28.0-rc1 c d e\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		builds, err := hexbuilds.ParseBuildsTxt(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(builds) > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d builds from %d lines", len(builds), bytes.Count(data, []byte("\n"))+1)
		}
		for _, b := range builds {
			for _, s := range []string{b.Name, b.GitSHA, b.Date} {
				if s == "" || len(strings.Fields(s)) != 1 {
					t.Fatalf("bad field %q in %+v", s, b)
				}
			}
		}
		for _, b := range hexbuilds.OTPReleases(builds) {
			v, err := versions.ParseOTP(b.Name)
			if err != nil || !strings.HasPrefix(b.Name, "OTP-") || versions.Compare(v, b.Version) != 0 {
				t.Fatalf("kept %q as %q", b.Name, b.Version)
			}
		}
		for _, b := range hexbuilds.ElixirReleases(builds) {
			if b.OTPMajor <= 0 || len(b.Version.Segments) != 3 || !strings.HasPrefix(b.Name, "v"+b.Version.String()+"-otp-") {
				t.Fatalf("kept %q as %q on OTP %d", b.Name, b.Version, b.OTPMajor)
			}
		}
	})
}

func FuzzSources(f *testing.F) {
	for _, s := range [][3]string{
		{"", "", ""},
		{"https://builds.hex.pm", "https://a.example, /srv/index", ""},
		{"", "file:///mnt/x\nhttp://127.0.0.1:1", "https://m.example/{originalHost},skip-path=/builds"},
		{"relative", "", ""},
		{"https://u:p@h/x", "", "ftp://nope"},
		{"https://h", "", "%zz"},
		{"http://[::1", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, base, mirrors, depMirror string) {
		env := map[string]string{"HEX_BUILDS_URL": base, "BP_HEX_BUILDS_MIRRORS": mirrors, "BP_DEPENDENCY_MIRROR": depMirror}
		sources, err := hexbuilds.Sources(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, nil)
		if err != nil {
			var e *hexbuilds.Error
			if !errors.As(err, &e) || e.Headline == "" || e.Fix == "" {
				t.Fatalf("error %v is not a user error with a headline and a fix", err)
			}
			return
		}
		if len(sources) == 0 {
			t.Fatal("no sources and no error")
		}
		for _, s := range sources {
			if strings.TrimSpace(s.Base) == "" || s.From == "" {
				t.Fatalf("empty source %+v", s)
			}
			// Every source must make a client that can at least name a file.
			_ = hexbuilds.NewClient(s.Base).Location("builds/elixir/builds.txt")
		}
	})
}
