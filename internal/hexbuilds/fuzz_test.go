package hexbuilds_test

import (
	"bytes"
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
