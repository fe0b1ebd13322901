package versions_test

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

// otp and ex parse fixtures; they panic because spec also calls suites
// outside any test, to collect them, where there is no t to fail.
func otp(s string) versions.Version {
	v, err := versions.ParseOTP(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ex(s string) versions.Version {
	r, err := versions.ParseElixir(s)
	if err != nil || r.Exact == nil {
		panic(fmt.Sprintf("%q is not an exact version: %v", s, err))
	}
	return *r.Exact
}

func testVersion(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	it("prints segments and pre-release", func() {
		Expect(versions.Version{Segments: []int{1, 18, 0}, Pre: "rc.1"}.String()).To(Equal("1.18.0-rc.1"))
		Expect(versions.Version{Segments: []int{26, 2, 5, 1}}.String()).To(Equal("26.2.5.1"))
		Expect(versions.Version{Segments: []int{28, 0}, Pre: "rc1"}.String()).To(Equal("28.0-rc1"))
		Expect(versions.Version{}.String()).To(Equal(""))
	})

	it("reports the major", func() {
		Expect(otp("27.3").Major()).To(Equal(27))
		Expect(versions.Version{}.Major()).To(Equal(0))
	})

	context("Compare", func() {
		ordered := []string{"26.2.5", "26.2.5.1", "27.0-rc1", "27.0-rc2", "27.0-rc10", "27", "27.0.1", "27.3.4", "28.0"}

		it("orders OTP versions, pre-releases first", func() {
			for i := range ordered {
				for j := range ordered {
					want := 0
					if i < j {
						want = -1
					} else if i > j {
						want = 1
					}
					Expect(versions.Compare(otp(ordered[i]), otp(ordered[j]))).To(Equal(want), "%s vs %s", ordered[i], ordered[j])
				}
			}
		})

		it("treats missing segments as zero", func() {
			Expect(versions.Compare(otp("27"), otp("27.0.0"))).To(Equal(0))
		})

		it("orders Elixir pre-releases like semver", func() {
			seq := []string{"1.18.0-alpha", "1.18.0-alpha.1", "1.18.0-rc.0", "1.18.0-rc.2", "1.18.0-rc.10", "1.18.0", "1.18.1"}
			for i := 1; i < len(seq); i++ {
				Expect(versions.Compare(ex(seq[i-1]), ex(seq[i]))).To(Equal(-1), "%s < %s", seq[i-1], seq[i])
				Expect(versions.Compare(ex(seq[i]), ex(seq[i-1]))).To(Equal(1))
			}
		})

		it("puts numeric identifiers before alphanumeric ones", func() {
			a := versions.Version{Segments: []int{1, 0, 0}, Pre: "1"}
			b := versions.Version{Segments: []int{1, 0, 0}, Pre: "a"}
			Expect(versions.Compare(a, b)).To(Equal(-1))
		})

		it("stays total for equal-looking spellings", func() {
			a := versions.Version{Segments: []int{1}, Pre: "rc01"}
			b := versions.Version{Segments: []int{1}, Pre: "rc1"}
			Expect(versions.Compare(a, b)).To(Equal(-versions.Compare(b, a)))
			Expect(versions.Compare(a, b)).NotTo(Equal(0))
		})
	})
}

func testParseOTP(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	for in, want := range sorted(map[string]string{
		"27":            "27",
		"27.3":          "27.3",
		"27.3.4":        "27.3.4",
		"26.2.5.1":      "26.2.5.1",
		"OTP-27.3.4":    "27.3.4",
		"otp-27.3.4":    "27.3.4",
		"OTP-28.0-rc1":  "28.0-rc1",
		"  27.3.4\n":    "27.3.4",
		"\tOTP-25.3.2 ": "25.3.2",
		"0":             "0",
	}) {
		it("accepts "+in, func() {
			v, err := versions.ParseOTP(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(v.String()).To(Equal(want))
		})
	}

	it("keeps the pre-release apart", func() {
		v := otp("OTP-28.0-rc1")
		Expect(v.Segments).To(Equal([]int{28, 0}))
		Expect(v.Pre).To(Equal("rc1"))
	})

	for _, in := range []string{"", "abc", "OTP-", "27.", ".27", "27..3", "1.2.3.4.5", "027", "27.03", "27-", "27-rc..1", "27-rc_1", "v27", "27 .3", "-1", "+27", "1234567890", "ref:master", "27.3.4 27.3"} {
		it("rejects "+in, func() {
			_, err := versions.ParseOTP(in)
			var pe *versions.ParseError
			Expect(errors.As(err, &pe)).To(BeTrue())
			Expect(pe.Kind).To(Equal("Erlang/OTP"))
		})
	}

	it("tells the user what to write", func() {
		_, err := versions.ParseOTP(" abc ")
		Expect(err).To(MatchError(`unparsable Erlang/OTP version "abc": use a version such as 27, 27.3 or 27.3.4`))
	})
}

func testParseElixir(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	type exact struct {
		version string
		otp     int
	}
	for in, want := range sorted(map[string]exact{
		"1.18":                {"1.18", 0},
		"1.18.4":              {"1.18.4", 0},
		"v1.18.4":             {"1.18.4", 0},
		" 1.18.4\r\n":         {"1.18.4", 0},
		"1.18.4-otp-27":       {"1.18.4", 27},
		"v1.18.4-otp-26":      {"1.18.4", 26},
		"1.18.0-rc.1":         {"1.18.0-rc.1", 0},
		"1.18.0-rc.1-otp-27":  {"1.18.0-rc.1", 27},
		"1.19.0-dev":          {"1.19.0-dev", 0},
		"1.18-otp-27":         {"1.18", 27},
		"1.18.0-my-build.3":   {"1.18.0-my-build.3", 0},
		"1.18.0-rc.1-otp-100": {"1.18.0-rc.1", 100},
	}) {
		it("accepts "+in, func() {
			r, err := versions.ParseElixir(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Requirement).To(BeNil())
			Expect(r.Exact).NotTo(BeNil())
			Expect(r.Exact.String()).To(Equal(want.version))
			Expect(r.OTPMajor).To(Equal(want.otp))
		})
	}

	it("keeps the trimmed input as Raw", func() {
		r, err := versions.ParseElixir("  ~> 1.17 ")
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Raw).To(Equal("~> 1.17"))
		Expect(r.Exact).To(BeNil())
		Expect(r.Requirement).NotTo(BeNil())
		Expect(r.Requirement.String()).To(Equal("~> 1.17"))
	})

	for _, in := range []string{"~> 1.17", "~> 1.14.1", ">= 1.14.0 and < 1.17.0", "~> 1.15 or ~> 1.17", "== 1.14.0", "~>1.17", ">=1.14.0", "1.14.0 or 1.15.0", "!= 1.16.0"} {
		it("reads requirement "+in, func() {
			r, err := versions.ParseElixir(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Requirement).NotTo(BeNil())
			Expect(r.Exact).To(BeNil())
		})
	}

	for _, in := range []string{"", "1", "x", "v", "1.18.4.1", "1.18-rc.1", "1.18.4-otp-", "1.18.4-otp-0", "1.18.4-otp-x", "1.18.4-", "V1.18.4", "main", "main-otp-27", "ref:v1.18.4", "~>", "~> ", "~> 1", "~> x", ">= 1.14.0 and", "and 1.14.0", "~> 1.15 or", ">= 1.14.0 < 1.17.0", "~> 1.15 xor ~> 1.17", "=> 1.14.0", "~> 1.18.0+build", "=== 1.0.0"} {
		it("rejects "+in, func() {
			_, err := versions.ParseElixir(in)
			var pe *versions.ParseError
			Expect(errors.As(err, &pe)).To(BeTrue(), "%q", in)
			Expect(pe.Kind).To(Equal("Elixir"))
		})
	}

	it("tells the user what to write", func() {
		_, err := versions.ParseElixir("x")
		Expect(err).To(MatchError(`unparsable Elixir version "x": use a version such as 1.18, 1.18.4 or ~> 1.17`))
	})
}

func testRequirement(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	matches := func(req, v string) bool {
		r, err := versions.ParseRequirement(req)
		Expect(err).NotTo(HaveOccurred())
		return r.Matches(ex(v))
	}

	type row struct {
		req   string
		yes   []string
		no    []string
		label string
	}
	for _, c := range []row{
		{"~> 1.14", []string{"1.14.0", "1.14.5", "1.18.4", "1.99.0"}, []string{"1.13.4", "2.0.0", "2.0.0-rc.0", "1.18.0-rc.1"}, "two segments allow any later minor"},
		{"~> 1.14.1", []string{"1.14.1", "1.14.9"}, []string{"1.14.0", "1.15.0", "1.15.0-rc.1", "1.14.2-rc.0"}, "three segments allow later patches"},
		{"== 1.14.0", []string{"1.14.0"}, []string{"1.14.1", "1.14.0-rc.0"}, "equality"},
		{"1.14.0", []string{"1.14.0"}, []string{"1.14.1"}, "a bare operand means =="},
		{"!= 1.16.0", []string{"1.15.0", "1.17.0"}, []string{"1.16.0", "1.17.0-rc.0"}, "inequality"},
		{"> 1.16.0", []string{"1.16.1", "2.0.0"}, []string{"1.16.0", "1.15.9"}, "greater"},
		{">= 1.16.0", []string{"1.16.0", "1.17.0"}, []string{"1.15.9"}, "at least"},
		{"< 1.16.0", []string{"1.15.9"}, []string{"1.16.0", "1.16.0-rc.0"}, "less"},
		{"<= 1.16.0", []string{"1.16.0", "1.15.0"}, []string{"1.16.1"}, "at most"},
		{">= 1.16", []string{"1.16.0"}, []string{"1.15.9"}, "a partial operand counts missing segments as zero"},
		{">= 1.14.0 and < 1.17.0", []string{"1.14.0", "1.16.3"}, []string{"1.13.0", "1.17.0"}, "and"},
		{"~> 1.15.0 or ~> 1.17.0", []string{"1.15.7", "1.17.3"}, []string{"1.16.0", "1.18.0"}, "or"},
		{"~> 1.14.0 or >= 1.16.0 and < 1.17.0", []string{"1.14.1", "1.16.2"}, []string{"1.15.0", "1.17.0"}, "and binds tighter than or"},
		{">= 1.16.0 and < 1.17.0 or ~> 1.14.0", []string{"1.14.1", "1.16.2"}, []string{"1.15.0", "1.17.0"}, "and binds tighter, either side"},
		{"~> 1.18.0-rc.0", []string{"1.18.0-rc.0", "1.18.0-rc.1", "1.18.0", "1.18.3"}, []string{"1.17.0", "1.19.0-rc.0", "1.19.0"}, "a pre-release operand allows pre-releases"},
		{">= 1.18.0-rc.0 and < 1.19.0", []string{"1.18.0-rc.1", "1.18.2", "1.19.0-rc.0"}, []string{"1.19.0", "1.17.9"}, "one pre-release operand opens the whole requirement"},
	} {
		it(c.label+": "+c.req, func() {
			for _, v := range c.yes {
				Expect(matches(c.req, v)).To(BeTrue(), "%s should match %s", c.req, v)
			}
			for _, v := range c.no {
				Expect(matches(c.req, v)).To(BeFalse(), "%s should not match %s", c.req, v)
			}
		})
	}

	it("matches nothing when empty", func() {
		Expect(versions.Requirement{}.Matches(ex("1.18.4"))).To(BeFalse())
		Expect(versions.Requirement{Alternatives: [][]versions.Constraint{{}}}.Matches(ex("1.18.4"))).To(BeFalse())
	})

	it("never matches an unknown operator", func() {
		c := versions.Constraint{Op: "=~", Version: ex("1.18.4")}
		Expect(c.Matches(ex("1.18.4"))).To(BeFalse())
	})

	it("exposes the parsed structure", func() {
		r, err := versions.ParseRequirement(">= 1.14.0 and < 1.17.0 or ~> 1.18")
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Alternatives).To(HaveLen(2))
		Expect(r.Alternatives[0]).To(HaveLen(2))
		Expect(r.Alternatives[0][1].Op).To(Equal("<"))
		Expect(r.Alternatives[1][0].Op).To(Equal("~>"))
		Expect(r.Alternatives[1][0].Version.String()).To(Equal("1.18"))
	})
}

func testResolve(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	list := func(parse func(string) versions.Version, ss ...string) []versions.Version {
		out := make([]versions.Version, len(ss))
		for i, s := range ss {
			out[i] = parse(s)
		}
		return out
	}
	elixirs := list(ex, "1.17.3", "1.18.0-rc.1", "1.18.4", "1.18.1", "1.19.0-rc.0", "1.16.3", "1.18.0")
	resolve := func(req string) (string, bool) {
		r, err := versions.ParseElixir(req)
		Expect(err).NotTo(HaveOccurred())
		v, ok := versions.Resolve(r, elixirs)
		return v.String(), ok
	}

	for req, want := range sorted(map[string]string{
		"1.18":                   "1.18.4",
		"1.18.1":                 "1.18.1",
		"v1.18.4-otp-27":         "1.18.4",
		"1.18.0-rc.1":            "1.18.0-rc.1",
		"1.19.0-rc.0":            "1.19.0-rc.0",
		"~> 1.17":                "1.18.4",
		"~> 1.17.0":              "1.17.3",
		">= 1.14.0 and < 1.17.0": "1.16.3",
		"~> 1.16.0 or ~> 1.17.0": "1.17.3",
		"~> 1.19.0-rc.0":         "1.19.0-rc.0",
	}) {
		it("resolves "+req+" to "+want, func() {
			got, ok := resolve(req)
			Expect(ok).To(BeTrue())
			Expect(got).To(Equal(want))
		})
	}

	for _, req := range []string{"1.19", "1.18.2", "1.15", "~> 2.0", "1.18.0-rc.2"} {
		it("finds nothing for "+req, func() {
			_, ok := resolve(req)
			Expect(ok).To(BeFalse())
		})
	}

	it("finds nothing for an empty request or list", func() {
		_, ok := versions.Resolve(versions.Request{}, elixirs)
		Expect(ok).To(BeFalse())
		r, _ := versions.ParseElixir("1.18")
		_, ok = versions.Resolve(r, nil)
		Expect(ok).To(BeFalse())
	})

	context("ResolveOTP", func() {
		otps := list(otp, "OTP-26.2.5", "OTP-26.2.5.1", "OTP-27.0-rc1", "OTP-27.0", "OTP-27.0.1", "OTP-27.3.4", "OTP-27.3.3", "OTP-28.0-rc1")

		for want, got := range sorted(map[string]string{
			"27":       "27.3.4",
			"27.0":     "27.0.1",
			"27.3":     "27.3.4",
			"26":       "26.2.5.1",
			"26.2":     "26.2.5.1",
			"26.2.5":   "26.2.5",
			"26.2.5.1": "26.2.5.1",
			"27.3.3":   "27.3.3",
			"27.0-rc1": "27.0-rc1",
			"28.0-rc1": "28.0-rc1",
		}) {
			it("resolves "+want+" to "+got, func() {
				v, ok := versions.ResolveOTP(otp(want), otps)
				Expect(ok).To(BeTrue())
				Expect(v.String()).To(Equal(got))
			})
		}

		for _, want := range []string{"28", "28.0", "25", "27.3.5", "27.1", "2", "26.2.5.2"} {
			it("finds nothing for "+want, func() {
				_, ok := versions.ResolveOTP(otp(want), otps)
				Expect(ok).To(BeFalse())
			})
		}
	})
}

func testCompat(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	type rng struct{ lo, hi int }
	for in, want := range sorted(map[string]rng{
		"1.14":        {23, 25},
		"1.14.0":      {23, 25},
		"1.14.4":      {23, 25},
		"1.14.5":      {23, 26},
		"1.14.9":      {23, 26},
		"1.15.8":      {24, 26},
		"1.16.3":      {24, 26},
		"1.17.0":      {25, 27},
		"1.18.4":      {25, 27},
		"1.18.0-rc.1": {25, 27},
		"1.19.0":      {26, 28},
		"1.20.0-rc.0": {27, 29},
	}) {
		it("knows the OTP range of "+in, func() {
			lo, hi, ok := versions.OTPRange(ex(in))
			Expect(ok).To(BeTrue())
			Expect([]int{lo, hi}).To(Equal([]int{want.lo, want.hi}))
		})
	}

	for _, in := range []string{"1.13.4", "1.22.0", "2.0.0", "0.14.0"} {
		it("does not guess for "+in, func() {
			_, _, ok := versions.OTPRange(ex(in))
			Expect(ok).To(BeFalse())
			Expect(versions.Compatible(ex(in), 27)).To(BeFalse())
		})
	}

	it("checks a pair", func() {
		Expect(versions.Compatible(ex("1.18.4"), 27)).To(BeTrue())
		Expect(versions.Compatible(ex("1.18.4"), 25)).To(BeTrue())
		Expect(versions.Compatible(ex("1.18.4"), 28)).To(BeFalse())
		Expect(versions.Compatible(ex("1.18.4"), 24)).To(BeFalse())
		Expect(versions.Compatible(ex("1.14.4"), 26)).To(BeFalse())
		Expect(versions.Compatible(ex("1.14.5"), 26)).To(BeTrue())
	})

	it("knows the current lines: 1.19 on OTP 26 to 28, 1.20 and 1.21 on 27 to 29", func() {
		for v, want := range map[string][2]int{"1.19": {26, 28}, "1.20": {27, 29}, "1.21": {27, 29}, "1.21.0": {27, 29}} {
			lo, hi, ok := versions.RequestOTPRange(ex(v))
			Expect(ok).To(BeTrue(), v)
			Expect([2]int{lo, hi}).To(Equal(want), v)
		}
	})
}

// sorted ranges over m by key: spec finds each "it" by its position on
// every run of a suite, so table tests need a stable order.
func sorted[V any](m map[string]V) iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}
