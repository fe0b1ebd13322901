package versions_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

func FuzzParseOTP(f *testing.F) {
	for _, s := range []string{"27", "27.3", "27.3.4", "26.2.5.1", "OTP-27.3.4", "OTP-28.0-rc1", " 27 ", "abc", "", "27..3", "027", "OTP-", "1.2.3.4.5", "28.0-rc.1.a-b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := versions.ParseOTP(s)
		if err != nil {
			var pe *versions.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if n := len(v.Segments); n < 1 || n > 4 {
			t.Fatalf("%q parsed to %d segments", s, n)
		}
		again, err := versions.ParseOTP(v.String())
		if err != nil {
			t.Fatalf("%q parsed to %q, which does not parse: %v", s, v, err)
		}
		if again.String() != v.String() || versions.Compare(again, v) != 0 {
			t.Fatalf("%q round-tripped to %q", v, again)
		}
		if _, ok := versions.ResolveOTP(v, []versions.Version{v}); !ok {
			t.Fatalf("%q does not resolve to itself", v)
		}
	})
}

func FuzzParseElixir(f *testing.F) {
	for _, s := range []string{"1.18", "1.18.4", "v1.18.4", "1.18.4-otp-27", "1.18.0-rc.1", "~> 1.17", "~> 1.14.1", ">= 1.14.0 and < 1.17.0", "~> 1.15 or ~> 1.17", "== 1.14.0", "x", "", "~>", "1.18.0-rc.1-otp-27", "or and"} {
		f.Add(s, "1.18.4")
	}
	f.Add("~> 1.18.0-rc.0", "1.18.0-rc.1")
	f.Fuzz(func(t *testing.T, s, probe string) {
		r, err := versions.ParseElixir(s)
		if err != nil {
			var pe *versions.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if (r.Exact == nil) == (r.Requirement == nil) {
			t.Fatalf("%q gave neither or both of Exact and Requirement", s)
		}
		if r.Raw != strings.TrimSpace(s) {
			t.Fatalf("Raw %q for %q", r.Raw, s)
		}
		pr, err := versions.ParseElixir(probe)
		if err != nil || pr.Exact == nil {
			return
		}
		v := *pr.Exact
		got, ok := versions.Resolve(r, []versions.Version{v})
		if ok && versions.Compare(got, v) != 0 {
			t.Fatalf("resolved to %q, which was not offered", got)
		}
		if r.Requirement != nil {
			if ok != r.Requirement.Matches(v) {
				t.Fatalf("Resolve and Matches disagree on %q for %q", v, s)
			}
			again, err := versions.ParseRequirement(r.Requirement.Raw)
			if err != nil || again.Matches(v) != ok {
				t.Fatalf("re-parsing %q changed its meaning", s)
			}
		}
	})
}

func FuzzCompare(f *testing.F) {
	f.Add("27.0-rc1", "27.0-rc10", "27")
	f.Add("1.18.0-rc.1", "1.18.0-alpha.1", "1.18.0")
	f.Add("26.2.5.1", "26.2.5", "26.2.5-a.1.b")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		va, erra := versions.ParseOTP(a)
		vb, errb := versions.ParseOTP(b)
		vc, errc := versions.ParseOTP(c)
		if erra != nil || errb != nil || errc != nil {
			return
		}
		if versions.Compare(va, vb) != -versions.Compare(vb, va) {
			t.Fatalf("Compare(%q, %q) is not antisymmetric", va, vb)
		}
		if versions.Compare(va, vb) <= 0 && versions.Compare(vb, vc) <= 0 && versions.Compare(va, vc) > 0 {
			t.Fatalf("Compare is not transitive over %q, %q, %q", va, vb, vc)
		}
	})
}
